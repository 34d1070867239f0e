// Builders behind helpers: one made by a helper of the same file (`buildSitemapQuery(manager).getRawMany()`) and the bound it applies, or one passed through filter helpers (`applyVisible(qb).getMany()`).
import { ts } from 'ts-morph';
import { calledMethod, callsOnVariable, enclosingScope, receiverChainCalls } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/**
 * The read's chain starts from a call of a local function (`indexedQuery(manager).andWhere(…).getMany()`) whose body
 * applies one of the bound calls (`.limit(SITEMAP_LIMIT)`, `.take(n)`): the helper caps the builder it returns.
 */
export function helperAppliesBound(file: FileModel, trip: RoundTrip, boundCalls: readonly string[]): boolean {
  if (boundCalls.length === 0 || !ts.isCallExpression(trip.call)) return false;
  const helper = helperBody(file, chainRoot(trip.call));
  if (!helper) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && boundCalls.includes(calledMethod(node) ?? '') && node.arguments.length > 0)
      found = true;
    // A nested function's bound is its own business.
    if (node !== helper && ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(helper);
  return found;
}

/** The innermost call a builder chain starts from: `a(x).b().c()` → `a(x)`. */
function chainRoot(call: ts.CallExpression): ts.Expression {
  let current: ts.Expression = call;
  for (let steps = 0; steps < 40; steps++) {
    const node = skipOuterExpressions(current);
    if (ts.isAwaitExpression(node)) {
      current = node.expression;
      continue;
    }
    if (!ts.isCallExpression(node)) return node;
    const callee = skipOuterExpressions(node.expression);
    if (!ts.isPropertyAccessExpression(callee)) return node;
    current = callee.expression;
  }
  return current;
}

/** The function a plain call names (`helper(x)`), declared in this file as a function or a const arrow. */
function helperBody(file: FileModel, root: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  const node = skipOuterExpressions(root);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isIdentifier(callee)) return undefined;
  const decl = findDeclaration(file, callee);
  if (decl?.kind === 'function') return decl.node;
  if (decl?.kind !== 'variable' || decl.path.length > 0 || !decl.decl.initializer) return undefined;
  const init = skipOuterExpressions(decl.decl.initializer);
  return ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init : undefined;
}

/**
 * A builder passed through plain helpers before it runs (`applyVisible(applyFilters(qb, 'p'), 'p').getRawMany()`):
 * the calls made on it before it went in (`qb = repo.createQueryBuilder('p').limit(n)`). Helpers that take the builder
 * first and return it add conditions to it; they do not make a new one.
 */
export function wrappedBuilderCalls(file: FileModel, trip: RoundTrip): ts.CallExpression[] {
  if (!ts.isCallExpression(trip.call)) return [];
  const out: ts.CallExpression[] = [];
  let root = chainRoot(trip.call);
  for (let depth = 0; depth < 8; depth++) {
    const node = skipOuterExpressions(root);
    if (!ts.isCallExpression(node) || !ts.isIdentifier(skipOuterExpressions(node.expression))) break;
    const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
    if (!first) break;
    if (ts.isIdentifier(first)) {
      const scope = enclosingScope(trip.call);
      out.push(...callsOnVariable(scope, first.text).filter((c) => c.end <= node.pos));
      const decl = findDeclaration(file, first);
      if (decl?.kind !== 'variable' || decl.path.length > 0 || !decl.decl.initializer) break;
      const init = skipOuterExpressions(decl.decl.initializer);
      if (!ts.isCallExpression(init)) break;
      out.push(init, ...receiverChainCalls(file, init));
      break;
    }
    if (!ts.isCallExpression(first)) break;
    if (ts.isPropertyAccessExpression(skipOuterExpressions(first.expression)))
      out.push(first, ...receiverChainCalls(file, first));
    root = chainRoot(first);
  }
  return out;
}
