// What every unbounded-read check shares: message ids, operation text, and the facts a finding carries.
import { ts } from 'ts-morph';
import type { RoundTrip } from '../analysis/roundTrips';

export type MessageId =
  | 'noBound'
  | 'hugeLimit'
  | 'maybeUnbounded'
  | 'slicedInMemory'
  | 'sqlNoLimit'
  | 'wholeKeyspace'
  | 'sharedKey'
  | 'wholeRange';

export function operationText(trip: RoundTrip): string {
  if (trip.method === '()')
    return ts.isTaggedTemplateExpression(trip.call) ? `${trip.receiverText}\`…\`` : `${trip.receiverText}(…)`;
  return `${trip.receiverText}.${trip.method}`;
}

export function facts(trip: RoundTrip, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { library: trip.library.id, method: trip.method, ...extra };
}

// ---------- ORM and builder reads ----------
