// n-plus-one: a round trip (query, command, request) per element of a collection, directly or through helpers.
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { createRule } from './createRule';
import { exitsEarly, literalCollectionSize, type LoopContext } from './analysis/loops';
import type { RoundTrip } from './analysis/roundTrips';
import { callTarget, isBehindCache } from './analysis/summaries';
import type { FileModel } from './analysis/sourceFile';
import { enclosingFunction } from './analysis/scope';
import { batchFix } from './fixes/batch';
import { updateBatchAdvice } from './fixes/updateBatch';
import { writeBatchFix } from './fixes/writeBatch';
import type { FixProposal } from './analysis/types';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import { behindRouteCache, inFunctionNamed } from './analysis/projectAnalysis';
import { ONE_OFF_FUNCTION } from './knowledge/frameworks';
import { sizeWorthReporting } from './analysis/collectionSize';
import { isChunkedInsert, isFanOut, isInlineCallback, isListRead, passesElementWhole } from './n-plus-one/exemptions';
import { returnedByHelper, tripReport, viaReport, type Evidence } from './n-plus-one/report';
import { isCacheAsideFill } from './n-plus-one/cacheAside';
import { dependentWriteAdvice, usedWriteResult } from './n-plus-one/dependentWrites';
import { FIELD_RESOLVER_MESSAGE, reportFieldResolvers } from './n-plus-one/fieldResolver';
import { perRowUpdateAdvice } from './n-plus-one/perRowData';
import { awaitsExternalWork, isExternalCall } from './n-plus-one/externalWork';
import { feedsBatchCall, isChunkListQuery, isFireAndForget, onErrorPath, runsOnce } from './n-plus-one/harmless';

