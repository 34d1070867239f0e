// Function summary "returns rarely-changing data": a helper whose body reads settings/config with fixed or no inputs.
import { ts } from 'ts-morph';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import { enclosingFunction, findDeclaration, isFunctionBoundary, skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { callTarget, type FunctionRef } from '../analysis/summaries';
import { varyingArguments, varyingParts } from './readKeys';

/** A rarely-changing read a helper makes, and whether its inputs come from the helper's parameters. */
export interface HelperRead {
  trip: RoundTrip;
  file: FileModel;
  subject: string;
  /** The functions from the helper down to the read (the helper first). */
  via: FunctionRef[];
  /** True when the read's inputs are the helper's parameters: fixed only when the caller passes fixed values. */
  usesParameters: boolean;
  /** Whether the read is worth reporting where it is (its own inputs fixed or per tenant), without the caller. */
  standalone: boolean;
}

/**
 * Judges one read given fixed inputs: its subject when it is rarely-changing data and not already cached, and whether
 * it is worth reporting by itself (with the inputs it has).
 */
export type ReadJudge = (
  file: FileModel,
  trip: RoundTrip,
  fn: ts.FunctionLikeDeclaration,
) => { subject: string; standalone: boolean } | undefined;

const MAX_DEPTH = 3;

/**
 * The rarely-changing read `fn` makes with inputs that are fixed, or that are its own parameters, directly or through
 * functions of the same file it calls with such arguments (`isHistoryEnabled()` → `this.get('HISTORY')` → the
 * `findUnique({ where: { name } })`). Memoised per analysis.
 */
export function helperRead(
  analysis: ProjectAnalysis,
  fn: FunctionRef,
  judge: ReadJudge,
  depth = 0,
): HelperRead | undefined {
  const memo = memoFor(analysis);
  if (memo.has(fn.node)) return memo.get(fn.node);
  memo.set(fn.node, undefined); // recursion guard
  const found = findRead(analysis, fn, judge, depth);
  memo.set(fn.node, found);
  return found;
}

const memos = new WeakMap<ProjectAnalysis, Map<ts.Node, HelperRead | undefined>>();

function memoFor(analysis: ProjectAnalysis): Map<ts.Node, HelperRead | undefined> {
  let memo = memos.get(analysis);
  if (!memo) memos.set(analysis, (memo = new Map()));
  return memo;
}

function findRead(analysis: ProjectAnalysis, fn: FunctionRef, judge: ReadJudge, depth: number): HelperRead | undefined {
  const { file, node } = fn;
  if (!ts.isFunctionLike(node)) return undefined;
  for (const trip of analysis.roundTrips.inFile(file)) {
    if (trip.effect !== 'read' || enclosingFunction(trip.node) !== node) continue;
    const varying = varyingParts(file, trip);
    if (!varying.every((expr) => isParameterOf(file, expr, node))) continue;
    const judged = judge(file, trip, node);
    if (judged) return { trip, file, ...judged, via: [fn], usesParameters: varying.length > 0 };
  }
  if (depth >= MAX_DEPTH) return undefined;
  for (const call of callsIn(node)) {
    const target = callTarget(analysis.evaluator, call);
    // Only into the same file: the report goes on the call that crosses into the module that reads.
    if (!target || target.file !== file || target.node === node) continue;
    const varying = varyingArguments(file, call);
    if (!varying.every((expr) => isParameterOf(file, expr, node))) continue;
    const inner = helperRead(analysis, target, judge, depth + 1);
    if (!inner) continue;
    return { ...inner, via: [fn, ...inner.via], usesParameters: inner.usesParameters && varying.length > 0 };
  }
  return undefined;
}

/** Calls in the function's own body (not in nested functions, which run when someone else decides). */
function callsIn(fn: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (node !== fn && isFunctionBoundary(node)) return;
    if (ts.isCallExpression(node)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return out;
}

/** `name`, `opts.key`: a value taken from a parameter of `fn`. */
function isParameterOf(file: FileModel, expr: ts.Expression, fn: ts.Node): boolean {
  let root = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const declaration = findDeclaration(file, root);
  return declaration?.kind === 'parameter' && declaration.decl.parent === fn;
}
