// Which parents a read is filtered by: the foreign keys its filter names (`{ projectId }`, `where('note_id', id)`,
// `eq(member.organizationId, id)`, `WHERE monitor_id = ?`), as parent words.
import { ts } from 'ts-morph';
import { argumentsOf } from '../calls';
import { calledMethod, resolveLocal } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { propertyNameText, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';
import { ownerOfKey } from '../sql';
import { parentWord } from './subject';

/** Option keys whose values shape the result, not the filter: a key named there is not a parent. */
const SHAPE_KEYS = new Set([
  'select',
  'include',
  'orderBy',
  'order',
  'sort',
  'relations',
  'populate',
  'attributes',
  'columns',
  'projection',
  'fields',
  'with',
  'groupBy',
]);

/** Builder calls that filter (`where`, `andWhere`, `orWhere`, `whereIn`, `filter`), not joins or selects. */
const FILTER_CALL = /^(and|or)?where|^filter$/i;

/** Keys that name the row itself: `{ folder: { id } }` filters by one folder. */
const ROW_KEYS = new Set(['id', '_id', 'uuid']);

/**
 * The parents (as words: `project`, `note`, `guild`) whose foreign keys the read's filter names, from its arguments,
 * the builder calls that shape it, and its SQL text.
 */
export function readParents(file: FileModel, trip: RoundTrip, builderCalls: readonly ts.CallExpression[]): string[] {
  const keys: string[] = [];
  if (trip.sql !== undefined)
    for (const match of trip.sql.matchAll(/([\w."`]+)\s*=\s*(?:\$\d+|\?|:\w+|\$\{)/g)) keys.push(match[1]!);
  const visit = (node: ts.Node, depth: number): void => {
    if (depth > 6) return;
    const value = ts.isExpression(node) ? resolveLocal(file, node) : node;
    if (ts.isIdentifier(skipOuterExpressions(node as ts.Expression)) && value !== node)
      keys.push(...assignedKeys(skipOuterExpressions(node as ts.Expression) as ts.Identifier));
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        const key = property.name && propertyNameText(property.name);
        if (key === undefined || SHAPE_KEYS.has(key)) continue;
        keys.push(key);
        if (ts.isPropertyAssignment(property)) {
          const inner = resolveLocal(file, property.initializer);
          if (ts.isObjectLiteralExpression(inner) && namesRow(inner)) keys.push(`${key}_id`);
          visit(inner, depth + 1);
        }
      }
      return;
    }
    if (ts.isArrayLiteralExpression(value)) return value.elements.forEach((e) => visit(e, depth + 1));
    if (ts.isStringLiteralLike(value)) return void keys.push(...(value.text.match(/[\w.]+/g) ?? []));
    if (ts.isCallExpression(value)) return visitCall(value, depth);
    if (ts.isTemplateExpression(value))
      for (const span of value.templateSpans) {
        const hole = skipOuterExpressions(span.expression);
        if (ts.isPropertyAccessExpression(hole)) keys.push(hole.name.text);
      }
  };
  // `where(Field.noteId, id)`, `eq(member.organizationId, id)`: a column named as the first argument.
  const visitCall = (call: ts.CallExpression, depth: number): void => {
    const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
    if (first && ts.isPropertyAccessExpression(first)) keys.push(first.name.text);
    for (const arg of call.arguments) visit(arg, depth + 1);
  };
  for (const arg of argumentsOf(trip.call)) visit(arg, 0);
  for (const call of builderCalls) if (FILTER_CALL.test(calledMethod(call) ?? '')) visitCall(call, 0);
  const parents = new Set<string>();
  for (const key of keys) {
    const owner = ownerOfKey(key);
    const word = owner && parentWord(owner);
    if (word) parents.add(word);
  }
  return [...parents];
}

/**
 * Keys set on a filter object after it is built (`query.id_project = req.projectid`, `q['status'] = 'open'`), anywhere
 * in the function that reads with it.
 */
export function assignedKeys(filter: ts.Identifier): string[] {
  const keys: string[] = [];
  let scope: ts.Node = filter;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      const key = ts.isPropertyAccessExpression(target)
        ? target.name.text
        : ts.isElementAccessExpression(target) && ts.isStringLiteralLike(target.argumentExpression)
          ? target.argumentExpression.text
          : undefined;
      const object = key !== undefined ? skipOuterExpressions((target as ts.AccessExpression).expression) : undefined;
      if (object && ts.isIdentifier(object) && object.text === filter.text) keys.push(key!);
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return keys;
}

function namesRow(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((p) => p.name && ROW_KEYS.has(propertyNameText(p.name) ?? ''));
}
