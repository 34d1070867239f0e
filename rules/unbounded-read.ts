// unbounded-read: reads whose size grows with the data (no take/limit/LIMIT, a limit that is no limit, KEYS, whole-range Redis reads).
import { ts } from 'ts-morph';
import { RULE_OPTIONS } from './analysis/config';
import { whereItRuns, type ExecutionContext } from './analysis/executionContext';
import type { Config } from './analysis/config';
import { inFunctionNamed, type ProjectAnalysis } from './analysis/projectAnalysis';
import type { RoundTrip } from './analysis/roundTrips';
import { FilterReader } from './analysis/readFilters';
import { declaredUniqueColumns } from './analysis/reads/declaredUnique';
import { boundGrows, builderCallsOf, readBound } from './analysis/reads/bound';
import { filterLeavesFewRows } from './analysis/reads/fewRows';
import { behindModuleCache } from './analysis/reads/moduleCache';
import { readParents } from './analysis/reads/parents';
import { pinnedToEntity } from './analysis/reads/pinned';
import { isSeededLookup } from './analysis/reads/seeded';
import { readSubject, type ClassLookup } from './analysis/reads/subject';
import { enclosingFunction } from './analysis/scope';
import { isBehindCache } from './analysis/summaries';
import type { FileModel } from './analysis/sourceFile';
import { createRule } from './createRule';
import { STARTUP_FILE, STARTUP_FUNCTION } from './knowledge/frameworks';
import { WHOLE_DOCUMENT_ROUTE } from './knowledge/readGrowth';
import { JOB_ROUTE_PATH, WHOLE_READ_FUNCTION } from './knowledge/readShapes';
import { ormReport } from './unbounded-read/orm';
import { redisReport } from './unbounded-read/redis';
import { relationReport } from './unbounded-read/relations';
import type { ReadSite } from './unbounded-read/report';
import { sqlReport } from './unbounded-read/sql';

export const unboundedRead = createRule({
  id: 'unbounded-read',
  meta: {
    description:
      'A read whose result grows with the data: no take/limit/LIMIT, a limit that is no limit, read-all-then-slice, Redis KEYS or whole-collection commands.',
    defaultSeverity: 'warning',
    messages: {
      noBound:
        '`{{operation}}` reads every matching row with no {{boundName}}{{where}}{{why}}: the response and memory grow with the table. {{advice}}',
      hugeLimit:
        '`{{operation}}` is bounded by `{{limitText}}`, which is no bound{{where}}: it reads every matching row, so the response and memory grow with the table. Use a page size of at most {{max}} with cursor or offset pagination.',
      maybeUnbounded:
        '`{{operation}}` takes {{boundName}} from `{{source}}`, which is undefined when called as `{{caller}}`{{where}}: then it reads every matching row. Give it a default (`{{source}} ?? {{pageSize}}`).',
      slicedInMemory:
        '`{{operation}}` reads every matching row{{where}}, then `.slice` keeps {{kept}} in JavaScript: the database still sends the whole table on every call. {{advice}}',
      sqlNoLimit:
        '`{{operation}}` runs `{{sql}}` with no LIMIT and no unique-key filter{{where}}{{why}}: it returns every matching row, so the response and memory grow with the table. Add `LIMIT` (keyset or offset pagination).',
      wholeKeyspace:
        '`{{call}}` walks the whole keyspace{{where}} and blocks Redis while it does: iterate with SCAN instead.',
      sharedKey:
        '`{{call}}` returns all of `{{key}}`, one shared key that grows with your data, in one reply{{where}} and blocks Redis while it builds it: iterate with {{scan}} instead, or keep the collection bounded.',
      wholeRange:
        '`{{call}}` reads the whole {{what}} in one reply{{where}}: it grows with the data and blocks Redis while it is sent. Read a bounded range and page through it.',
      growingRelation:
        "`{{operation}}` loads every one of the row's `{{relation}}` with it{{where}}: they pile up with use, so the response and memory grow with them. Load them apart with a page (a query with a limit), or count them if only the number is needed.",
    },
    options: RULE_OPTIONS['unbounded-read'],
  },
  create(context) {
    const { file, analysis, options } = context;
    // Columns the project declares unique (an entity's `unique: true`, a migration's `.unique()`) pick one row too.
    const declared = declaredUniqueColumns(analysis.files.all());
    const config: Config =
      declared.size === 0
        ? context.config
        : { ...context.config, uniqueKeys: [...context.config.uniqueKeys, ...declared] };
    const filters = new FilterReader(file, config.uniqueKeys);
    const seen = new Set<ts.Node>();
    const classOf = (name: ts.Identifier): ts.ClassLikeDeclaration | undefined => {
      const value = analysis.evaluator.valueOf(name);
      return value?.kind === 'class' ? value.node : undefined;
    };
    for (const trip of analysis.roundTrips.inFile(file)) {
      // A pending read returned by a helper in another file is reported there, where it is built.
      if (seen.has(trip.call) || trip.effect !== 'read' || trip.call.getSourceFile() !== file.sourceFile) continue;
      seen.add(trip.call);
      // Code that only migrations, seeds, scripts, tests or start-up reach runs once: its reads cost nothing per
      // request.
      if (!enclosingFunction(trip.node) || isStartupCode(file, trip.node)) continue;
      const where = analysis.contextOf(file, trip.node);
      if (where.heat === 'cold') continue;
      // A table read is reported where a request or job is known to reach it; KEYS and whole-key reads block Redis
      // for every client wherever they run, so they need only not be one-off code.
      if (where.heat !== 'hot' && !trip.spec.unbounded) continue;
      const wholeByDesign = mustSeeEveryRow(file, trip.node, where);
      const subject = readSubject(file, trip, classOf);
      const builderCalls = builderCallsOf(file, trip);
      const site: ReadSite = {
        subject,
        seededLookup: isSeededLookup(analysis.files.all(), subject),
        parents: readParents(file, trip, builderCalls),
        pinned: pinnedToEntity(file, trip, builderCalls),
        behindCache: behindCache(file, trip, analysis),
        fewRows: filterLeavesFewRows(file, trip, builderCalls, subject),
        rewritesRows: rewritesRows(file, trip, analysis, classOf),
        inRequest: where.kinds.has('request') && !wholeByDesign,
        jobOnly: wholeByDesign || (where.kinds.has('job') && !where.kinds.has('request')),
      };
      const report = trip.spec.unbounded
        ? redisReport(file, trip, analysis)
        : trip.sql !== undefined
          ? sqlReport(file, trip, config, options.pageSize, analysis, site)
          : trip.spec.collection
            ? ormReport(file, trip, filters, config, options.pageSize, analysis, site)
            : undefined;
      const found =
        report ??
        (site.inRequest && trip.sql === undefined
          ? relationReport(file, trip, site.subject, manyRows(file, trip, config, analysis))
          : undefined);
      if (!found) continue;
      found.data = { ...found.data, where: runsText(where) };
      context.report(found);
    }
  },
});

