// How many rows a read can return, from its own syntax: one row, a page, an aggregate, the caller's ids, one parent's
// rows, or every matching row (no bound, or a bound that is none). The size fact and unbounded-read both read it.
import { ts } from 'ts-morph';
import { AGGREGATE_CALLS, DISTINCT_CALLS, GROUP_CALLS } from '../../knowledge/readShapes';
import { argumentsOf } from '../calls';
import { calledMethod, callsOnVariable, enclosingScope, receiverChainCalls, resolveLocal } from '../localValues';
import { FilterReader, bounds } from '../readFilters';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, propertyNameText, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';
import { isOwnerKey, isSelect, selectShape, type Narrowing } from '../sql';
import { helperAppliesBound, wrappedBuilderCalls } from './helperChain';
import { assignedKeys } from './parents';
import { limitProblem, type CallerLookup, type LimitProblem } from './limits';
import { isStreamed, usedAsOneRow } from './usage';

/**
 * What bounds a read's rows. `limited`: a take/limit/LIMIT (`max` when literal); `single`: one row (findOne, a
 * unique-key filter, rows used only as their first); `aggregate`: a count, a group of everything or a distinct domain; `inList`: the caller's own ids;
 * `streamed`: rows arrive in batches; `owner`: one parent's rows, which grow with that parent; `opaque`: options built
 * elsewhere (a wrapper may paginate); `none`: every matching row; `huge`/`maybe`: a limit that is no limit, or that
 * is undefined when some caller leaves it out; `notCollection`: not a multi-row read.
 */
export type ReadBound =
  | { kind: 'limited'; max?: number; node?: ts.Node }
  | { kind: 'single' | 'aggregate' | 'inList' | 'streamed' | 'owner' | 'opaque' | 'none' | 'notCollection' }
  | LimitProblem;

/** Whether rows of a read with this bound grow with the data. */
export function boundGrows(bound: ReadBound): boolean {
  return bound.kind === 'none' || bound.kind === 'owner' || bound.kind === 'huge' || bound.kind === 'maybe';
}

export interface ReadBoundOptions {
  uniqueKeys: readonly string[];
  maxReasonableLimit: number;
}

/** The bound of a read round trip (ORM, builder or SQL text); Redis whole-collection commands are judged elsewhere. */
export function readBound(
  file: FileModel,
  trip: RoundTrip,
  options: ReadBoundOptions,
  analysis: CallerLookup,
): ReadBound {
  if (trip.effect !== 'read') return { kind: 'notCollection' };
  if (trip.spec.single) return { kind: 'single' };
  if (trip.sql !== undefined) return sqlBound(trip, options);
  if (!trip.spec.collection) return { kind: 'notCollection' };
  return ormBound(file, trip, new FilterReader(file, options.uniqueKeys), options, analysis);
}

/** The bound of an ORM or query-builder read, from its filter, its chain and its options. */
export function ormBound(
  file: FileModel,
  trip: RoundTrip,
  filters: FilterReader,
  options: ReadBoundOptions,
  analysis: CallerLookup,
): ReadBound {
  const builderCalls = builderCallsOf(file, trip);
  if (isStreamed(trip)) return { kind: 'streamed' };
  if (usedAsOneRow(trip)) return { kind: 'single' };
  // The caller hands over the whole filter (`where(match)`, `find(query)`): what it holds is decided there.
  if (filterFromCaller(file, trip, builderCalls)) return { kind: 'opaque' };
  const narrowing = filterNarrowing(file, trip, filters, builderCalls);
  if (narrowing === 'unique') return { kind: 'single' };
  if (bounds(narrowing)) return { kind: 'inList' };
  const names = builderCalls.map((c) => calledMethod(c) ?? '');
  if (names.some((n) => AGGREGATE_CALLS.has(n)) && !names.some((n) => GROUP_CALLS.has(n))) return { kind: 'aggregate' };
  // One row per distinct value (`distinct: ['category']`, `.distinct('platform')`): a domain, not the table.
  if (
    names.some((n) => DISTINCT_CALLS.has(n)) ||
    argumentsOf(trip.call).some((a) => hasProperty(resolveLocal(file, a), 'distinct'))
  )
    return { kind: 'aggregate' };
  const limit = ormLimit(file, trip, builderCalls, options.maxReasonableLimit, analysis);
  return limit.kind === 'none' && narrowing === 'owner' ? { kind: 'owner' } : limit;
}

/**
 * A filter that is a parameter of the enclosing function (or made from one: `where(normalize(match))`), given whole to
 * `where(…)`, as `where:`, or as the read's filter.
 */
