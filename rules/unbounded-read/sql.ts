// unbounded-read for SQL text: SELECT with no LIMIT, LIMIT ALL or a huge LIMIT, unless a unique key or an id list filters it.
import { argumentsOf } from '../analysis/calls';
import type { Config } from '../analysis/config';
import type { RoundTrip } from '../analysis/roundTrips';
import type { FileModel } from '../analysis/sourceFile';
import { sqlBound } from '../analysis/reads/bound';
import { keptBySlice, slicedAfter } from '../analysis/reads/usage';
import { type Report } from '../createRule';
import { addSqlLimitFix } from '../fixes/addBound';
import { countFix } from '../fixes/countRead';
import { paginationFixes } from '../fixes/paginate';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import { MessageId, facts, operationText, wholeReadWhy, type ReadSite } from './report';

const WRITE_IN_STATEMENT = /\binsert\s+into\b|\bupdate\s+[\w."`]+\s+set\b|\bdelete\s+from\b/i;

export function sqlReport(
  file: FileModel,
  trip: RoundTrip,
  config: Config,
  pageSize: number,
  analysis: ProjectAnalysis,
  site: ReadSite,
): Report<MessageId> | undefined {
  const sql = trip.sql!;
  // `WITH ins AS (INSERT INTO … RETURNING …) SELECT …`: a write that returns the rows it wrote, as many as it was given.
  if (trip.spec.single || WRITE_IN_STATEMENT.test(sql)) return undefined;
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
    // Rows read only for their number: a count gives it, and a LIMIT would change it.
    fixes: ((counted) =>
      counted ? [counted] : [...(fix ? [fix] : []), ...paginationFixes(file, trip, pageSize, analysis)])(
      countFix(file, trip),
    ),
    facts: facts(trip, { sql }),
  };
}

// ---------- Redis ----------
