// Syntax around a created client: where it is declared, used, returned, released.
import { ts } from 'ts-morph';
import { isInlineArgument } from '../analysis/entryPoints';
import {
  blockStatementOf,
  enclosingFunction,
  findDeclaration,
  isFunctionBoundary,
  skipOuterExpressions,
} from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { PROMISE_CHAIN_METHODS, RETRY_WRAPPER_MODULES } from '../knowledge/frameworks';
import { missingValueTested } from '../analysis/failurePath';

export function returnsCreated(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  let current: ts.Node = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) ||
      ts.isAwaitExpression(current.parent) ||
      ts.isAsExpression(current.parent))
  )
    current = current.parent;
  if (ts.isReturnStatement(current.parent) || (ts.isArrowFunction(current.parent) && current.parent.body === current))
    return true;
  const declaration = variableOf(node);
  return declaration
    ? usesOf(fn, declaration.name.getText(), declaration).some(
        (use) => ts.isReturnStatement(use.parent) || (ts.isShorthandPropertyAssignment(use.parent) && isInReturn(use)),
      )
    : false;
}

export function isInReturn(node: ts.Node): boolean {
  for (
    let current: ts.Node | undefined = node.parent;
    current && !isFunctionBoundary(current);
    current = current.parent
  )
    if (ts.isReturnStatement(current)) return true;
  return false;
}

export function variableOf(node: ts.Node): ts.VariableDeclaration | undefined {
  let current: ts.Node = node;
  while (
    current.parent &&
    (ts.isParenthesizedExpression(current.parent) ||
      ts.isAwaitExpression(current.parent) ||
      ts.isAsExpression(current.parent))
  )
    current = current.parent;
  return ts.isVariableDeclaration(current.parent) && ts.isIdentifier(current.parent.name) ? current.parent : undefined;
}

export function declaredWithin(fn: ts.Node, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node)) &&
      ts.isIdentifier(node.name) &&
      node.name.text === name
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(fn);
  return found;
}

/** Identifiers named `name` in `fn` after its declaration. */
export function usesOf(fn: ts.Node, name: string, declaration: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node.pos >= declaration.end) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return out;
}

/** The client leaves the function's hands: returned, assigned elsewhere, or passed to another function. */
export function escapes(use: ts.Identifier): boolean {
  const parent = use.parent;
  if (
    ts.isReturnStatement(parent) ||
    ts.isShorthandPropertyAssignment(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isArrayLiteralExpression(parent)
  )
    return true;
  if (ts.isBinaryExpression(parent) && parent.right === use) return true;
  return ts.isCallExpression(parent) && parent.arguments.includes(use);
}

export function isCallOn(use: ts.Identifier, method: string): boolean {
  const parent = use.parent;
  return (
    ts.isPropertyAccessExpression(parent) &&
    parent.expression === use &&
    parent.name.text === method &&
    ts.isCallExpression(parent.parent)
  );
}

/**
 * The release is the statement right after the checkout's own (`const c = await pool.connect(); c.release();`): nothing
 * runs in between that could throw, so there is no path that skips it.
 */
export function releasedRightAfter(checkout: ts.Node, release: ts.Node): boolean {
  const taken = blockStatementOf(checkout);
  const released = blockStatementOf(release);
  if (!taken || !released || taken.parent !== released.parent || !ts.isExpressionStatement(released)) return false;
  const statements = (taken.parent as ts.Block).statements;
  return statements.indexOf(released) === statements.indexOf(taken) + 1;
}

export function inFinally(use: ts.Node): boolean {
  for (
    let current: ts.Node | undefined = use.parent;
    current && !isFunctionBoundary(current);
    current = current.parent
  ) {
    if (ts.isBlock(current) && ts.isTryStatement(current.parent) && current.parent.finallyBlock === current)
      return true;
  }
  return false;
}

/**
 * `if (!global.mongoClientPromise) { const client = new MongoClient(url); global.mongoClientPromise = client.connect() }`:
 * the creation sits in a branch that runs only while a shared slot is empty, and the branch fills that slot — a lazy
 * singleton, whatever the creation is then wrapped in.
 */
export function insideLazyInit(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (!ts.isIfStatement(current) || !isWithinNode(node, current.thenStatement)) continue;
    const slot = emptySlot(current.expression);
    if (slot && assignsSlot(current.thenStatement, slot)) return true;
  }
  return false;
}

