// unbounded-read for ORM and query-builder reads: filters that narrow the read, bounds in options or the chain.
import { ts } from 'ts-morph';
import { AGGREGATE_CALLS, DISTINCT_CALLS, GROUP_CALLS } from '../knowledge/readShapes';
import { argumentsOf, calleeOf } from '../analysis/calls';
import type { Config } from '../analysis/config';
import {
  calledMethod,
  callsOnVariable,
  enclosingScope,
  receiverChainCalls,
  resolveLocal,
  shortText,
} from '../analysis/localValues';
import { type ProjectAnalysis } from '../analysis/projectAnalysis';
import { bounds, FilterReader } from '../analysis/readFilters';
import type { RoundTrip } from '../analysis/roundTrips';
import { skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { type Narrowing } from '../analysis/sql';
import type { FixProposal } from '../analysis/types';
import { type Report } from '../createRule';
import { addChainCallFix, addOptionFix } from '../fixes/addBound';
import { isDirectSlice, isStreamed, keptBySlice, slicedAfter } from './inMemory';
import { limitVerdict } from './limits';
import { facts, MessageId, operationText, Verdict } from './report';

export function ormReport(
  file: FileModel,
  trip: RoundTrip,
  filters: FilterReader,
  config: Config,
  pageSize: number,
  analysis: ProjectAnalysis,
): Report<MessageId> | undefined {
  const builderCalls = [
    ...(ts.isCallExpression(trip.call) ? receiverChainCalls(file, trip.call) : []),
    ...trip.chain,
    ...consumedVariableCalls(trip),
  ];
  if (isStreamed(trip)) return undefined;
  const narrowing = filterNarrowing(file, trip, filters, builderCalls);
  if (bounds(narrowing)) return undefined;
  const names = builderCalls.map((c) => calledMethod(c) ?? '');
  if (names.some((n) => AGGREGATE_CALLS.has(n)) && !names.some((n) => GROUP_CALLS.has(n))) return undefined;
  // One row per distinct value (`distinct: ['category']`, `.distinct('platform')`): a domain, not the table.
  if (
    names.some((n) => DISTINCT_CALLS.has(n)) ||
    argumentsOf(trip.call).some((a) => hasProperty(resolveLocal(file, a), 'distinct'))
  )
    return undefined;
  const verdict = ormVerdict(file, trip, builderCalls, config, pageSize, analysis);
  return verdictReport(file, trip, verdict, config, pageSize, narrowing === 'owner');
}

function hasProperty(node: ts.Expression, name: string): boolean {
  return (
    ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name && (p.name as ts.Identifier).text === name)
  );
}

/** Builder calls made on the variable a pending read is kept in (`q.limit(10); await q`). */
function consumedVariableCalls(trip: RoundTrip): ts.CallExpression[] {
  const node = skipOuterExpressions(trip.node);
  return ts.isIdentifier(node) ? callsOnVariable(enclosingScope(node), node.text) : [];
}

/** How the read's filter narrows it: a unique key, the request's own ids, one parent's rows (a foreign key), or not at all. */
function filterNarrowing(
  file: FileModel,
  trip: RoundTrip,
  filters: FilterReader,
  builderCalls: ts.CallExpression[],
): Narrowing {
  let found = filters.chainNarrowing(builderCalls);
  for (const arg of argumentsOf(trip.call)) {
    const value = resolveLocal(file, arg);
    if (ts.isArrayLiteralExpression(value) && isOneRowPipeline(value)) return 'unique';
    if (!ts.isObjectLiteralExpression(value)) continue;
    const where = value.properties.find((p) => p.name && (p.name as ts.Identifier).text === 'where');
    if (where && (ts.isPropertyAssignment(where) || ts.isShorthandPropertyAssignment(where))) {
      const filter = ts.isPropertyAssignment(where) ? where.initializer : where.name;
      const resolved = resolveLocal(file, filter);
      // TypeORM: an array of where objects is an OR of them.
      const narrowing = ts.isArrayLiteralExpression(resolved)
        ? resolved.elements.length > 0
          ? resolved.elements.map((e) => filters.expressionNarrowing(e)).reduce((a, b) => (rank(a) <= rank(b) ? a : b))
          : 'none'
        : filters.expressionNarrowing(filter);
      return rank(narrowing) > rank(found) ? narrowing : found;
    }
    // A filter object at whatever position the call takes it (`find(filter)`, `findBy(Entity, filter)`, a wrapper's
    // `find(req, filter)`); options objects hold no filter keys, so reading them as filters finds nothing.
    const own = filters.objectNarrowing(value);
    if (rank(own) > rank(found)) found = own;
  }
  return found;
}

function rank(narrowing: Narrowing): number {
  return ['none', 'owner', 'inList', 'unique'].indexOf(narrowing);
}

