// What every unbounded-read check shares: message ids, the verdict on a bound, and the facts a finding carries.
import { ts } from 'ts-morph';
import { type CallerSite } from '../analysis/projectAnalysis';
import type { RoundTrip } from '../analysis/roundTrips';
import type { FixProposal } from '../analysis/types';

export type MessageId =
  | 'noBound'
  | 'hugeLimit'
  | 'maybeUnbounded'
  | 'slicedInMemory'
  | 'sqlNoLimit'
  | 'wholeKeyspace'
  | 'sharedKey'
  | 'wholeRange';

export type Verdict =
  | { kind: 'ok' }
  | { kind: 'none'; fix?: FixProposal }
  | { kind: 'huge'; node: ts.Node; text: string }
  | { kind: 'maybe'; node: ts.Node; source: string; boundName: string; caller: CallerSite };

export function operationText(trip: RoundTrip): string {
  if (trip.method === '()')
    return ts.isTaggedTemplateExpression(trip.call) ? `${trip.receiverText}\`…\`` : `${trip.receiverText}(…)`;
  return `${trip.receiverText}.${trip.method}`;
}

export function facts(trip: RoundTrip, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { library: trip.library.id, method: trip.method, ...extra };
}

// ---------- ORM and builder reads ----------
