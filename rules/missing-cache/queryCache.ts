// Reads that are already cached by the query itself (`.cache(ttl)`, `{ cache: ms }`), and reads that are an endpoint's
// whole answer.
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import { calledMethod, callsOnVariable } from '../analysis/localValues';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import { propertyNameText, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { QUERY_CACHE_METHODS, QUERY_CACHE_OPTION_KEYS } from '../knowledge/cacheable';

/**
 * Whether the read asks its library or a query-cache plugin to cache the result: a `.cache(…)` builder call on its
 * chain, a `cache` find option, or `q.cache(…)` on the variable holding the pending query (`let q = Role.findOne(…);
 * if (enabled) q.cache(ttl, key); await q.exec()`).
 */
export function hasQueryCache(trip: RoundTrip, fn: ts.Node): boolean {
  if (trip.chain.some((call) => QUERY_CACHE_METHODS.has(calledMethod(call) ?? ''))) return true;
  if (QUERY_CACHE_METHODS.has(calledMethod(trip.call) ?? '')) return true;
  for (const arg of argumentsOf(trip.call)) {
    const node = skipOuterExpressions(arg);
    if (
      ts.isObjectLiteralExpression(node) &&
      node.properties.some(
        (p) => p.name !== undefined && QUERY_CACHE_OPTION_KEYS.has(propertyNameText(p.name) ?? '') && !isFalse(p),
      )
    )
      return true;
  }
  const holder = pendingVariable(trip.node) ?? pendingVariable(trip.call);
  return (
    holder !== undefined &&
    callsOnVariable(fn, holder).some((call) => QUERY_CACHE_METHODS.has(calledMethod(call) ?? ''))
  );
}

/**
 * Whether the read is a list that is everything its handler does: the entry itself reads the rows (no call path) and
 * sends no other query or write. Such an endpoint serves a lookup table the client fetches once per page; a `Cache-Control` header
 * (or the client) is the cache, and the server-side saving is one small query per page view.
 */
export function isWholeResponse(analysis: ProjectAnalysis, file: FileModel, trip: RoundTrip, fn: ts.Node): boolean {
  if (!trip.spec.collection) return false;
  const reach = analysis.entryReaching({ file, node: fn as ts.FunctionLikeDeclaration });
  if (!reach || reach.path.length > 0 || reach.entry.node !== fn) return false;
  const inside = analysis.roundTrips
    .inFile(file)
    .filter((other) => other.node.pos >= fn.pos && other.node.end <= fn.end);
  return inside.length === 1 && inside[0] === trip;
}

function isFalse(property: ts.ObjectLiteralElementLike): boolean {
  return ts.isPropertyAssignment(property) && property.initializer.kind === ts.SyntaxKind.FalseKeyword;
}

/** `q` in `let q = Role.findOne(…)`: a variable holding the pending query. */
function pendingVariable(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}
