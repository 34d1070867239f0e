// Redis range reads (LRANGE, ZRANGE): whether the literal arguments ask for the whole range (`0`, `-1`) or a slice of it.
import { ts } from 'ts-morph';
import { argumentsOf } from '../calls';
import { resolveLocal } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import type { FileModel } from '../sourceFile';

/** Whether a read whose table gives an argument pattern (`{ args: { 1: 0, 2: -1 } }`) is called with exactly it. */
export function readsWholeRange(file: FileModel, trip: RoundTrip): boolean {
  const unbounded = trip.spec.unbounded;
  if (unbounded === undefined || typeof unbounded === 'string') return false;
  return Object.entries(unbounded.args).every(([index, expected]) => {
    const arg = argumentsOf(trip.call)[Number(index)];
    return arg !== undefined && literalArg(file, arg) === String(expected);
  });
}

/** How many elements a slice `start, stop` holds when both are non-negative literals (`0, 19` → 20). */
export function rangeLength(file: FileModel, trip: RoundTrip): number | undefined {
  const args = argumentsOf(trip.call);
  const start = Number(literalArg(file, args[1]));
  const stop = Number(literalArg(file, args[2]));
  return Number.isInteger(start) && Number.isInteger(stop) && start >= 0 && stop >= start
    ? stop - start + 1
    : undefined;
}

/** `0`, `-1`, `'-inf'`, `"+"` as text; undefined for anything computed. */
export function literalArg(file: FileModel, arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  const node = resolveLocal(file, arg);
  if (ts.isNumericLiteral(node) || ts.isStringLiteralLike(node))
    return String(ts.isNumericLiteral(node) ? Number(node.text) : node.text);
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return String(-Number(node.operand.text));
  return undefined;
}
