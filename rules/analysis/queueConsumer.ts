// Hand-written queue consumers: a function whose loop waits on a blocking pop (`while (…) await redis.brpop('jobs', 5)`) runs once per job.
import { ts } from 'ts-morph';
import { BLOCKING_QUEUE_POPS } from '../knowledge/frameworks';
import { isFunctionBoundary } from './scope';

/** A blocking pop's name, or a unicode escape (`br\u0070op` names `brpop` without spelling it). */
const POP_NAME = new RegExp(`\\b(?:${[...BLOCKING_QUEUE_POPS].join('|')})\\b|\\\\u`, 'g');

/**
 * Offsets of every blocking pop's name in a file's text, once per file version: a function whose text has none cannot
 * call one, so most functions are answered without walking their bodies (every function of a large file is asked on
 * every edit).
 */
const popOffsets = new WeakMap<ts.SourceFile, number[]>();

function mentionsPop(fn: ts.FunctionLikeDeclaration, body: ts.Node): boolean {
  const file = fn.getSourceFile();
  let offsets = popOffsets.get(file);
  if (!offsets) {
    offsets = [...file.text.matchAll(POP_NAME)].map((match) => match.index);
    popOffsets.set(file, offsets);
  }
  // The first offset at or after the body's start, by bisection; the body mentions a pop when it lies before its end.
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (offsets[mid]! < body.pos) low = mid + 1;
    else high = mid;
  }
  return low < offsets.length && offsets[low]! < body.end;
}

/** True when `fn` loops over a blocking queue pop in its own body (not in a nested function). */
export function isQueueConsumerLoop(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || !mentionsPop(fn, fn.body)) return false;
  let found = false;
  const visit = (node: ts.Node, inLoop: boolean): void => {
    if (found || isFunctionBoundary(node)) return;
    if (inLoop && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      if (BLOCKING_QUEUE_POPS.has(node.expression.name.text)) {
        found = true;
        return;
      }
    }
    const loop = ts.isIterationStatement(node, false);
    ts.forEachChild(node, (child) => visit(child, inLoop || loop));
  };
  ts.forEachChild(fn.body, (child) => visit(child, false));
  return found;
}
