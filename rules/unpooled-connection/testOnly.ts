// Entry points that exist only for tests or development: a route under `/_e2e`, or one registered inside `if (isDev)`.
import { ts } from 'ts-morph';
import { DEV_ONLY_ENVIRONMENT, DEV_ONLY_FLAG, TEST_ONLY_ROUTE } from '../knowledge/frameworks';
import { staticText } from '../analysis/roundTrips';
import type { FunctionRef } from '../analysis/summaries';

/**
 * Whether `fn`, a framework entry, is registered only for tests or development: its route path is a test path, or
 * its registration sits in the then-branch of a development/test-only `if`. Production traffic never calls it.
 */
export function isTestOnlyEntry(fn: FunctionRef): boolean {
  const registration = fn.node.parent;
  if (ts.isCallExpression(registration)) {
    const path = staticText(registration.arguments[0]);
    if (path !== undefined && TEST_ONLY_ROUTE.test(path)) return true;
  }
  for (let node: ts.Node = fn.node; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node && isDevOnlyCondition(parent.expression)) return true;
  }
  return false;
}

/** `isDev`, `config.isDevelopment`, `process.env.NODE_ENV === 'test'`, `env !== 'production'` is not one (staging). */
function isDevOnlyCondition(condition: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(condition)) return isDevOnlyCondition(condition.expression);
  if (ts.isIdentifier(condition)) return DEV_ONLY_FLAG.test(condition.text);
  if (ts.isPropertyAccessExpression(condition)) return DEV_ONLY_FLAG.test(condition.name.text);
  if (ts.isBinaryExpression(condition)) {
    const operator = condition.operatorToken.kind;
    // Either side dev-only is enough under `&&`; under `||` both must be.
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken)
      return isDevOnlyCondition(condition.left) || isDevOnlyCondition(condition.right);
    if (operator === ts.SyntaxKind.BarBarToken)
      return isDevOnlyCondition(condition.left) && isDevOnlyCondition(condition.right);
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken) {
      const text = staticText(condition.right) ?? staticText(condition.left);
      return text !== undefined && DEV_ONLY_ENVIRONMENT.test(text);
    }
  }
  return false;
}