/**
 * The function memoises itself: it starts by returning early while slots outside it are filled
 * (`if (server && schema) return { server, schema };`) and fills them further down. It runs its body once.
 */
export function memoisedByEarlyReturn(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  for (const statement of body.statements.slice(0, 3)) {
    if (!ts.isIfStatement(statement) || statement.elseStatement) continue;
    const then = statement.thenStatement;
    if (!(ts.isReturnStatement(then) || (ts.isBlock(then) && then.statements.some(ts.isReturnStatement)))) continue;
    const slots = filledSlots(statement.expression);
    const outside = (slot: string): boolean => slot.includes('.') || !declaredWithin(fn, slot);
    if (slots.length > 0 && slots.every((slot) => outside(slot) && assignsSlot(body, slot))) return true;
  }
  return false;
}

/** The slots a condition requires to be filled: `a`, `this.b`, `a && b`. */
function filledSlots(condition: ts.Expression): string[] {
  const node = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    return [...filledSlots(node.left), ...filledSlots(node.right)];
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? [node.getText()] : [];
}

/** The text of `x` in `!x`, `x == null`, `x === undefined` when `x` is a property (`global.client`, `this.pool`). */
function emptySlot(condition: ts.Expression): string | undefined {
  const target = missingValueTested(condition);
  return target && (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target))
    ? target.getText()
    : undefined;
}

function assignsSlot(statement: ts.Node, slot: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      node.left.getText() === slot
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function isWithinNode(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

/**
 * A callback a retry helper or a promise chain runs as part of the function around it
 * (`return promiseRetry(() => MongoClient.connect(url).then(log))`): the creation belongs to that function, and is its
 * return value when each level returns it. Callbacks of anything else (listeners, routes, loops) stay their own function.
 */
export function liftThroughRunNowCallbacks(
  file: FileModel,
  node: ts.Node,
  fn: ts.FunctionLikeDeclaration,
): { fn: ts.FunctionLikeDeclaration; returned: boolean } | undefined {
  let current = fn;
  let returned = returnsThroughChain(node, current);
  let lifted = false;
  for (let depth = 0; depth < 4 && runsNow(file, current); depth++) {
    const call = current.parent as ts.CallExpression;
    const outer = enclosingFunction(call);
    if (!outer) break;
    returned = returned && returnsThroughChain(call, outer);
    current = outer;
    lifted = true;
  }
  return lifted ? { fn: current, returned } : undefined;
}

/** `fn` is passed to a retry helper's call or to a promise chain's `then`/`catch`/`finally`. */
function runsNow(file: FileModel, fn: ts.FunctionLikeDeclaration): boolean {
  if (!isInlineArgument(fn) || !ts.isCallExpression(fn.parent)) return false;
  const callee = skipOuterExpressions(fn.parent.expression);
  if (ts.isPropertyAccessExpression(callee)) return PROMISE_CHAIN_METHODS.has(callee.name.text);
  if (!ts.isIdentifier(callee)) return false;
  const declaration = findDeclaration(file, callee);
  return declaration?.kind === 'import' && RETRY_WRAPPER_MODULES.has(declaration.binding.module);
}

/** The value of `node` is what `fn` returns, directly or through `.then(…)`/`.catch(…)`/`.finally(…)` on it. */
function returnsThroughChain(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  let current: ts.Node = node;
  for (let steps = 0; steps < 8; steps++) {
    const access = current.parent;
    if (
      !access ||
      !ts.isPropertyAccessExpression(access) ||
      access.expression !== current ||
      !PROMISE_CHAIN_METHODS.has(access.name.text) ||
      !ts.isCallExpression(access.parent)
    )
      break;
    current = access.parent;
  }
  return returnsCreated(current, fn);
}
