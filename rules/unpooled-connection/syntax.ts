// Syntax around a created client: where it is declared, used, returned, released.
import { ts } from 'ts-morph';
import { isFunctionBoundary } from '../analysis/scope';
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
