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

/** `!x`, `!x.y`, `x == null`, `x === null`, `x === undefined`, `!x || …`. */
function testsMissing(condition: ts.Expression): boolean {
  const node = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = skipOuterExpressions(node.operand);
    return ts.isIdentifier(operand) || ts.isPropertyAccessExpression(operand);
  }
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken) return testsMissing(node.left);
    const nullish = (e: ts.Expression) =>
      e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
    if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsEqualsToken)
      return nullish(skipOuterExpressions(node.right)) || nullish(skipOuterExpressions(node.left));
  }
  return false;
}

/** The branch ends the function: its last statement returns or throws. */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
}
