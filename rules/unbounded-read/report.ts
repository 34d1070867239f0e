// What every unbounded-read check shares: message ids, operation text, and the facts a finding carries.
import { ts } from 'ts-morph';
import { growsPerParent, isLookupTable, isSmallTable } from '../analysis/reads/subject';
import type { RoundTrip } from '../analysis/roundTrips';

export type MessageId =
  | 'noBound'
  | 'hugeLimit'
  | 'maybeUnbounded'
  | 'slicedInMemory'
  | 'sqlNoLimit'
  | 'wholeKeyspace'
  | 'sharedKey'
  | 'wholeRange'
  | 'growingRelation';

export function operationText(trip: RoundTrip): string {
  if (trip.method === '()')
    return ts.isTaggedTemplateExpression(trip.call) ? `${trip.receiverText}\`…\`` : `${trip.receiverText}(…)`;
  return `${trip.receiverText}.${trip.method}`;
}

export function facts(trip: RoundTrip, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { library: trip.library.id, method: trip.method, ...extra };
}

// ---------- ORM and builder reads ----------

/** Where a read runs and what it reads: what decides whether a whole read is worth a finding. */
export interface ReadSite {
  /** The table, model or collection read, when the syntax names it. */
  subject: string | undefined;
  /** A migration or seed creates the table and fills it with fixed rows: a lookup table. */
  seededLookup: boolean;
  /** The parents its filter names (`project` for `{ projectId }`), as words. */
  parents: readonly string[];
  /** Its filter names the row by its own name column, or picks the administrators: a handful of rows. */
  fewRows: boolean;
  /** A cache check guards it (in its function or on the way from the handler): it runs on a miss only. */
  behindCache: boolean;
  /** Its filter compares some column with an id value (`{ recipient: requestId }`): one entity's rows, not the table. */
  pinned: boolean;
  /** The function writes to the same table after reading it: it works on every row it read. */
  rewritesRows: boolean;
  /** A request handler reaches it. */
  inRequest: boolean;
  /** Only jobs reach it: a job that reads every row usually has to (cleanup, export, a newsletter to all). */
  jobOnly: boolean;
}

/**
 * Why a read of every matching row grows, for the message (empty when plain: no filter, no page); undefined when it
 * does not grow in a way worth reporting: a small fixed table, one parent's few rows, a job that must see them all.
 */
export function wholeReadWhy(kind: 'none' | 'owner', site: ReadSite): string | undefined {
  if (
    site.behindCache ||
    site.fewRows ||
    site.jobOnly ||
    site.seededLookup ||
    isSmallTable(site.subject) ||
    isLookupTable(site.subject)
  )
    return undefined;
  // A whole-table read (no filter, or one on flags and dates) grows with the table. A read pinned to one entity by an
  // id grows only when its rows are a kind that piles up with use: that evidence is required below.
  if (kind === 'none' && !site.pinned && site.parents.length === 0) return '';
  // One parent's rows read to delete or rewrite them all: a page would leave rows behind.
  if (site.rewritesRows) return undefined;
  if (!site.inRequest || !growsPerParent(site.subject, site.parents)) return undefined;
  const parent = site.parents.length === 1 ? `\`${site.parents[0]}\`` : 'parent';
  return `, and the \`${site.subject}\` rows of one ${parent} pile up with use`;
}
