// n-plus-one: a write per element whose result the iteration goes on to use (the created parent's id for its
// children): one bulk write does not return per-row results in that shape, so the advice says what does fit.
import { ts } from 'ts-morph';
import type { LoopContext } from '../analysis/loops';
import type { RoundTrip } from '../analysis/roundTrips';
import { skipOuterExpressions } from '../analysis/scope';

/** `const folder = await tx.folder.create(…)` with `folder` used later in the same iteration: the name, if so. */
export function usedWriteResult(trip: RoundTrip, loop: LoopContext): string | undefined {
  if (trip.effect !== 'write') return undefined;
  let node: ts.Node = trip.node;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const decl = node.parent;
  if (!ts.isVariableDeclaration(decl) || skipOuterExpressions(decl.initializer!) !== node) return undefined;
  if (!ts.isIdentifier(decl.name)) return undefined;
  const name = decl.name.text;
  let used = false;
  const visit = (child: ts.Node): void => {
    if (used) return;
    if (
      ts.isIdentifier(child) &&
      child.text === name &&
      child.pos >= decl.end &&
      !(ts.isPropertyAccessExpression(child.parent) && child.parent.name === child)
    )
      used = true;
    else ts.forEachChild(child, visit);
  };
  visit(loop.body);
  return used ? name : undefined;
}

export function dependentWriteAdvice(name: string): string {
  return `Each iteration uses what the write returns (\`${name}\`), so one bulk write does not fit as is: generate the ids first (or read them back in one query), then write all rows in one round trip.`;
}