function filterFromCaller(file: FileModel, trip: RoundTrip, builderCalls: ts.CallExpression[]): boolean {
  const isParameter = (expr: ts.Expression | undefined): boolean => {
    const node = expr && skipOuterExpressions(expr);
    if (node && ts.isCallExpression(node) && node.arguments.length === 1) return isParameter(node.arguments[0]);
    return !!node && ts.isIdentifier(node) && findDeclaration(file, node)?.kind === 'parameter';
  };
  for (const call of builderCalls)
    if (
      /^(and)?where$/i.test(calledMethod(call) ?? '') &&
      call.arguments.length === 1 &&
      isParameter(call.arguments[0])
    )
      return true;
  const args = argumentsOf(trip.call);
  if (trip.spec.bound?.optionsArg !== 0 && isParameter(args[0])) return true;
  return args.some((arg) => {
    const value = resolveLocal(file, arg);
    if (!ts.isObjectLiteralExpression(value)) return false;
    const where = value.properties.find((p) => p.name && propertyNameText(p.name) === 'where');
    return !!where && ts.isPropertyAssignment(where) && isParameter(where.initializer);
  });
}

/** A page size written as a number (or a local constant holding one). */
function limited(file: FileModel, expr: ts.Expression | undefined): ReadBound {
  const value = expr ? resolveLocal(file, expr) : undefined;
  return value && ts.isNumericLiteral(value)
    ? { kind: 'limited', max: Number(value.text.replace(/_/g, '')), node: expr }
    : { kind: 'limited', node: expr };
}

function hasProperty(node: ts.Expression, name: string): boolean {
  return (
    ts.isObjectLiteralExpression(node) && node.properties.some((p) => p.name && (p.name as ts.Identifier).text === name)
  );
}

/** Every builder call that shapes the read: before it on its receiver, after it, and on the variable that keeps it. */
export function builderCallsOf(file: FileModel, trip: RoundTrip): ts.CallExpression[] {
  return [
    ...(ts.isCallExpression(trip.call) ? receiverChainCalls(file, trip.call) : []),
    ...trip.chain,
    ...consumedVariableCalls(trip),
    ...wrappedBuilderCalls(file, trip),
  ];
}

/** Builder calls made on the variable a pending read is kept in (`q.limit(10); await q`). */
function consumedVariableCalls(trip: RoundTrip): ts.CallExpression[] {
  const node = skipOuterExpressions(trip.node);
  return ts.isIdentifier(node) ? callsOnVariable(enclosingScope(node), node.text) : [];
}

/**
 * How the read's filter narrows it: a unique key, the request's own ids, one parent's rows (a foreign key), or not at
 * all.
 */
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
    // `$group` by a key (`{ _id: '$day' }`): one row per group, a domain of values rather than the table.
    if (ts.isArrayLiteralExpression(value) && hasStage(value, '$group')) return 'unique';
    // `[{ $match: { username } }, …]`: a pipeline narrowed by its first stages' filters.
    if (ts.isArrayLiteralExpression(value)) {
      const matched = matchNarrowing(value, filters);
      if (rank(matched) > rank(found)) found = matched;
      continue;
    }
    if (!ts.isObjectLiteralExpression(value)) continue;
    // A filter object filled in afterwards (`var query = {…}; query.id_project = req.projectid`): one parent's rows.
    const id = skipOuterExpressions(arg);
    if (ts.isIdentifier(id) && assignedKeys(id).some(isOwnerKey) && rank(found) < rank('owner')) found = 'owner';
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

/** The narrowest `$match` stage of a pipeline, read as a filter object. */
function matchNarrowing(pipeline: ts.ArrayLiteralExpression, filters: FilterReader): Narrowing {
  let found: Narrowing = 'none';
  for (const stage of pipeline.elements) {
    if (!ts.isObjectLiteralExpression(stage)) continue;
    const match = stage.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyNameText(p.name) === '$match',
    );
    if (!match) continue;
    const narrowing = filters.expressionNarrowing(match.initializer);
    if (rank(narrowing) > rank(found)) found = narrowing;
  }
  return found;
}

function hasStage(pipeline: ts.ArrayLiteralExpression, stage: string): boolean {
  return pipeline.elements.some(
    (e) => ts.isObjectLiteralExpression(e) && e.properties.some((p) => p.name && propertyNameText(p.name) === stage),
  );
}

/**
 * An aggregation pipeline with `$count`, `$limit` or `$sample` (a fixed number of documents), or grouping everything
 * into one document (`$group: { _id: null }`).
 */