/**
 * The function writes to the table it read from after the read (deletes a folder's documents, stores recomputed
 * indexes): it works on every row, and a page would leave rows behind.
 */
function rewritesRows(file: FileModel, trip: RoundTrip, analysis: ProjectAnalysis, classOf: ClassLookup): boolean {
  const fn = enclosingFunction(trip.node);
  const subject = readSubject(file, trip, classOf);
  if (!fn || subject === undefined) return false;
  return analysis.roundTrips
    .inFile(file)
    .some(
      (other) =>
        other.effect === 'write' &&
        other.node.pos > trip.node.end &&
        other.node.end <= fn.end &&
        enclosingFunction(other.node) === fn &&
        readSubject(file, other, classOf) === subject,
    );
}

/**
 * A cache check guards the read, in its function or on the way from the handler (`cache.get(k) ?? await q`, an early
 * return on a hit): it runs on a miss only.
 */
function behindCache(file: FileModel, trip: RoundTrip, analysis: ProjectAnalysis): boolean {
  const fn = enclosingFunction(trip.node);
  if (!fn) return false;
  if (isBehindCache(analysis.evaluator, trip.node, fn) || behindModuleCache(file, trip.node, fn)) return true;
  const reach = analysis.entryReaching({ file, node: fn });
  return !!reach?.path.some((site) => site.caller && isBehindCache(analysis.evaluator, site.call, site.caller.node));
}

/** A multi-row read with no bound: what it loads with each row is loaded for every parent it reads. */
function manyRows(file: FileModel, trip: RoundTrip, config: Config, analysis: ProjectAnalysis): boolean {
  const options = { uniqueKeys: config.uniqueKeys, maxReasonableLimit: config.thresholds.maxReasonableLimit };
  return boundGrows(readBound(file, trip, options, analysis));
}

/** ", in GET /orders" for the message, when a request or job reaches the read. */
function runsText(where: ExecutionContext): string {
  return where.hotEntry ? ` (${whereItRuns(where)})` : '';
}

/**
 * An export, dump, download or printed document such as a PDF transcript (by its function or its route), or a
 * scheduler's HTTP trigger: it has to read every row.
 */
function mustSeeEveryRow(file: FileModel, node: ts.Node, where: ExecutionContext): boolean {
  const label = where.hotEntry?.label ?? '';
  return (
    inFunctionNamed(file, node, WHOLE_READ_FUNCTION) ||
    WHOLE_READ_FUNCTION.test(label) ||
    WHOLE_DOCUMENT_ROUTE.test(label) ||
    inFunctionNamed(file, node, WHOLE_DOCUMENT_ROUTE) ||
    JOB_ROUTE_PATH.test(label) ||
    JOB_ROUTE_PATH.test(file.path)
  );
}

/**
 * Inside a function named like start-up code (`bootstrap`, `initCache`, `pluginStartup`), or in a `startup.js`-style
 * file.
 */
function isStartupCode(file: FileModel, node: ts.Node): boolean {
  return STARTUP_FILE.test(file.path) || inFunctionNamed(file, node, STARTUP_FUNCTION);
}
