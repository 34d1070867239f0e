// Syntax facts collection sizing reads: constants, retention trims, empty collections, request parameters, returns.
import { ts } from 'ts-morph';
import * as collections from '../knowledge/collections';
import { findDeclaration, isFunctionBoundary, skipOuterExpressions } from './scope';
import type { CallerSite } from './executionContext';
import type { FileModel } from './sourceFile';

/**
 * `if (list.length > 10) { for (const old of list.slice(10)) … }`: the excess over a retention limit, trimmed each
 * time — what was added since the last trim, not the whole list.
 */
export function isRetentionTrim(file: FileModel, call: ts.CallExpression): boolean {
  const keep = constantNumber(file, call.arguments[0]);
  const callee = skipOuterExpressions(call.expression);
  if (keep === undefined || keep <= 0 || !ts.isPropertyAccessExpression(callee)) return false;
  const list = skipOuterExpressions(callee.expression).getText(file.sourceFile);
  for (let node: ts.Node = call; node.parent && !isFunctionBoundary(node); node = node.parent) {
    const parent = node.parent;
    if (!ts.isIfStatement(parent) || parent.thenStatement !== node) continue;
    const test = skipOuterExpressions(parent.expression);
    if (
      ts.isBinaryExpression(test) &&
      ts.isPropertyAccessExpression(test.left) &&
      test.left.name.text === 'length' &&
      skipOuterExpressions(test.left.expression).getText(file.sourceFile) === list &&
      ((test.operatorToken.kind === ts.SyntaxKind.GreaterThanToken && constantNumber(file, test.right) === keep) ||
        (test.operatorToken.kind === ts.SyntaxKind.GreaterThanEqualsToken &&
          constantNumber(file, test.right) === keep + 1))
    )
      return true;
  }
  return false;
}

/** A numeric literal, or a const initialised with one (`MAX_ITEMS`), in this file. */
export function constantNumber(file: FileModel, input: ts.Expression | undefined): number | undefined {
  const expr = input && skipOuterExpressions(input);
  if (!expr) return undefined;
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (!ts.isIdentifier(expr)) return undefined;
  const decl = findDeclaration(file, expr);
  if (decl?.kind !== 'variable' || decl.path.length || !decl.decl.initializer || !isConst(decl.decl)) return undefined;
  const init = skipOuterExpressions(decl.decl.initializer);
  return ts.isNumericLiteral(init) ? Number(init.text) : undefined;
}

export function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** `[]`, `new Set()`, `new Map()`, `{}`: a collection filled afterwards. */
export function isEmptyCollection(expr: ts.Expression): boolean {
  if (ts.isArrayLiteralExpression(expr)) return expr.elements.length === 0;
  if (ts.isNewExpression(expr))
    return (
      ts.isIdentifier(expr.expression) &&
      collections.COPYING_CONSTRUCTORS.has(expr.expression.text) &&
      !(expr.arguments ?? []).length
    );
  return false;
}

export function parameterText(parameter: ts.ParameterDeclaration): string {
  return ts.isIdentifier(parameter.name) ? parameter.name.text : 'the request';
}

/**
 * A handler parameter that carries what the client sent: one decorated `@Body()`/`@Query()`/`@Args()`, or, in a
 * request handler, a member path through `body`/`query`/`params`/`input`/`args` (`req.body.items`, `{ input }`).
 */
export function isRequestParameter(parameter: ts.ParameterDeclaration, path: string[], requestEntry: boolean): boolean {
  const decorators = ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : [];
  if (
    decorators.some((d) => {
      const expr = ts.isCallExpression(d.expression) ? d.expression.expression : d.expression;
      return ts.isIdentifier(expr) && collections.REQUEST_PARAMETER_DECORATORS.has(expr.text);
    })
  )
    return true;
  if (!requestEntry) return false;
  const names = ts.isObjectBindingPattern(parameter.name) ? path : path.slice(0, 2);
  return names.some((name) => collections.REQUEST_DATA_MEMBERS.has(name));
}

/** Every `return` expression of a function body (or its expression body), nested functions left out. */
export function returnExpressions(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionBoundary(node)) return;
    if (ts.isReturnStatement(node) && node.expression) out.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** `(err, rows) => …`: a Node-style callback, whose second parameter is the result. */
export function isErrorFirst(fn: ts.FunctionLikeDeclaration): boolean {
  const first = fn.parameters[0];
  return fn.parameters.length >= 2 && !!first && ts.isIdentifier(first.name) && /^e(rr(or)?)?$/i.test(first.name.text);
}

/** Call sites ordered by how much of the path they share with `file`: the same package's callers first. */
export function callersNearestFirst(file: FileModel, sites: CallerSite[]): CallerSite[] {
  const shared = (path: string): number => {
    let i = 0;
    while (i < path.length && i < file.path.length && path[i] === file.path[i]) i++;
    return i;
  };
  return [...sites].sort((a, b) => shared(b.file.path) - shared(a.file.path));
}
