// What a read targets — the model, table or collection name, as words — and what that says about its size.
import { ts } from 'ts-morph';
import { GROWING_CHILD_WORDS, SMALL_TABLE_WORDS } from '../../knowledge/readShapes';
import { argumentsOf, calleeOf } from '../calls';
import { resolveLocal } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { staticText } from '../roundTrips';
import { skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/** Handle suffixes that say nothing of the table (`categoryRepository`, `UserModel`, `ordersCollection`). */
const HANDLE_WORDS = new Set(['repository', 'repo', 'model', 'collection', 'entity', 'dao', 'table', 'service', 'db']);
/** Calls whose first argument names the table (`getRepository(Role)`, `db.collection('plans')`, `knex('links')`). */
const NAMING_CALLS = new Set([
  'getRepository',
  'getCustomRepository',
  'getMongoRepository',
  'model',
  'collection',
  'table',
  'from',
  'selectFrom',
]);

/** Splits `featureFlags`, `feature_flags`, `"public"."users"` into lower-case singular words. */
export function nameWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => singular(w.toLowerCase()))
    .filter((w) => w && !HANDLE_WORDS.has(w));
}

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (/(ss|us)$/.test(word)) return word;
  if (word.endsWith('s') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** The name of the table, model or collection a read targets, when the syntax says it; undefined otherwise. */
export function readSubject(file: FileModel, trip: RoundTrip): string | undefined {
  if (trip.sql !== undefined) return /\bfrom\s+[`"[]?([\w.]+)/i.exec(trip.sql)?.[1];
  if (trip.method === '()') return nameArgument(argumentsOf(trip.call)[0]);
  // `manager.find(Role, …)`, `em.find(Plan, {})`: an entity class as the first argument.
  const first = argumentsOf(trip.call)[0];
  if (first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text)) return first.text;
  let receiver: ts.Expression | undefined = skipOuterExpressions(calleeOf(trip.call));
  receiver = ts.isPropertyAccessExpression(receiver) ? receiver.expression : undefined;
  // Down a builder chain to what it starts from (`this.termRepo.createQueryBuilder('t').where(…)` → `termRepo`).
  while (receiver) {
    receiver = skipOuterExpressions(receiver);
    if (ts.isCallExpression(receiver)) {
      const callee = skipOuterExpressions(receiver.expression);
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      // `getRepository(Role)`, `knex('links')`, `this.knex(TableNote)`, `dbActor(TableUser)`: a call that names the
      // table.
      if (NAMING_CALLS.has(name) || ts.isIdentifier(callee) || receiver.arguments.length === 1) {
        const text = nameArgument(receiver.arguments[0]);
        if (text) return text;
      }
      receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      continue;
    }
    if (ts.isPropertyAccessExpression(receiver)) return receiver.name.text;
    if (ts.isIdentifier(receiver)) {
      // A builder kept in a local (`const qb = this.termRepo.createQueryBuilder('t')`): what it was built from.
      const initial = resolveLocal(file, receiver);
      if (initial === receiver) return receiver.text;
      receiver = initial;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** A table named by a string or a constant (`'links'`, `TableNote`, `Tables.NOTE`). */
function nameArgument(arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  const node = skipOuterExpressions(arg);
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return staticText(node);
}

/**
 * The head noun of a name says what its rows are: `NoteUserPermission` holds permissions, `recurringExpenseLink` links.
 */
function headWord(subject: string | undefined, words: ReadonlySet<string>): boolean {
  const all = subject ? nameWords(subject) : [];
  return all.length > 0 && words.has(all[all.length - 1]!);
}

/** Configuration, access control, reference data, admin-managed lists: small by construction. */
export function isSmallTable(subject: string | undefined): boolean {
  return headWord(subject, SMALL_TABLE_WORDS);
}

/** Content and events that pile up under one parent (messages, comments, orders, terms). */
export function growsPerParent(subject: string | undefined): boolean {
  return headWord(subject, GROWING_CHILD_WORDS);
}
