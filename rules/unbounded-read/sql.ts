// unbounded-read for SQL text: SELECT with no LIMIT, LIMIT ALL or a huge LIMIT, unless a unique key or an id list filters it.
import { argumentsOf } from '../analysis/calls';
import type { Config } from '../analysis/config';
import type { RoundTrip } from '../analysis/roundTrips';
import type { FileModel } from '../analysis/sourceFile';
import { sqlBound } from '../analysis/reads/bound';
import { keptBySlice, slicedAfter } from '../analysis/reads/usage';
import { type Report } from '../createRule';
import { addSqlLimitFix } from '../fixes/addBound';
import { MessageId, facts, operationText, wholeReadWhy, type ReadSite } from './report';

export function sqlReport(
  file: FileModel,
  trip: RoundTrip,
  config: Config,
  pageSize: number,
  site: ReadSite,
): Report<MessageId> | undefined {
  const sql = trip.sql!;
  if (trip.spec.single) return undefined;
  const bound = sqlBound(trip, {
    uniqueKeys: config.uniqueKeys,
    maxReasonableLimit: config.thresholds.maxReasonableLimit,
  });
  const operation = operationText(trip);
  if (bound.kind === 'huge') {
    return {
      node: trip.call,
      messageId: 'hugeLimit',
      data: { operation, limitText: bound.text, max: config.thresholds.maxReasonableLimit },
      facts: facts(trip),
    };
  }
  if (bound.kind !== 'none' && bound.kind !== 'owner') return undefined;
  const sqlArg = trip.spec.sqlArg !== undefined ? argumentsOf(trip.call)[trip.spec.sqlArg] : undefined;
  const fix = addSqlLimitFix(file, sqlArg, pageSize);
  const sliced = slicedAfter(file, trip);
  if (sliced) {
    return {
      node: trip.call,
      messageId: 'slicedInMemory',
      data: {
        operation,
        kept: keptBySlice(sliced).text,
        advice: 'Add `LIMIT` to the query (keyset or offset pagination).',
      },
      related: [{ node: sliced, message: 'only part of the rows is kept here' }],
      fixes: fix ? [fix] : [],
      facts: facts(trip),
    };
  }
  // The rows of one parent (`WHERE user_id = $1`) grow with that parent only: reported when they pile up with use.
  const why = wholeReadWhy(bound.kind, site);
  if (why === undefined) return undefined;
  const shown = sql.replace(/\s+/g, ' ').trim();
  return {
    node: trip.call,
    messageId: 'sqlNoLimit',
    data: { operation, sql: shown.length > 60 ? shown.slice(0, 59) + '…' : shown, why },
    fixes: fix ? [fix] : [],
    facts: facts(trip, { sql }),
  };
}

// ---------- Redis ----------
