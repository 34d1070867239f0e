// Hand-written queue consumers: a function whose loop waits on a blocking pop (`while (…) await redis.brpop('jobs', 5)`) runs once per job.
import { ts } from 'ts-morph';
import { BLOCKING_QUEUE_POPS } from '../knowledge/frameworks';
import { isFunctionBoundary } from './scope';

/** True when `fn` loops over a blocking queue pop in its own body (not in a nested function). */
export function isQueueConsumerLoop(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
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
