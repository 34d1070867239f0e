// Conditional requires between a real module and its test double: the real one is what production runs.
import { ts } from 'ts-morph';
import { STAND_IN_MODULE } from '../knowledge/externalWork';
import { skipOuterExpressions } from './scope';

/**
 * `require(emulate ? 'ioredis-mock' : 'ioredis')`: the code runs on the real module in production, so the branch that
 * is not a stand-in is the one to follow; two real modules leave it unknown.
 */
export function realOfStandIn(choice: ts.ConditionalExpression): string | undefined {
  const [a, b] = [choice.whenTrue, choice.whenFalse].map((e) => skipOuterExpressions(e));
  if (!a || !b || !ts.isStringLiteralLike(a) || !ts.isStringLiteralLike(b)) return undefined;
  const aStandIn = STAND_IN_MODULE.test(a.text);
  const bStandIn = STAND_IN_MODULE.test(b.text);
  if (aStandIn === bStandIn) return undefined;
  return aStandIn ? b.text : a.text;
}
