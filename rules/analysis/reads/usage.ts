// How a read's rows are used: streamed (memory stays flat) or loaded whole and then sliced in JavaScript.
import { ts } from 'ts-morph';
import { LIST_METHODS, STREAMING_CALLS } from '../../knowledge/readShapes';
import { calledMethod, callsOnVariable, enclosingScope } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/** `for await (const doc of cursor)`, `cursor.forEach(...)`, `.stream()`: rows arrive in batches, memory stays flat. */
export function isStreamed(trip: RoundTrip): boolean {
  const executing = trip.chain[trip.chain.length - 1] ?? trip.call;
  if (STREAMING_CALLS.has(calledMethod(executing) ?? '') || STREAMING_CALLS.has(trip.method)) return true;
  let node: ts.Node = trip.node;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isForOfStatement(node.parent) && !!node.parent.awaitModifier && node.parent.expression === node;
}

/** The `.slice(...)` call applied to the awaited result, directly or through the variable it is stored in. */
export function slicedAfter(file: FileModel, trip: RoundTrip): ts.CallExpression | undefined {
  let node: ts.Node = trip.node;
  while (
    ts.isAwaitExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isNonNullExpression(node.parent)
  )
    node = node.parent;
  const direct = sliceInChain(node);
  if (direct) return direct;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node) return undefined;
  const names = ts.isIdentifier(declaration.name)
    ? [declaration.name.text]
    : ts.isObjectBindingPattern(declaration.name)
      ? declaration.name.elements.flatMap((e) => (ts.isIdentifier(e.name) ? [e.name.text] : []))
      : [];
  const scope = enclosingScope(declaration);
  for (const name of names) {
    for (const call of callsOnVariable(scope, name)) {
      if (call.pos < declaration.end) continue;
      let root: ts.Node = skipOuterExpressions((call.expression as ts.PropertyAccessExpression).expression);
      while (ts.isCallExpression(root))
        root = skipOuterExpressions((root.expression as ts.PropertyAccessExpression).expression);
      if (!ts.isIdentifier(root) || findDeclaration(file, root)?.kind !== 'variable') continue;
      const slice = sliceInChain(root);
      if (slice) return slice;
    }
  }
  return undefined;
}

/** `x.slice(...)` or `x.filter(...).sort(...).slice(...)` starting at `node`. */
function sliceInChain(node: ts.Node): ts.CallExpression | undefined {
  let current = node;
  for (;;) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(access.parent))
      return undefined;
    if (access.name.text === 'slice') return access.parent;
    if (!LIST_METHODS.has(access.name.text)) return undefined;
    current = access.parent;
  }
}

/** `rows.slice(…)` or `(await q).slice(…)`, with no array method in between. */
export function isDirectSlice(slice: ts.CallExpression): boolean {
  const receiver = skipOuterExpressions((slice.expression as ts.PropertyAccessExpression).expression);
  return !ts.isCallExpression(receiver);
}

export function keptBySlice(slice: ts.CallExpression): { text: string; end?: number } {
  const [a, b] = slice.arguments.map((arg) => (ts.isNumericLiteral(arg) ? Number(arg.text) : undefined));
  if (slice.arguments.length === 2 && a !== undefined && b !== undefined)
    return a === 0 ? { text: `the first ${b}`, end: b } : { text: `rows ${a + 1} to ${b}`, end: b };
  return { text: 'only part of them' };
}