function isOneRowPipeline(pipeline: ts.ArrayLiteralExpression): boolean {
  const stages = pipeline.elements.filter(ts.isObjectLiteralExpression);
  if (stages.length === 0 || stages.length !== pipeline.elements.length) return false;
  const stageName = (stage: ts.ObjectLiteralExpression) =>
    (stage.properties[0]?.name as ts.Identifier | undefined)?.text ?? '';
  if (!stages.every((s) => stageName(s).startsWith('$'))) return false;
  return stages.some((stage) => {
    const name = stageName(stage);
    if (name === '$count' || name === '$limit' || name === '$sample') return true;
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

/**
 * The bound the library's table says a read takes (`take`, `.limit()`), checked: absent, present, or no bound at all.
 */
function ormLimit(
  file: FileModel,
  trip: RoundTrip,
  builderCalls: ts.CallExpression[],
  maxReasonableLimit: number,
  analysis: CallerLookup,
): ReadBound {
  const bound = trip.spec.bound;
  if (!bound) return { kind: 'none' };
  if (branchesBound(trip, bound.chain) || helperAppliesBound(file, trip, bound.chain)) return { kind: 'limited' };
  const zeroIsNone = trip.library.zeroLimitMeansNoLimit;
  for (const call of builderCalls) {
    const name = calledMethod(call);
    if (!name || !bound.chain.includes(name)) continue;
    return (
      limitProblem(file, call.arguments[0], maxReasonableLimit, zeroIsNone, `.${name}()`, trip, analysis) ??
      limited(file, call.arguments[0])
    );
  }
  if (bound.options.length > 0) {
    const arg = argumentsOf(trip.call)[bound.optionsArg];
    if (arg) {
      const value = resolveLocal(file, arg);
      // Options built elsewhere (`findMany(args)`, `{ ...opts }`): a wrapper paginates.
      if (!ts.isObjectLiteralExpression(value) || value.properties.some((p) => ts.isSpreadAssignment(p)))
        return { kind: 'opaque' };
      if (value !== skipOuterExpressions(arg) && isMutated(file, arg)) return { kind: 'opaque' };
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
        if (!limit) return { kind: 'limited' };
        return (
          limitProblem(file, limit, maxReasonableLimit, zeroIsNone, `\`${key}\``, trip, analysis) ??
          limited(file, limit)
        );
      }
    }
  }
  return { kind: 'none' };
}

/**
 * `(offsetStyle ? qb.limit(n).offset(o) : qb.take(n).skip(o)).getRawMany()`: a pagination helper that bounds the
 * builder in every branch of a conditional it then executes.
 */
function branchesBound(trip: RoundTrip, boundCalls: readonly string[]): boolean {
  if (!ts.isCallExpression(trip.call)) return false;
  const callee = skipOuterExpressions(trip.call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  if (!ts.isConditionalExpression(receiver)) return false;
  const bounded = (branch: ts.Expression): boolean => {
    for (let node = skipOuterExpressions(branch); ts.isCallExpression(node);) {
      if (boundCalls.includes(calledMethod(node) ?? '')) return true;
      const inner = skipOuterExpressions(node.expression);
      if (!ts.isPropertyAccessExpression(inner)) return false;
      node = skipOuterExpressions(inner.expression);
    }
    return false;
  };
  return bounded(receiver.whenTrue) && bounded(receiver.whenFalse);
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

/** The bound of a read given as SQL text: LIMIT, a unique-key or id-list filter, an aggregate, or none. */
export function sqlBound(trip: RoundTrip, options: ReadBoundOptions): ReadBound {
  const sql = trip.sql!;
  // `sql\`…\`.cursor(100)`, `for await (… of query.stream())`: rows arrive in batches.
  if (!isSelect(sql)) return { kind: 'notCollection' };
  if (isStreamed(trip)) return { kind: 'streamed' };
  if (usedAsOneRow(trip)) return { kind: 'single' };
  const shape = selectShape(sql, options.uniqueKeys);
  if (shape.openClause || !shape.hasFrom) return { kind: 'opaque' };
  if (shape.aggregateOnly || shape.distinct) return { kind: 'aggregate' };
  if (shape.uniqueFilter) return { kind: 'single' };
  if (shape.inListFilter) return { kind: 'inList' };
  if (
    shape.limit.kind === 'all' ||
    (shape.limit.kind === 'literal' && shape.limit.value > options.maxReasonableLimit)
  ) {
    const text = shape.limit.kind === 'all' ? 'LIMIT ALL' : `LIMIT ${shape.limit.value}`;
    return { kind: 'huge', node: trip.call, text };
  }
  if (shape.limit.kind === 'literal') return { kind: 'limited', max: shape.limit.value };
  if (shape.limit.kind !== 'none') return { kind: 'limited' };
  return shape.ownerFilter ? { kind: 'owner' } : { kind: 'none' };
}
