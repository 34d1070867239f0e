// Route registrations (`app.get('/x', auth, handler)`, `fastify.route({ handler })`) and what their path and guards say
// about traffic: test-only routes are one-off code, admin-only routes are rare.
import { ts } from 'ts-morph';
import * as frameworks from '../knowledge/frameworks';
import { literalText, type Entry } from './entryPoints';
import { propertyNameText, skipOuterExpressions } from './scope';
import type { Evaluator } from './values';

/** `app.get('/x', auth, handler)`, `router.use(fn)`, `fastify.route({ handler })`, `router.route('/x').get(fn)`. */
export function routeEntries(
  evaluator: Evaluator,
  call: ts.CallExpression,
  method: string,
  addEntry: (expr: ts.Expression | undefined, entry: Entry) => void,
): void {
  const add = (expr: ts.Expression | undefined, entry: Entry): void => addEntry(expr, withRouteTraits(call, entry));
  const [first] = call.arguments;
  const isUse = method === 'use';
  const path = literalText(first);
  const pathFirst =
    first &&
    (ts.isStringLiteralLike(first) ||
      ts.isTemplateExpression(first) ||
      ts.isRegularExpressionLiteral(first) ||
      ts.isArrayLiteralExpression(first));
  const callee = call.expression as ts.PropertyAccessExpression;
  // `router.route('/x').get(handler)`: the path sits on the receiver.
  const chained =
    ts.isCallExpression(callee.expression) &&
    ts.isPropertyAccessExpression(callee.expression.expression) &&
    callee.expression.expression.name.text === 'route'
      ? literalText(callee.expression.arguments[0])
      : undefined;
  if (method === 'route') {
    for (const arg of call.arguments) {
      const value = skipOuterExpressions(arg);
      if (!ts.isObjectLiteralExpression(value)) continue;
      const verb = value.properties.find((p) => p.name && propertyNameText(p.name) === 'method');
      const url = value.properties.find((p) => p.name && /^(url|path)$/.test(propertyNameText(p.name) ?? ''));
      const label = `${verb && ts.isPropertyAssignment(verb) ? (literalText(verb.initializer) ?? 'route') : 'route'} ${
        url && ts.isPropertyAssignment(url) ? (literalText(url.initializer) ?? '') : ''
      }`.trim();
      for (const property of value.properties) {
        const key = property.name ? propertyNameText(property.name) : undefined;
        if (key && frameworks.ROUTE_OBJECT_HANDLER_KEYS.has(key) && ts.isPropertyAssignment(property))
          add(property.initializer, { kind: 'request', via: 'route', label });
      }
    }
    return;
  }
  if (!isUse && !pathFirst && chained === undefined) return;
  const label = isUse
    ? `middleware${path ? ` of ${path}` : ''}`
    : `${method === 'del' ? 'DELETE' : method.toUpperCase()} ${path ?? chained ?? '…'}`;
  for (const argument of call.arguments) {
    if (argument === first && pathFirst) continue;
    add(argument, { kind: 'request', via: isUse ? 'middleware' : 'route', label });
    const value = skipOuterExpressions(argument);
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        const key = property.name ? propertyNameText(property.name) : undefined;
        if (key && frameworks.ROUTE_OBJECT_HANDLER_KEYS.has(key) && ts.isPropertyAssignment(property))
          add(property.initializer, { kind: 'request', via: 'route', label });
      }
    }
  }
  void evaluator;
}

/** The path of a route label ("GET /admin/users" → "/admin/users"), or undefined when the label names none. */
function labelPath(label: string): string | undefined {
  const path = /(^|\s)(\/\S*)/.exec(label)?.[2];
  return path;
}

/** A request entry made one-off when its route exists only for tests, or marked rare when only admins reach it. */
export function withRouteTraits(registration: ts.Node, entry: Entry): Entry {
  if (entry.kind !== 'request') return entry;
  const path = labelPath(entry.label) ?? '';
  if (testOnlyRoute(path, registration))
    return { kind: 'one-off', via: 'test', label: `test-only route ${entry.label}` };
  const guards = ts.isCallExpression(registration)
    ? registration.arguments.filter((a) => !ts.isStringLiteralLike(a)).map((a) => guardText(a))
    : [];
  return adminGuarded(path, guards) ? { ...entry, rare: true } : entry;
}

/** The names a middleware argument shows (`isAdmin`, `requireRole('admin')`), not the handler body's text. */
function guardText(arg: ts.Expression): string {
  const node = skipOuterExpressions(arg);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return '';
  if (ts.isArrayLiteralExpression(node)) return node.elements.map((e) => guardText(e)).join(' ');
  if (ts.isCallExpression(node)) return node.getText();
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ? node.getText() : '';
}

/** A route path only tests call (`/_e2e/reset`), or a registration under `if (process.env.NODE_ENV === 'test')`. */
export function testOnlyRoute(path: string, registration: ts.Node): boolean {
  if (frameworks.TEST_ONLY_ROUTE_PATH.test(path)) return true;
  for (let node: ts.Node = registration; node.parent; node = node.parent) {
    const parent = node.parent;
    if (
      ts.isIfStatement(parent) &&
      parent.thenStatement === node &&
      frameworks.TEST_ENV_CONDITION.test(parent.expression.getText())
    )
      return true;
    if (ts.isSourceFile(parent)) break;
  }
  return false;
}

/** An `/admin` path segment, or a guard, role decorator or middleware that names admins. */
export function adminGuarded(path: string, guards: readonly string[]): boolean {
  return frameworks.ADMIN_ROUTE_PATH.test(path) || guards.some((g) => frameworks.ADMIN_GUARD.test(g));
}
