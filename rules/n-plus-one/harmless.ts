// n-plus-one facts that make a round trip in a loop harmless: it runs on an error path or on one iteration only, the
// loop walks chunks with one list query each, the list feeds one batch call, or a call is fired and forgotten.
import { missingValueTested } from '../analysis/failurePath';
import { ts } from 'ts-morph';
import {
  CHUNKING_CALL,
  LIST_FILTER_CALLS,
  LIST_FILTER_KEYS,
  LOGGING_CALL,
  QUERY_ARRAY_BATCH_CALLS,
} from '../knowledge/collections';
import { argumentsOf, calleeOf } from '../analysis/calls';
import type { LoopContext } from '../analysis/loops';
import type { RoundTrip } from '../analysis/roundTrips';
import { isFunctionBoundary, propertyNameText, skipOuterExpressions } from '../analysis/scope';

/** The statements between a node and its loop's body, innermost first (the node's own ancestors inside the loop). */
function ancestorsInLoop(node: ts.Node, loop: LoopContext): ts.Node[] {
  const out: ts.Node[] = [];
  for (let current = node.parent; current && current !== loop.body && current !== loop.node; current = current.parent)
    out.push(current);
  return out;
}

/**
 * Inside a `catch` block of the loop body: it runs only when an iteration fails (an error log row, a compensating
 * write), not once per element.
 */
export function onErrorPath(node: ts.Node, loop: LoopContext): boolean {
  return ancestorsInLoop(node, loop).some(
    (n) => ts.isCatchClause(n) || (ts.isIfStatement(n) && isInside(node, n.thenStatement) && isMissingBranch(n)),
  );
}

/**
 * `if (!found) { log(…) }`, `if (!ids.includes(id)) { warn(…) }`: a branch for what is missing that reports it — a
 * rare path. A branch that creates what is missing (`if (!row) await create(…)`) logs nothing and stays counted.
 */
function isMissingBranch(statement: ts.IfStatement): boolean {
  return (
    missingValueTested(statement.expression) !== undefined &&
    mentionsCall(statement.thenStatement, (name) => LOGGING_CALL.test(name))
  );
}

/**
 * Guarded so that it runs on one iteration only, or the loop runs at most once: `if (out.length === 1)` where `out` is
 * filled by the loop (true on one iteration), or `if (list.length === 1)` around a loop over `list`.
 */
export function runsOnce(node: ts.Node, loop: LoopContext): boolean {
  const filled = filledInLoop(loop);
  for (const n of ancestorsInLoop(node, loop)) {
    if (!ts.isIfStatement(n) || !isInside(node, n.thenStatement)) continue;
    const counted = lengthEquals(n.expression);
    if (counted && filled.has(counted)) return true;
  }
  // `if (list.length === 1) { for (const x of list) … }`: at most one iteration.
  const collection = loop.collection && skipOuterExpressions(loop.collection).getText();
  for (let n = loop.node.parent; n && !isFunctionBoundary(n); n = n.parent) {
    if (ts.isIfStatement(n) && isInside(loop.node, n.thenStatement) && lengthEquals(n.expression) === collection)
      return collection !== undefined;
  }
  return false;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/** `x.length === 1` (or `== 1`, `<= 1`, `< 2`): the text of `x`. */
function lengthEquals(condition: ts.Expression): string | undefined {
  const expr = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(expr)) return undefined;
  const op = expr.operatorToken.kind;
  const left = skipOuterExpressions(expr.left);
  const right = skipOuterExpressions(expr.right);
  if (!ts.isPropertyAccessExpression(left) || left.name.text !== 'length' || !ts.isNumericLiteral(right))
    return undefined;
  const value = Number(right.text);
  const once =
    ((op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) && value <= 1) ||
    (op === ts.SyntaxKind.LessThanEqualsToken && value <= 1) ||
    (op === ts.SyntaxKind.LessThanToken && value <= 2);
  return once ? skipOuterExpressions(left.expression).getText() : undefined;
}

