// What a read targets — the model, table or collection name, as words — and what that says about its size.
import { ts } from 'ts-morph';
import {
  ATTACHED_CHILD_WORDS,
  COMMUNITY_PARENT_WORDS,
  CONTAINER_PARENT_WORDS,
  GROWING_CHILD_WORDS,
  PEOPLE_CHILD_WORDS,
  SMALL_TABLE_WORDS,
} from '../../knowledge/readShapes';
import {
  LOOKUP_TABLE_WORDS,
  MORE_GROWING_KINDS,
  PER_PERSON_GROWING_KINDS,
  PERSON_PARENT_WORDS,
} from '../../knowledge/readGrowth';
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

/** Finds the class an identifier names across files (the evaluator's `valueOf`), when the caller has one. */
export type ClassLookup = (name: ts.Identifier) => ts.ClassLikeDeclaration | undefined;

/** The name of the table, model or collection a read targets, when the syntax says it; undefined otherwise. */
export function readSubject(file: FileModel, trip: RoundTrip, classOf?: ClassLookup): string | undefined {
  const subject = syntaxSubject(file, trip);
  return subject && classOf ? viewedSubject(subject, classOf) : subject?.text;
}

/** The subject's text, and the identifier that names it when it is one (`getRepository(SourceSimilarityView)`). */
function syntaxSubject(file: FileModel, trip: RoundTrip): { text: string; id?: ts.Identifier } | undefined {
  const named = (text: string | undefined, id?: ts.Node) =>
    text === undefined ? undefined : { text, id: id && ts.isIdentifier(id) ? id : undefined };
  if (trip.sql !== undefined) return named(/\bfrom\s+[`"[]?([\w.]+)/i.exec(trip.sql)?.[1]);
  if (trip.method === '()') return named(nameArgument(argumentsOf(trip.call)[0]), argumentsOf(trip.call)[0]);
  // `manager.find(Role, …)`, `em.find(Plan, {})`: an entity class as the first argument.
  const first = argumentsOf(trip.call)[0];
  if (first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text)) return named(first.text, first);
  return named(...receiverSubject(file, trip));
}

/**
 * A database view's entity (`@ViewEntity() class SourceSimilarityView`) holds what the view computes, not views: its
 * rows are named by the words before `View`.
 */
function viewedSubject(subject: { text: string; id?: ts.Identifier }, classOf: ClassLookup): string {
  const cls = subject.id && /[a-z]Views?$/.test(subject.text) ? classOf(subject.id) : undefined;
  const isView =
    cls && ts.canHaveDecorators(cls) && ts.getDecorators(cls)?.some((d) => /^ViewEntity\b/.test(decoratorName(d)));
  return isView ? subject.text.replace(/Views?$/, '') : subject.text;
}

function decoratorName(decorator: ts.Decorator): string {
  const expr = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
  return ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : '';
}

/** The table a method call's receiver names: down a builder chain, through a local, or the class `this` is. */
function receiverSubject(file: FileModel, trip: RoundTrip): [string | undefined, ts.Node?] {
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
        if (text) return [text, receiver.arguments[0]];
      }
      receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
      continue;
    }
    if (ts.isPropertyAccessExpression(receiver)) return [receiver.name.text];
    // `this.query()` in a model's static method (`static getLookupMap() { return this.query() }`): the model class.
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) return [enclosingClassName(receiver)];
    if (ts.isIdentifier(receiver)) {
      // A builder kept in a local (`const qb = this.termRepo.createQueryBuilder('t')`): what it was built from.
      const initial = resolveLocal(file, receiver);
      if (initial === receiver) return [receiver.text, receiver];
      receiver = initial;
      continue;
    }
    return [undefined];
  }
  return [undefined];
}

function enclosingClassName(node: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent)
    if (ts.isClassLike(current)) return current.name?.text;
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
 * A link table named after the parent it is filtered by (`MediaUploadNote` by its note) holds the word before it: a
 * note's media uploads.
 */
export function headNoun(subject: string | undefined, parents: readonly string[] = []): string | undefined {
  const all = subject ? nameWords(subject) : [];
  const last = all[all.length - 1];
  return last !== undefined && all.length > 1 && parents.includes(last) ? all[all.length - 2] : last;
}

/** Configuration, access control, reference data, admin-managed lists: small by construction. */
export function isSmallTable(subject: string | undefined): boolean {
  const head = headNoun(subject);
  return head !== undefined && SMALL_TABLE_WORDS.has(head);
}

/** A reference table by its name (`soil_amendment_method`, `crop_kind`): a fixed set of kinds, read whole as a lookup. */
export function isLookupTable(subject: string | undefined): boolean {
  const head = headNoun(subject);
  return head !== undefined && LOOKUP_TABLE_WORDS.has(head);
}

/**
 * Whether one parent's rows of `subject` pile up with use. Content and events (messages, comments, orders, views) do
 * under any parent; files and documents only under an account or a container (a user's uploads, a team's documents,
 * not a note's images); people only under a community (a guild's members, not a team's or a conversation's).
 * `parents` are the parents the read is filtered by or loaded from (`project` for `{ projectId }`), as words; unknown
 * parents count for nothing, so attached rows and people are then taken as few. `manyParents`: loaded for every row
 * of a read with no bound (each team with all its members), which multiplies them.
 */
export function growsPerParent(
  subject: string | undefined,
  parents: readonly string[] = [],
  manyParents = false,
): boolean {
  const head = headNoun(subject, parents);
  if (head === undefined) return false;
  if (GROWING_CHILD_WORDS.has(head) || MORE_GROWING_KINDS.has(head)) return true;
  if (PER_PERSON_GROWING_KINDS.has(head)) return parents.some((p) => PERSON_PARENT_WORDS.has(p));
  if (manyParents && (ATTACHED_CHILD_WORDS.has(head) || PEOPLE_CHILD_WORDS.has(head))) return true;
  if (ATTACHED_CHILD_WORDS.has(head)) return parents.some((p) => CONTAINER_PARENT_WORDS.has(p));
  if (PEOPLE_CHILD_WORDS.has(head)) return parents.some((p) => COMMUNITY_PARENT_WORDS.has(p));
  return false;
}

/** The parent a name ends in, as one word (`Guild` → `guild`, `dataroomFolder` → `folder`, `id_project` → `project`). */
export function parentWord(name: string): string | undefined {
  const words = nameWords(name);
  return words[words.length - 1];
}
