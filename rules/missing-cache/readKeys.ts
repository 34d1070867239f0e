// What a read is keyed by: fixed inputs (every request asks the same), a tenant (few answers), or per-request values.
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import type { RoundTrip } from '../analysis/roundTrips';
import { skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { SMALL_DOMAIN_KEY_WORDS, TENANT_KEY_WORDS } from '../knowledge/cacheable';
import { isConstantInput } from '../analysis/constantInput';
import { words } from './words';

/**
 * `fixed`: the same inputs on every call; `tenant`: varies only by tenant ids; `small-domain`: only by small categories
 * (a role name, a currency), maybe with tenant ids; `per-call`: by anything else.
 */
export type ReadKey = 'fixed' | 'tenant' | 'small-domain' | 'per-call';

const TENANT = new Set(TENANT_KEY_WORDS);
const SMALL_DOMAIN = new Set(SMALL_DOMAIN_KEY_WORDS);

/** How the inputs of a read (its arguments and those of its builder chain) vary between calls. */
export function readKeyOf(file: FileModel, trip: RoundTrip): ReadKey {
  const varying: ts.Expression[] = [];
  for (const call of [trip.call, ...trip.chain])
    for (const arg of argumentsOf(call)) collectVarying(file, arg, varying);
  if (varying.length === 0) return 'fixed';
  if (varying.every((expr) => namesTenant(file, expr))) return 'tenant';
  const small = varying.filter((expr) => !namesTenant(file, expr));
  return small.every((expr) => lastWords(file, expr).some((word) => SMALL_DOMAIN.has(word)))
    ? 'small-domain'
    : 'per-call';
}

/** The parts of a read's inputs that are not fixed (parameters, request data, results of other calls). */
export function varyingParts(file: FileModel, trip: RoundTrip): ts.Expression[] {
  const varying: ts.Expression[] = [];
  for (const call of [trip.call, ...trip.chain])
    for (const arg of argumentsOf(call)) collectVarying(file, arg, varying);
  return varying;
}

/** The parts of the arguments of `call` that are not fixed. */
export function varyingArguments(file: FileModel, call: ts.CallExpression): ts.Expression[] {
  const varying: ts.Expression[] = [];
  for (const arg of call.arguments) collectVarying(file, arg, varying);
  return varying;
}

/** The parts of `expr` that are not fixed: object and array literals are looked into, anything else is a leaf. */
function collectVarying(file: FileModel, expr: ts.Expression, out: ts.Expression[]): void {
  const node = skipOuterExpressions(expr);
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      if (ts.isPropertyAssignment(property) && !ts.isComputedPropertyName(property.name))
        collectVarying(file, property.initializer, out);
      else if (ts.isShorthandPropertyAssignment(property)) {
        if (!isConstantInput(file, property.name)) out.push(property.name);
      } else if (ts.isSpreadAssignment(property)) collectVarying(file, property.expression, out);
      // Methods, accessors and computed keys are not data a cache could key by.
      else out.push(node);
    }
    return;
  }
  if (ts.isArrayLiteralExpression(node)) {
    for (const element of node.elements)
      collectVarying(file, ts.isSpreadElement(element) ? element.expression : element, out);
    return;
  }
  // A callback (`where((qb) => …)`) is judged by what it closes over, which the enclosing read already shows.
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return;
  if (!isConstantInput(file, node)) out.push(node);
}

/** The words of the last two names of `req.user.role` (user, role); none for other expressions. */
function lastWords(file: FileModel, expr: ts.Expression): string[] {
  const node = skipOuterExpressions(expr);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return [];
  return words(node.getText(file.sourceFile).split('.').slice(-1).join('.'));
}

/** `shopId`, `guild.id`, `ctx.channelId`, `req.params.projectId`: a value that names a tenant. */
function namesTenant(file: FileModel, expr: ts.Expression): boolean {
  const node = skipOuterExpressions(expr);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return false;
  // The last two names carry the meaning: `interaction.guild.id` → guild, id; `ctx.channelId` → ctx, channel, id.
  const names = node.getText(file.sourceFile).split('.').slice(-2).join('.');
  // `projectid`, `id_project`, `guildId`: the tenant word with or without its `id`.
  return words(names).some((word) => TENANT.has(word) || TENANT.has(word.replace(/_?ids?$/, '')));
}
