// n-plus-one: an update per element whose data comes from the element (`data: { orderIndex: item.orderIndex }`,
// `{ orderIndex: i + 1 }`) when the batch planner could not rewrite the loop: the message must not offer `updateMany`.
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import type { LoopContext } from '../analysis/loops';
import type { RoundTrip } from '../analysis/roundTrips';
import { propertyNameText, skipOuterExpressions } from '../analysis/scope';
import { declaredNames, mentions } from '../fixes/batchSyntax';
import { inInteractiveTransaction } from '../fixes/batchUnsafe';
import { updateFormOf } from '../knowledge/updateForms';

/** The advice for an update per element whose data is per row, or undefined when the data is the same each time. */
export function perRowUpdateAdvice(trip: RoundTrip, loop: LoopContext): string | undefined {
  if (trip.effect !== 'write' || !ts.isCallExpression(trip.call)) return undefined;
  const form = updateFormOf(trip.library.id, trip.method);
  if (!form || form.shape.kind === 'sql') return undefined;
  const place = form.shape.data;
  const data = dataAt(argumentsOf(trip.call)[place.arg], place.path);
  // The element, the index or a local of the body in the data: each row gets its own values.
  if (!data || !mentions(data, declaredNames(loop.node))) return undefined;
  const interactive = inInteractiveTransaction(trip.node);
  switch (form.perRow.kind) {
    case 'transaction':
      return interactive
        ? 'Each row gets its own values, so no `updateMany`: inside this interactive transaction, one `UPDATE … FROM (VALUES …)` sent as raw SQL writes them all in one round trip.'
        : `Each row gets its own values, so no \`updateMany\`: collect the calls and send them in one round trip as a batch \`${form.perRow.call.replace('$CALLS', '[…]')}\`.`;
    case 'bulk':
      return `Each row gets its own values, so no \`updateMany\`: one \`${form.perRow.call.replace('$OPS', '[…]')}\` writes them all in one round trip.`;
    default:
      return 'Each row gets its own values, so no `updateMany`: one `UPDATE … FROM (VALUES …)` (or `CASE id WHEN …`) in SQL writes them all in one round trip.';
  }
}

/** The expression at `path` inside an object-literal argument (`['data']` of `{ where, data }`), or the argument. */
function dataAt(arg: ts.Expression | undefined, path: readonly string[]): ts.Expression | undefined {
  let node = arg && skipOuterExpressions(arg);
  for (const key of path) {
    if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
    const property = node.properties.find((p) => p.name !== undefined && propertyNameText(p.name) === key);
    if (!property) return undefined;
    node = ts.isPropertyAssignment(property)
      ? skipOuterExpressions(property.initializer)
      : ts.isShorthandPropertyAssignment(property)
        ? property.name
        : undefined;
  }
  return node;
}