export const nPlusOne = createRule({
  id: 'n-plus-one',
  meta: {
    description:
      'A query, Redis command or HTTP request issued once per element of a collection instead of once for all of them.',
    defaultSeverity: 'warning',
    messages: {
      sequential:
        '`{{operation}}` runs once per element of `{{collection}}`{{why}}: 1 + N {{noun}} round trips ({{total}} for {{n}} elements), one after another. {{advice}}',
      concurrent:
        '`{{operation}}` is sent once per element of `{{collection}}`{{why}}, all at once: N concurrent {{noun}} round trips ({{n}} for {{n}} elements) competing for connections. {{advice}}',
      via: '`{{callee}}` makes a {{noun}} round trip (via {{chain}}) once per element of `{{collection}}`{{why}}: 1 + N round trips ({{total}} for {{n}} elements). {{advice}}',
      invariant:
        '`{{operation}}` sends the same {{noun}} on every iteration over `{{collection}}`{{why}}: hoist it above the loop (1 round trip instead of N).',
      perParent: FIELD_RESOLVER_MESSAGE,
    },
    options: RULE_OPTIONS['n-plus-one'],
  },
  create(context) {
    const { file, analysis, config, options } = context;
    // Migrations and seeds run once per deployment: N round trips there cost nothing that matters.
    if (context.fileContext === 'one-off') return;
    const n = config.thresholds.exampleCollectionSize;
    const reported = new Set<ts.Node>();

    for (const trip of analysis.roundTrips.inFile(file)) {
      const loop = analysis.loopOf(file, trip.node);
      if (!loop || reported.has(trip.node) || isExempt(loop, trip.node)) continue;
      const evidence = evidenceFor(loop);
      if (!evidence) continue;
      if (
        ((trip.spec.batch || isListRead(trip, config.uniqueKeys)) && passesElementWhole(trip, loop)) ||
        (trip.spec.tickBatched && loop.concurrent) ||
        isFanOut(file, trip, loop) ||
        isChunkedInsert(trip, loop) ||
        isChunkListQuery(trip, loop, isListRead(trip, config.uniqueKeys)) ||
        // A query next to a third-party call per element: the external work is the cost, and the query often needs
        // its answer. (An HTTP call per element is itself the finding.)
        (trip.library.roundTripNoun !== 'request' && awaitsExternalWork(analysis, file, trip.node, loop))
      )
        continue;
      const fn = enclosingFunction(trip.node);
      if (fn && isBehindCache(analysis.evaluator, trip.node, fn)) continue;
      reported.add(trip.node);
      const report = tripReport(file, trip, loop, n, evidence);
      if (report.messageId !== 'invariant') {
        report.fixes = batchFixFor(analysis, file, trip, loop, report.data.operation);
        // An update whose data differs per row has no `updateMany` form: say what one round trip looks like there.
        const updateAdvice =
          trip.effect === 'write' ? (updateAdviceFor(file, trip, loop) ?? perRowUpdateAdvice(trip, loop)) : undefined;
        if (updateAdvice) report.data.advice = updateAdvice;
        const dependent = usedWriteResult(trip, loop);
        if (dependent) report.data.advice = dependentWriteAdvice(dependent);
      }
      context.report(report);
    }
    reportFieldResolvers(context, reported);

    // Calls in loops to project functions that make a round trip somewhere down the call chain.
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !reported.has(node)) {
        const loop = analysis.loopOf(file, node);
        const target = loop && !isExempt(loop, node) ? callTarget(analysis.evaluator, node) : undefined;
        const recursive = loop?.kind === 'recursion' && target?.node === loop.body.parent;
        const reach =
          target && !recursive && !isInlineCallback(target.node) ? analysis.summaries.reach(target) : undefined;
        const evidence =
          loop &&
          target &&
          reach &&
          !(reach.trip.spec.tickBatched && loop.concurrent) &&
          !reach.trip.spec.batch &&
          !isFanOut(file, reach.trip, loop) &&
          // A job handed off per element (a deploy request, a queued command) is not waited for; a query still loads.
          !(isFireAndForget(node) && reach.trip.library.roundTripNoun !== 'query') &&
          !isCacheAsideFill(node, reach) &&
          !(
            reach.trip.library.roundTripNoun !== 'request' &&
            (awaitsExternalWork(analysis, file, node, loop) || isExternalCall(analysis, file, node, 1))
          )
            ? evidenceFor(loop)
            : undefined;
        if (loop && target && reach && evidence) {
          const fn = enclosingFunction(node);
          if (!fn || !isBehindCache(analysis.evaluator, node, fn)) {
            reported.add(node);
            context.report(viaReport(target, node, reach, loop, n, evidence));
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file.sourceFile);

    /**
     * Where the loop runs and how big its collection is, or undefined when either makes N harmless: code only
     * start-up or one-off entries reach (migrations, seeds, scripts, tests), or a collection small by construction
     * (a literal, an enum, configuration, one row, a small page).
     */
    function evidenceFor(loop: LoopContext): Evidence | undefined {
      const where = analysis.contextOf(file, loop.node);
      if (where.heat === 'cold') return undefined;
      const size = loop.collection ? analysis.sizeOf(file, loop.collection) : undefined;
      // Only growth (or no origin in sight at all) is evidence: a traced origin of unknown size is usually small.
      if (!size || !sizeWorthReporting(size, config.thresholds.smallLiteralListMax)) return undefined;
      if (size.unseen) {
        // A function a framework calls itself (a listener, a job) gets the framework's payload: not unseen, untraced.
        // Otherwise nothing shows what fills the parameter: on real code mostly a small set, so only opted into.
        if (where.heat !== 'unknown' || options.untracedParameters !== 'possible') return undefined;
        return { where, size, possible: size.reason };
      }
      // One parent's children, looped over only when a user changes data: often a few rows once per action, but the
      // blind labels hold real ones (an account's organisations deleted one by one, a folder re-sorted row by row), so
      // by default reported at `info`, not hidden.
      if (size.perParent && where.writesOnly && options.childrenOnWritePaths !== 'report') {
        if (options.childrenOnWritePaths === 'silent') return undefined;
        return { where, size, possible: "one parent's children, on a path that only writes" };
      }
      return { where, size };
    }

    /**
     * Loops that are fine: small literal lists, early-exit searches, cached routes, one-off migrations, a round trip
     * only on an error path or on one iteration, a list mapped into one batch call.
     */
    function isExempt(loop: LoopContext, node: ts.Node): boolean {
      const size = literalCollectionSize(file, loop.collection);
      if (size !== undefined && size <= config.thresholds.smallLiteralListMax) return true;
      if (onErrorPath(node, loop) || runsOnce(node, loop) || feedsBatchCall(loop)) return true;
      return (
        exitsEarly(loop, node) || behindRouteCache(loop.node) || inFunctionNamed(file, loop.node, ONE_OFF_FUNCTION)
      );
    }
  },
});

function updateAdviceFor(file: FileModel, trip: RoundTrip, loop: LoopContext): string | undefined {
  const span = (node: ts.Node) => ({ start: node.getStart(file.sourceFile), end: node.end });
  const facts = { library: trip.library.id, method: trip.method, type: trip.typeName };
  return updateBatchAdvice(file.sourceFile, {
    ...facts,
    loop: span(loop.node),
    read: span(trip.node),
    call: span(trip.call),
  });
}

/** The batch rewrite, unless the loop also writes (a read moved before the loop could miss those writes). */
function batchFixFor(
  analysis: ProjectAnalysis,
  file: FileModel,
  trip: RoundTrip,
  loop: LoopContext,
  operation: string | number,
): FixProposal[] {
  const span = (node: ts.Node) => ({ start: node.getStart(file.sourceFile), end: node.end });
  const facts = {
    library: trip.library.id,
    method: trip.method,
    type: trip.typeName,
    loop: span(loop.node),
    read: span(trip.node),
    call: span(trip.call),
  };
  // The query is built in a helper that returns it: a rewrite here cannot reach the helper's arguments.
  if (returnedByHelper(trip)) return [];
  // A write per element: one write of all rows, when the loop body is that write alone.
  if (trip.effect === 'write') return writeBatchFix(file.sourceFile, facts, String(operation));
  const inLoop = (node: ts.Node) => node.pos >= loop.body.pos && node.end <= loop.body.end;
  let writes = analysis.roundTrips.inFile(file).some((t) => t.effect === 'write' && inLoop(t.node));
  // A helper called in the loop that writes counts too.
  const visit = (node: ts.Node): void => {
    if (writes) return;
    if (ts.isCallExpression(node)) {
      const target = callTarget(analysis.evaluator, node);
      if (target && analysis.summaries.reach(target)?.trip.effect === 'write') writes = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(loop.body);
  return batchFix(file.sourceFile, facts, writes, String(operation));
}
