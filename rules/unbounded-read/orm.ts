// unbounded-read for ORM and query-builder reads: the read's bound (rules/analysis/reads) turned into a finding and a fix.
import { ts } from 'ts-morph';
import { calleeOf } from '../analysis/calls';
import type { Config } from '../analysis/config';
import { calledMethod, shortText } from '../analysis/localValues';
import { type ProjectAnalysis } from '../analysis/projectAnalysis';
import { ormBound, type ReadBound } from '../analysis/reads/bound';
import { filteredAfter, isDirectSlice, keptBySlice, slicedAfter } from '../analysis/reads/usage';
import type { FilterReader } from '../analysis/readFilters';
import type { RoundTrip } from '../analysis/roundTrips';
import { skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { type Report } from '../createRule';
import { addChainCallFix, addOptionFix } from '../fixes/addBound';
import { countFix } from '../fixes/countRead';
import { paginationFixes } from '../fixes/paginate';
import { facts, MessageId, operationText, wholeReadWhy, type ReadSite } from './report';

export function ormReport(
  file: FileModel,
  trip: RoundTrip,
  filters: FilterReader,
  config: Config,
  pageSize: number,
  analysis: ProjectAnalysis,
  site: ReadSite,
): Report<MessageId> | undefined {
  const bound = ormBound(
    file,
    trip,
    filters,
    { uniqueKeys: config.uniqueKeys, maxReasonableLimit: config.thresholds.maxReasonableLimit },
    analysis,
  );
  return verdictReport(file, trip, bound, config, pageSize, analysis, site);
}

/** A suggestion adding the page size as an option or a builder call, when the library's table says where it goes. */
function boundFix(
  file: FileModel,
  trip: RoundTrip,
  pageSize: number,
  analysis: ProjectAnalysis,
): FixProposal | undefined {
  const bound = trip.spec.bound!;
  if (bound.options.length > 0) {
    const fix = addOptionFix(file, trip.call, bound.optionsArg, bound.options[0]!, pageSize);
    if (fix) return fix;
  }
  const method = bound.chain[0];
  if (!method || ts.isIdentifier(skipOuterExpressions(trip.node))) return undefined;
  if (trip.spec.returns) {
    // A pending read (`Model.find(...)`): the builder it returns takes the bound.
    const returned = analysis.knowledge.resolveType(trip.library, trip.spec.returns);
    return returned && analysis.knowledge.methodOf(returned.qualifiedName, method)
      ? addChainCallFix(file, trip.call.end, method, pageSize)
      : undefined;
  }
  // An executing call on a builder (`qb.getMany()`): bound the builder just before it.
  const callee = skipOuterExpressions(calleeOf(trip.call));
  if (ts.isPropertyAccessExpression(callee) && analysis.knowledge.methodOf(trip.typeName, method))
    return addChainCallFix(file, callee.expression.end, method, pageSize);
  return undefined;
}

/**
 * `ownerScoped`: the rows of one parent (a user's teams, a project's labels), which grow with that parent only:
 * reported only when sliced.
 */
function verdictReport(
  file: FileModel,
  trip: RoundTrip,
  verdict: ReadBound,
  config: Config,
  pageSize: number,
  analysis: ProjectAnalysis,
  site: ReadSite,
): Report<MessageId> | undefined {
  if (verdict.kind !== 'none' && verdict.kind !== 'owner' && verdict.kind !== 'huge' && verdict.kind !== 'maybe')
    return undefined;
  const fixIfNone = (): FixProposal | undefined =>
    trip.spec.bound ? boundFix(file, trip, pageSize, analysis) : undefined;
  const operation = operationText(trip);
  const bound = trip.spec.bound;
  const boundName = bound?.options[0]
    ? `\`${bound.options[0]}\``
    : bound?.chain[0]
      ? `\`.${bound.chain[0]}()\``
      : 'limit';
  const advice = bound
    ? `Add ${boundName} (cursor or offset pagination).`
    : 'Use a method that takes a limit, with cursor or offset pagination.';
  if (verdict.kind === 'huge') {
    return {
      node: trip.call,
      messageId: 'hugeLimit',
      data: { operation, limitText: verdict.text, max: config.thresholds.maxReasonableLimit },
      related: [{ node: verdict.node, message: 'this limit is no bound' }],
      facts: facts(trip),
    };
  }
  if (verdict.kind === 'maybe') {
    const related = [
      { node: verdict.node, message: 'possibly undefined' },
      { node: verdict.caller.call, file: verdict.caller.file, message: 'called without it here' },
    ];
    return {
      node: trip.call,
      messageId: 'maybeUnbounded',
      data: {
        operation,
        boundName: verdict.boundName,
        source: verdict.source,
        pageSize,
        caller: shortText(verdict.caller.file, verdict.caller.call, 50),
      },
      related,
      facts: facts(trip),
    };
  }
  const sliced = slicedAfter(file, trip);
  if (sliced) {
    const keep = keptBySlice(sliced);
    // Only a slice taken straight off the rows keeps what `take: N` would; after a sort or filter in JavaScript it does
    // not.
    const direct = isDirectSlice(sliced);
    const fix = !direct
      ? undefined
      : keep.end !== undefined && bound?.options.length
        ? addOptionFix(
            file,
            trip.call,
            bound.optionsArg,
            bound.options[0]!,
            keep.end,
            `Add \`${bound.options[0]}: ${keep.end}\` (the slice keeps no more)`,
          )
        : fixIfNone();
    return {
      node: trip.call,
      messageId: 'slicedInMemory',
      data: { operation, kept: keep.text, advice },
      related: [{ node: sliced, message: 'only part of the rows is kept here' }],
      fixes: fix ? [fix] : [],
      facts: facts(trip),
    };
  }
  const why = wholeReadWhy(verdict.kind === 'owner' ? 'owner' : 'none', site);
  if (why === undefined) return undefined;
  // Rows read only for their number: a count gives it, and a bound would change it.
  const counted = countFix(file, trip);
  // Rows narrowed in JavaScript right after: the missing part is that condition in the query, not a page.
  const narrowed = filteredAfter(file, trip);
  const narrowedAdvice = narrowed
    ? `The rows are then narrowed in JavaScript (\`.${calledMethod(narrowed)}(…)\`): put that condition in the query's filter so the database sends only the rows kept, then bound what is left.`
    : undefined;
  return {
    node: trip.call,
    messageId: 'noBound',
    data: { operation, boundName, advice: narrowedAdvice ?? advice, why },
    related: narrowed
      ? [{ node: narrowed, message: 'the rows are narrowed here, after the database sent them all' }]
      : [],
    // A page taken before the JavaScript filter would drop rows it keeps: no edit is safe, the docs say what to do.
    fixes: counted
      ? [counted]
      : narrowed
        ? [
            {
              title: 'Why no bound is added: the rows are filtered in JavaScript (docs)',
              kind: 'suggestion',
              edits: [],
              explanation: 'filtering-in-javascript',
            },
          ]
        : [...((fix) => (fix ? [fix] : []))(fixIfNone()), ...paginationFixes(file, trip, pageSize, analysis)],
    facts: facts(trip),
  };
}
