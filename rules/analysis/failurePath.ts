// Whether code runs only on a failure branch: the not-found/denied branch of a guard that ends the function, or a catch.
import { ts } from 'ts-morph';
import { skipOuterExpressions } from './scope';

/**
 * True when `node` sits in a `catch` block, or in the branch of `if (!found) { …; return }` (also `found == null`,
 * `=== null`, `=== undefined`) that handles a missing result and leaves the function: error and not-found paths run
 * on a small share of calls, so what they read does not repeat with traffic.
 */
export function onFailurePath(node: ts.Node, fn: ts.Node): boolean {
  let child: ts.Node = node;
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isCatchClause(current)) return true;
    if (
      ts.isIfStatement(current) &&
      child === current.thenStatement &&
      testsMissing(current.expression) &&
      leaves(current.thenStatement)
    )
      return true;
    child = current;
  }
  return false;
}

/** `!x || …`: the left side decides whether the branch handles a missing value. */
function testsMissing(condition: ts.Expression): boolean {
  const node = skipOuterExpressions(condition);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    return testsMissing(node.left);
  const tested = missingValueTested(node);
  return tested !== undefined && (ts.isIdentifier(tested) || ts.isPropertyAccessExpression(tested));
}

/**
 * The value a condition tests for missing — `x` in `!x`, `x == null`, `x === undefined` (either side) — or undefined
 * for any other condition. Shared by the failure-branch, missing-branch and lazy-singleton checks.
 */
export function missingValueTested(condition: ts.Expression): ts.Expression | undefined {
  const node = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken)
    return skipOuterExpressions(node.operand);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken ||
      node.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken)
  ) {
    const nullish = (e: ts.Expression) => {
      const side = skipOuterExpressions(e);
      return side.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(side) && side.text === 'undefined');
    };
    if (nullish(node.right)) return skipOuterExpressions(node.left);
    if (nullish(node.left)) return skipOuterExpressions(node.right);
  }
  return undefined;
}

/** The branch ends the function: its last statement returns or throws. */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}
