// Whether a limit value bounds a read: huge literals, undefined, or an optional parameter some caller leaves out.
import { ts } from 'ts-morph';
import type { CallerSite } from '../executionContext';
import { resolveLocal, shortText } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';
import type { FunctionRef } from '../summaries';

/**
 * A limit that is no limit (`take: 1e9`, `limit(undefined)`), or one that is undefined when some caller leaves it out.
 */
export type LimitProblem =
  | { kind: 'huge'; node: ts.Node; text: string }
  | { kind: 'maybe'; node: ts.Node; source: string; boundName: string; caller: CallerSite };

/** What checking a limit needs from the project: the call sites of a function. */
export interface CallerLookup {
  callersOf(fn: FunctionRef): CallerSite[];
}

/**
 * Checks one limit value: literally huge, `undefined`, Mongo's 0, or possibly undefined (optional parameter,
 * `x?.limit`).
 */
export function limitProblem(
  file: FileModel,
  expr: ts.Expression | undefined,
  maxReasonableLimit: number,
  zeroIsNone: boolean,
  boundName: string,
  trip: RoundTrip,
  analysis: CallerLookup,
): LimitProblem | undefined {
  if (!expr) return undefined;
  const node = skipOuterExpressions(expr);
  const value = resolveLocal(file, node);
  const max = maxReasonableLimit;
  if (ts.isNumericLiteral(value)) {
    const n = Number(value.text.replace(/_/g, ''));
    if (n > max || (n === 0 && zeroIsNone)) return { kind: 'huge', node, text: limitText(file, node, boundName) };
    return undefined;
  }
  if (
    ts.isIdentifier(value) &&
    (value.text === 'undefined' || value.text === 'Infinity') &&
    !findDeclaration(file, value)
  )
    return { kind: 'huge', node, text: limitText(file, node, boundName) };
  if (
    ts.isPropertyAccessExpression(value) &&
    ts.isIdentifier(value.expression) &&
    value.expression.text === 'Number' &&
    /^(MAX_SAFE_INTEGER|MAX_VALUE|POSITIVE_INFINITY)$/.test(value.name.text)
  ) {
    return { kind: 'huge', node, text: limitText(file, node, boundName) };
  }
  const optional = optionalSource(file, node, trip);
  const caller = optional && callerLeavingOut(analysis, file, optional.parameter, optional.property);
  if (caller) return { kind: 'maybe', node, source: shortText(file, node), boundName, caller };
  return undefined;
}

export function limitText(file: FileModel, node: ts.Node, boundName: string): string {
  const value = shortText(file, node, 40);
  return boundName.startsWith('.') ? `${boundName.slice(0, -2)}(${value})` : `${boundName.replace(/`/g, '')}: ${value}`;
}

/**
 * A limit that comes from an optional parameter: `limit` (`limit?: number`, unguarded), `{ limit }` of an optional
 * property, `opts?.limit`, `opts && opts.limit`.
 */
function optionalSource(
  file: FileModel,
  node: ts.Expression,
  trip: RoundTrip,
): { parameter: ts.ParameterDeclaration; property?: string } | undefined {
  if (ts.isIdentifier(node)) {
    if (!isUnguardedOptionalParameter(file, node, trip)) return undefined;
    const decl = findDeclaration(file, node);
    return decl?.kind === 'parameter' ? { parameter: decl.decl, property: decl.path[0] } : undefined;
  }
  let access: ts.Expression = node;
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
    ts.isIdentifier(node.left)
  )
    access = skipOuterExpressions(node.right);
  else if (!ts.isPropertyAccessExpression(node) || !hasOptionalChain(node)) return undefined;
  if (!ts.isPropertyAccessExpression(access) || !ts.isIdentifier(access.expression)) return undefined;
  if (ts.isBinaryExpression(node) && (node.left as ts.Identifier).text !== access.expression.text) return undefined;
  const decl = findDeclaration(file, access.expression);
  if (decl?.kind !== 'parameter' || decl.path.length || decl.decl.initializer) return undefined;
  if (!decl.decl.questionToken && !(decl.decl.type && includesUndefined(decl.decl.type))) return undefined;
  return { parameter: decl.decl, property: access.name.text };
}

/** A call in the project that leaves the parameter (or its property) out, so the limit is undefined there. */
function callerLeavingOut(
  analysis: CallerLookup,
  file: FileModel,
  parameter: ts.ParameterDeclaration,
  property: string | undefined,
): CallerSite | undefined {
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || !('body' in fn)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  for (const site of analysis.callersOf({ file, node: fn as ts.FunctionLikeDeclaration })) {
    const args = site.call.arguments;
    if (args.some((a) => ts.isSpreadElement(a))) continue;
    const arg = args[index];
    if (!arg || (ts.isIdentifier(arg) && arg.text === 'undefined')) return site;
    const value = skipOuterExpressions(arg);
    if (
      property &&
      ts.isObjectLiteralExpression(value) &&
      !value.properties.some((p) => ts.isSpreadAssignment(p) || (p.name && (p.name as ts.Identifier).text === property))
    )
      return site;
  }
  return undefined;
}

function hasOptionalChain(node: ts.Expression): boolean {
  let current: ts.Expression = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    if (current.questionDotToken) return true;
    current = current.expression;
  }
  return false;
}

/** `limit?: number` (or `{ limit }: { limit?: number }`) with no default, used nowhere but in this read. */
function isUnguardedOptionalParameter(file: FileModel, id: ts.Identifier, trip: RoundTrip): boolean {
  const decl = findDeclaration(file, id);
  if (decl?.kind !== 'parameter' || decl.decl.initializer || decl.path.length > 1) return false;
  const parameter = decl.decl;
  if (decl.path.length === 0) {
    if (!parameter.questionToken && !(parameter.type && includesUndefined(parameter.type))) return false;
  } else {
    const pattern = parameter.name;
    const element = ts.isObjectBindingPattern(pattern)
      ? pattern.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === id.text)
      : undefined;
    if (!element || element.initializer || !parameter.type || !ts.isTypeLiteralNode(parameter.type)) return false;
    const member = parameter.type.members.find((m) => m.name && (m.name as ts.Identifier).text === decl.path[0]);
    if (
      !member ||
      !(member.questionToken || (ts.isPropertySignature(member) && member.type && includesUndefined(member.type)))
    )
      return false;
  }
  // Any other mention (a guard, a default, a reassignment) makes the value unknowable here.
  const fn = parameter.parent;
  let otherUse = false;
  const visit = (node: ts.Node): void => {
    if (otherUse) return;
    if (
      ts.isIdentifier(node) &&
      node.text === id.text &&
      node !== id &&
      !(node.pos >= trip.call.pos && node.end <= trip.call.end)
    ) {
      if (!isDeclarationName(node)) otherUse = true;
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isFunctionLike(fn) && 'body' in fn && fn.body) visit(fn.body);
  return !otherUse;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isBindingElement(parent) || ts.isParameter(parent) || ts.isVariableDeclaration(parent)) && parent.name === node
  );
}

function includesUndefined(type: ts.TypeNode): boolean {
  return ts.isUnionTypeNode(type) && type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
}