/** Names the loop body pushes to (`out.push(x)`): collections that grow by one per iteration. */
function filledInLoop(loop: LoopContext): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['push', 'add', 'unshift'].includes(node.expression.name.text)
    )
      names.add(skipOuterExpressions(node.expression.expression).getText());
    ts.forEachChild(node, visit);
  };
  visit(loop.body);
  return names;
}

/**
 * The loop walks chunks of a list — `for (let i = 0; i < n; i += size)` with `.slice(i, …)`, or over `chunk(ids, 100)`
 * — and the round trip filters by a list (`$in`, `IN`, `whereIn`): one query per chunk, the batch form already.
 */
export function isChunkListQuery(trip: RoundTrip, loop: LoopContext, listRead: boolean): boolean {
  if (!walksChunks(loop)) return false;
  return listRead || trip.spec.batch || filtersByList(trip);
}

function walksChunks(loop: LoopContext): boolean {
  const node = loop.node;
  if (ts.isForStatement(node)) {
    const step = node.incrementor && skipOuterExpressions(node.incrementor);
    const strides =
      step !== undefined &&
      ts.isBinaryExpression(step) &&
      step.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
      !(ts.isNumericLiteral(step.right) && step.right.text === '1');
    return strides && mentionsCall(loop.body, (name) => name === 'slice' || name === 'splice');
  }
  const collection = loop.collection && skipOuterExpressions(loop.collection);
  if (!collection) return false;
  if (ts.isCallExpression(collection)) {
    const callee = skipOuterExpressions(collection.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    return CHUNKING_CALL.test(name);
  }
  return false;
}

function mentionsCall(root: ts.Node, test: (name: string) => boolean): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (test(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** `{ _id: { $in: ids } }`, `{ id: { in: ids } }`, `inArray(t.id, ids)`, `.whereIn('id', ids)`. */
function filtersByList(trip: RoundTrip): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(node) && LIST_FILTER_KEYS.has(propertyNameText(node.name) ?? '')) found = true;
    else ts.forEachChild(node, visit);
  };
  argumentsOf(trip.call).forEach(visit);
  for (const link of trip.chain) if (!found) visit(link);
  return found || mentionsCall(trip.node, (name) => LIST_FILTER_CALLS.has(name));
}

/**
 * The loop maps the list into one batch call's array — `prisma.$transaction(items.map((x) => prisma.t.create(…)))`, or
 * `const ops = items.map(…); await db.batch(ops)`: the queries go together, not one round trip each.
 */
export function feedsBatchCall(loop: LoopContext): boolean {
  let node: ts.Node = loop.node;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isSpreadElement(node.parent) ||
    ts.isArrayLiteralExpression(node.parent)
  )
    node = node.parent;
  if (ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression))
    return isBatchCall(node.parent);
  const decl = node.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  const name = decl.name.text;
  let scope: ts.Node = decl;
  while (scope.parent && !isFunctionBoundary(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && isBatchCall(n) && n.arguments.some((a) => skipOuterExpressions(a).getText() === name))
      found = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

function isBatchCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(calleeOf(call));
  return ts.isPropertyAccessExpression(callee) && QUERY_ARRAY_BATCH_CALLS.has(callee.name.text);
}

/**
 * Fired and forgotten: the call's promise is neither awaited nor kept (`deploy(job).catch(log)`, `void notify(x)`):
 * the loop hands off one job per element and does not wait for it.
 */
export function isFireAndForget(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  // `f(x).catch(…)`, `f(x).then(…)`: the promise's handlers, still not awaited.
  while (
    ts.isPropertyAccessExpression(node.parent) &&
    ['catch', 'then', 'finally'].includes(node.parent.name.text) &&
    ts.isCallExpression(node.parent.parent)
  )
    node = node.parent.parent;
  if (ts.isVoidExpression(node.parent)) return true;
  // A bare statement counts only with a handler attached: a bare `f(x);` may be a synchronous helper.
  return ts.isExpressionStatement(node.parent) && node !== call;
}
