// Filters that leave a handful of rows whatever the table's size: the row's own name (`alias = ?` on the alias table),
// or the administrators by a flag (`isAdmin: true`; a `role: 'admin'` value is left alone: roles are data the app defines).
import { ts } from 'ts-morph';
import { FEW_ROWS_FLAG } from '../../knowledge/readGrowth';
import { argumentsOf } from '../calls';
import { calledMethod, resolveLocal } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { propertyNameText, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';
import { growsPerParent } from './subject';

interface Comparison {
  column: string;
  value: ts.Expression;
}

/** The last word of a name, lower case, as written (`TableAlias` → `alias`, `aliases` → `aliases`). */
function lastWord(name: string): string | undefined {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .pop()
    ?.toLowerCase();
}

/** Whether the read's filter compares its own name column with a value, or picks the administrators. */
export function filterLeavesFewRows(
  file: FileModel,
  trip: RoundTrip,
  builderCalls: readonly ts.CallExpression[],
  subject: string | undefined,
): boolean {
  const own = subject === undefined ? undefined : lastWord(subject);
  return comparisons(file, trip, builderCalls).some(({ column, value }) => {
    const node = skipOuterExpressions(value);
    if (FEW_ROWS_FLAG.test(column) && node.kind === ts.SyntaxKind.TrueKeyword) return true;
    // `aliases.where(alias, name)`: a row named by the caller, in the table of such names.
    const last = lastWord(column);
    // In a table of events or messages the same-named column is their type (`event: name`), shared by many rows.
    const named =
      !!own && !!last && (own === last || own === `${last}s` || own === `${last}es`) && !growsPerParent(subject);
    return named && !ts.isLiteralExpression(node) && !isKeyword(node);
  });
}

function isKeyword(node: ts.Expression): boolean {
  return node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword;
}

/** `{ column: value }` in the read's arguments (and their `where`), and `where(column, value)` on its chain. */
function comparisons(file: FileModel, trip: RoundTrip, builderCalls: readonly ts.CallExpression[]): Comparison[] {
  const found: Comparison[] = [];
  const fromObject = (expr: ts.Expression, depth: number): void => {
    const object = resolveLocal(file, expr);
    if (!ts.isObjectLiteralExpression(object) || depth > 2) return;
    for (const property of object.properties) {
      const key = property.name && propertyNameText(property.name);
      if (key === undefined) continue;
      if (ts.isShorthandPropertyAssignment(property)) found.push({ column: key, value: property.name });
      if (!ts.isPropertyAssignment(property)) continue;
      if (key === 'where') fromObject(property.initializer, depth + 1);
      else found.push({ column: key, value: property.initializer });
    }
  };
  for (const arg of argumentsOf(trip.call)) fromObject(arg, 0);
  for (const call of builderCalls) {
    if (!/^(and)?where(Equal\w*)?$/i.test(calledMethod(call) ?? '')) continue;
    const [first, second, third] = call.arguments;
    if (!first) continue;
    if (!second) {
      fromObject(first, 0);
      continue;
    }
    const head = skipOuterExpressions(first);
    const column = ts.isStringLiteralLike(head)
      ? head.text
      : ts.isPropertyAccessExpression(head)
        ? head.name.text
        : undefined;
    const op = third && ts.isStringLiteralLike(second) ? second.text.trim() : '=';
    if (column !== undefined && op === '=') found.push({ column, value: third ?? second });
  }
  return found;
}
