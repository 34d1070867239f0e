// n-plus-one: a round trip reached only on a cache miss that the same chain fills (`await store.get(k) || load()`,
// where `load` ends with `store.set(k, …)`): it runs once per key, not once per element.
import { ts } from 'ts-morph';
import { enclosingFunction, isFunctionBoundary, skipOuterExpressions } from '../analysis/scope';
import type { Reach } from '../analysis/summaries';

const CACHE_GETS = new Set(['get', 'getItem', 'fetch', 'hget']);
const CACHE_SETS = new Set(['set', 'setItem', 'hset', 'setex']);

/**
 * Whether a call of the chain (the loop's own call, a step, or the round trip) sits on the miss side of a cache
 * read whose store the chain writes back to. The store is matched by its last name (`client.keyv.get` and
 * `guild.client.keyv.set` use the same `keyv`): a write-back to the store read is what makes it a memo, whatever the
 * store's library.
 */
export function isCacheAsideFill(loopCall: ts.CallExpression, reach: Reach): boolean {
  const calls: ts.Node[] = [loopCall, ...reach.steps.map((s) => s.call), reach.trip.node];
  const bodies: ts.Node[] = reach.steps.map((s) => s.target.node);
  for (const call of calls) {
    const store = missSideStore(call);
    if (!store) continue;
    const own = enclosingFunction(call);
    if ([own, ...bodies].some((body) => body !== undefined && writesBack(body, store))) return true;
  }
  return false;
}

/** `await a.b.store.get(k) || <node>` (or `??`): the last name of the store read before `node`. */
function missSideStore(node: ts.Node): string | undefined {
  let child: ts.Node = node;
  for (let current = node.parent; current && !isFunctionBoundary(current); current = current.parent) {
    if (
      ts.isBinaryExpression(current) &&
      current.right === child &&
      (current.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    ) {
      const store = storeOf(current.left, CACHE_GETS);
      if (store) return store;
    }
    child = current;
  }
  return undefined;
}

/** The receiver's last name of `(await) x.store.get(…)` when the method is one of `methods`. */
function storeOf(input: ts.Expression, methods: ReadonlySet<string>): string | undefined {
  let expr = skipOuterExpressions(input);
  if (ts.isAwaitExpression(expr)) expr = skipOuterExpressions(expr.expression);
  if (!ts.isCallExpression(expr)) return undefined;
  const callee = skipOuterExpressions(expr.expression);
  if (!ts.isPropertyAccessExpression(callee) || !methods.has(callee.name.text)) return undefined;
  const receiver = skipOuterExpressions(callee.expression);
  if (ts.isIdentifier(receiver)) return receiver.text;
  if (ts.isPropertyAccessExpression(receiver)) return receiver.name.text;
  return undefined;
}

function writesBack(body: ts.Node, store: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && storeOf(node, CACHE_SETS) === store) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}
