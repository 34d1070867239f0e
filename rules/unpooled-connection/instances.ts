// Where a client is created: which calls create one, and the loops and per-call instances that repeat it.
import { ts } from 'ts-morph';
import { own } from '../knowledge/own';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import { enclosingFunction, isFunctionBoundary, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { codeName, type FunctionRef } from '../analysis/summaries';
import type { HandleValue } from '../analysis/values';

/** The client or pool a method body creates and keeps on `this` (`this.pool = new Pool(…)`), if any. */
export function storedCreation(
  analysis: ProjectAnalysis,
  body: ts.Node,
): { node: ts.NewExpression | ts.CallExpression; created: HandleValue } | undefined {
  let found: { node: ts.NewExpression | ts.CallExpression; created: HandleValue } | undefined;
  const visit = (node: ts.Node): void => {
    if (found || isFunctionBoundary(node)) return;
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && storedOnThis(node)) {
      const created = creationOf(analysis, node);
      if (created) found = { node, created };
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** `this.pool = new Pool(…)` (through `await` or parentheses). */
export function storedOnThis(node: ts.Node): boolean {
  let current: ts.Node = node;
  while (current.parent && (ts.isParenthesizedExpression(current.parent) || ts.isAwaitExpression(current.parent)))
    current = current.parent;
  const parent = current.parent;
  return (
    ts.isBinaryExpression(parent) &&
    parent.right === current &&
    ts.isPropertyAccessExpression(parent.left) &&
    parent.left.expression.kind === ts.SyntaxKind.ThisKeyword
  );
}

/** `db.connect()` where `const db = new X(…)` is declared in the same function: an instance made for this call. */
export function isFreshInstanceReceiver(call: ts.CallExpression, caller: ts.Node): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  return freshInstanceNames(caller).has(callee.expression.text);
}

/**
 * Names declared `const x = new X(…)` directly in `caller` (not in nested functions), one walk per function: walking
 * the function for every call in it was quadratic on files wrapped in one big function (UMD bundles). A function node
 * is only reused by the incremental parser when its text is unchanged, so the cache stays true across edits.
 */
const freshNamesByFunction = new WeakMap<ts.Node, Set<string>>();

function freshInstanceNames(caller: ts.Node): Set<string> {
  const cached = freshNamesByFunction.get(caller);
  if (cached) return cached;
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isNewExpression(skipOuterExpressions(node.initializer))
    )
      names.add(node.name.text);
    if (!isFunctionBoundary(node) || node === caller) ts.forEachChild(node, visit);
  };
  visit(caller);
  freshNamesByFunction.set(caller, names);
  return names;
}

export function connectionWord(created: HandleValue): string {
  return created.type.connection === 'pool' ? 'connection pool' : 'connection';
}

/** Whether a syntactic loop (`for`, `while`, `do`) or an iterating callback runs `node` within `fn`. */
export function inLoop(analysis: ProjectAnalysis, file: FileModel, node: ts.Node, fn: ts.Node): boolean {
  if (analysis.loopOf(file, node)) return true;
  for (let current = node.parent; current && current !== fn; current = current.parent)
    if (ts.isIterationStatement(current, false)) return true;
  return false;
}

/** "on every pass of a loop in `main`": the creation, or a call of its function, repeats in a loop. */
export function loopAround(
  analysis: ProjectAnalysis,
  file: FileModel,
  node: ts.Node,
  fn: ts.FunctionLikeDeclaration,
): string | undefined {
  if (inLoop(analysis, file, node, fn)) return `on every pass of a loop in ${codeName({ file, node: fn })}`;
  // `new Promise((resolve) => { … })`: the executor runs as part of the function around it.
  let outer: ts.FunctionLikeDeclaration = fn;
  while (ts.isNewExpression(outer.parent) || ts.isCallExpression(outer.parent)) {
    const up = enclosingFunction(outer.parent);
    if (!up) break;
    outer = up;
  }
  const ref: FunctionRef = { file, node: outer };
  if (outer !== fn && inLoop(analysis, file, fn, outer)) return `on every pass of a loop in ${codeName(ref)}`;
  for (const site of analysis.callersOf(ref))
    if (site.caller && inLoop(analysis, site.file, site.call, site.caller.node))
      return `on every call of ${codeName(ref)}, which runs once per pass of a loop in ${codeName(site.caller)}`;
  return undefined;
}

/** A `new X()` or factory call that creates a client or pool, per the knowledge tables. */
export function creationOf(
  analysis: ProjectAnalysis,
  node: ts.NewExpression | ts.CallExpression,
): HandleValue | undefined {
  const evaluator = analysis.evaluator;
  const callee = skipOuterExpressions(node.expression);
  let isLibraryCall = false;
  if (ts.isNewExpression(node)) {
    const target = evaluator.valueOf(callee);
    isLibraryCall = target?.kind === 'export' && Boolean(target.spec.construct);
  } else if (ts.isPropertyAccessExpression(callee)) {
    const receiver = evaluator.valueOf(callee.expression);
    isLibraryCall =
      (receiver?.kind === 'export' && Boolean(own(receiver.spec.members, callee.name.text)?.call)) ||
      (receiver?.kind === 'handle' && Boolean(evaluator.methodSpec(receiver, callee.name.text)));
    if (receiver?.kind === 'handle' && evaluator.methodSpec(receiver, callee.name.text)?.spec.lifecycle === 'connect')
      return undefined; // a pool checkout
  } else {
    const target = evaluator.valueOf(callee);
    isLibraryCall = target?.kind === 'export' && Boolean(target.spec.call);
  }
  if (!isLibraryCall) return undefined;
  const value = evaluator.valueOf(node);
  return value?.kind === 'handle' && value.type.connection !== 'none' ? value : undefined;
}