/** An aggregation pipeline ending in `$count`, or grouping everything into one document (`$group: { _id: null }`). */
function isOneRowPipeline(pipeline: ts.ArrayLiteralExpression): boolean {
  const stages = pipeline.elements.filter(ts.isObjectLiteralExpression);
  if (stages.length === 0 || stages.length !== pipeline.elements.length) return false;
  const stageName = (stage: ts.ObjectLiteralExpression) =>
    (stage.properties[0]?.name as ts.Identifier | undefined)?.text ?? '';
  if (!stages.every((s) => stageName(s).startsWith('$'))) return false;
  return stages.some((stage) => {
    const name = stageName(stage);
    if (name === '$count') return true;
    if (name === '$limit') return true;
    if (name !== '$group') return false;
    const body = (stage.properties[0] as ts.PropertyAssignment).initializer;
    if (!ts.isObjectLiteralExpression(body)) return false;
    const id = body.properties.find((p) => (p.name as ts.Identifier | undefined)?.text === '_id');
    return (
      !!id &&
      ts.isPropertyAssignment(id) &&
      (id.initializer.kind === ts.SyntaxKind.NullKeyword || ts.isNumericLiteral(id.initializer))
    );
  });
}

function ormVerdict(
  file: FileModel,
  trip: RoundTrip,
  builderCalls: ts.CallExpression[],
  config: Config,
  pageSize: number,
  analysis: ProjectAnalysis,
): Verdict {
  const bound = trip.spec.bound;
  if (!bound) return { kind: 'none' };
  const zeroIsNone = trip.library.zeroLimitMeansNoLimit;
  for (const call of builderCalls) {
    const name = calledMethod(call);
    if (!name || !bound.chain.includes(name)) continue;
    return limitVerdict(file, call.arguments[0], config, zeroIsNone, `.${name}()`, trip, analysis) ?? { kind: 'ok' };
  }
  if (bound.options.length > 0) {
    const arg = argumentsOf(trip.call)[bound.optionsArg];
    if (arg) {
      const value = resolveLocal(file, arg);
      // Options built elsewhere (`findMany(args)`, `{ ...opts }`): a wrapper paginates.
      if (!ts.isObjectLiteralExpression(value) || value.properties.some((p) => ts.isSpreadAssignment(p)))
        return { kind: 'ok' };
      if (value !== skipOuterExpressions(arg) && isMutated(file, arg)) return { kind: 'ok' };
      for (const property of value.properties) {
        const key =
          property.name && (ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name))
            ? property.name.text
            : undefined;
        if (!key || !bound.options.includes(key)) continue;
        const limit = ts.isPropertyAssignment(property)
          ? property.initializer
          : ts.isShorthandPropertyAssignment(property)
            ? property.name
            : undefined;
        if (!limit) return { kind: 'ok' };
        return limitVerdict(file, limit, config, zeroIsNone, `\`${key}\``, trip, analysis) ?? { kind: 'ok' };
      }
    }
  }
  return { kind: 'none', fix: boundFix(file, trip, pageSize, analysis) };
}

/** `const opts = {…}; opts.take = 10` or `Object.assign(opts, …)`: the literal is not the whole story. */
function isMutated(file: FileModel, arg: ts.Expression): boolean {
  const id = skipOuterExpressions(arg);
  if (!ts.isIdentifier(id)) return false;
  const scope = enclosingScope(id);
  let mutated = false;
  const visit = (node: ts.Node): void => {
    if (mutated) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      let target = node.left;
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = target.expression;
      if (ts.isIdentifier(target) && target.text === id.text && target !== node.left) mutated = true;
    }
    if (
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      ts.isIdentifier(node.arguments[0]) &&
      node.arguments[0].text === id.text &&
      /assign$/.test(node.expression.getText(file.sourceFile))
    )
      mutated = true;
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return mutated;
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

/** `ownerScoped`: the rows of one parent (a user's teams, a project's labels), which grow with that parent only: reported only when sliced. */
function verdictReport(
  file: FileModel,
  trip: RoundTrip,
  verdict: Verdict,
  config: Config,
  pageSize: number,
  ownerScoped: boolean,
): Report<MessageId> | undefined {
  if (verdict.kind === 'ok') return undefined;
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
    // Only a slice taken straight off the rows keeps what `take: N` would; after a sort or filter in JavaScript it does not.
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
        : verdict.fix;
    return {
      node: trip.call,
      messageId: 'slicedInMemory',
      data: { operation, kept: keep.text, advice },
      related: [{ node: sliced, message: 'only part of the rows is kept here' }],
      fixes: fix ? [fix] : [],
      facts: facts(trip),
    };
  }
  if (ownerScoped) return undefined;
  return {
    node: trip.call,
    messageId: 'noBound',
    data: { operation, boundName, advice },
    fixes: verdict.fix ? [verdict.fix] : [],
    facts: facts(trip),
  };
}

// ---------- read-all-then-slice ----------
