// unbounded-read: reads whose size grows with the data (no take/limit/LIMIT, a limit that is no limit, KEYS, whole-range Redis reads).
import { z } from 'zod';
import { ts } from 'ts-morph';
import { argumentsOf, calleeOf } from './analysis/calls';
import { createRule, type Report } from './createRule';
import { STARTUP_FILE, STARTUP_FUNCTION } from './knowledge/frameworks';
import type { RoundTrip } from './analysis/roundTrips';
import { staticText } from './analysis/roundTrips';
import { enclosingFunction, findDeclaration, skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import { isSelect, selectShape, type Narrowing } from './analysis/sql';
import type { FixProposal } from './analysis/types';
import { addChainCallFix, addOptionFix, addSqlLimitFix, keysToScanStreamFix } from './fixes/addBound';
import {
  calledMethod,
  callsOnVariable,
  enclosingScope,
  receiverChainCalls,
  resolveLocal,
  shortText,
} from './analysis/localValues';
import { bounds, FilterReader } from './analysis/readFilters';
import type { Config } from './analysis/config';
import { inFunctionNamed, type CallerSite, type ProjectAnalysis } from './analysis/projectAnalysis';

type MessageId =
  | 'noBound'
  | 'hugeLimit'
  | 'maybeUnbounded'
  | 'slicedInMemory'
  | 'sqlNoLimit'
  | 'wholeKeyspace'
  | 'sharedKey'
  | 'wholeRange';

/** Builder calls that turn a read into one aggregate row, unless grouped. */
const AGGREGATE_CALLS = new Set([
  'count',
  'countDistinct',
  'min',
  'max',
  'sum',
  'avg',
  'sumDistinct',
  'avgDistinct',
  'getCount',
]);
const GROUP_CALLS = new Set(['groupBy', 'groupByRaw', 'addGroupBy']);
const DISTINCT_CALLS = new Set(['distinct', 'distinctOn']);
/** Array methods that keep a loaded list a list, so a `.slice` after them still slices the whole read. */
const LIST_METHODS = new Set(['filter', 'map', 'sort', 'reverse', 'toSorted', 'toReversed', 'concat']);
/** The SCAN-family command that walks each kind of key in steps. */
const SCAN_FOR: Record<string, string> = { s: 'SSCAN', h: 'HSCAN', z: 'ZSCAN' };
/** Executions that stream rows in batches (memory stays flat), rather than loading them all. */
const STREAMING_CALLS = new Set(['forEach', 'stream', 'cursor', 'eachAsync', 'pipe', 'iterate']);

type Verdict =
  | { kind: 'ok' }
  | { kind: 'none'; fix?: FixProposal }
  | { kind: 'huge'; node: ts.Node; text: string }
  | { kind: 'maybe'; node: ts.Node; source: string; boundName: string; caller: CallerSite };

export const unboundedRead = createRule({
  id: 'unbounded-read',
  meta: {
    description:
      'A read whose result grows with the data: no take/limit/LIMIT, a limit that is no limit, read-all-then-slice, Redis KEYS or whole-collection commands.',
    defaultSeverity: 'warning',
    messages: {
      noBound:
        '`{{operation}}` reads every matching row with no {{boundName}}: the response and memory grow with the table. {{advice}}',
      hugeLimit:
        '`{{operation}}` is bounded by `{{limitText}}`, which is no bound: it reads every matching row, so the response and memory grow with the table. Use a page size of at most {{max}} with cursor or offset pagination.',
      maybeUnbounded:
        '`{{operation}}` takes {{boundName}} from `{{source}}`, which is undefined when called as `{{caller}}`: then it reads every matching row. Give it a default (`{{source}} ?? {{pageSize}}`).',
      slicedInMemory:
        '`{{operation}}` reads every matching row, then `.slice` keeps {{kept}} in JavaScript: the database still sends the whole table on every call. {{advice}}',
      sqlNoLimit:
        '`{{operation}}` runs `{{sql}}` with no LIMIT and no unique-key filter: it returns every matching row, so the response and memory grow with the table. Add `LIMIT` (keyset or offset pagination).',
      wholeKeyspace: '`{{call}}` walks the whole keyspace and blocks Redis while it does: iterate with SCAN instead.',
      sharedKey:
        '`{{call}}` returns all of `{{key}}`, one shared key that grows with your data, in one reply and blocks Redis while it builds it: iterate with {{scan}} instead, or keep the collection bounded.',
      wholeRange:
        '`{{call}}` reads the whole {{what}} in one reply: it grows with the data and blocks Redis while it is sent. Read a bounded range and page through it.',
    },
    options: z.object({ pageSize: z.number().int().min(1).default(100) }).prefault({}),
  },
  create(context) {
    const { file, analysis, config, options } = context;
    const filters = new FilterReader(file, config.uniqueKeys);
    const seen = new Set<ts.Node>();
    for (const trip of analysis.roundTrips.inFile(file)) {
      // A pending read returned by a helper in another file is reported there, where it is built.
      if (seen.has(trip.call) || trip.effect !== 'read' || trip.call.getSourceFile() !== file.sourceFile) continue;
      seen.add(trip.call);
      const report = trip.spec.unbounded
        ? redisReport(file, trip, analysis)
        : trip.sql !== undefined
          ? sqlReport(file, trip, config, options.pageSize)
          : trip.spec.collection
            ? ormReport(file, trip, filters, config, options.pageSize, analysis)
            : undefined;
      if (!report) continue;
      // Reads at module scope or in start-up code run once: worth knowing for Redis (it blocks), not a table read.
      if (!enclosingFunction(trip.node) || isStartupCode(file, trip.node)) {
        if (!trip.spec.unbounded && enclosingFunction(trip.node)) continue;
        report.severity = 'info';
      }
      context.report(report);
    }
  },
});

/** Inside a function named like start-up code (`bootstrap`, `initCache`, `pluginStartup`), or in a `startup.js`-style file. */
function isStartupCode(file: FileModel, node: ts.Node): boolean {
  return STARTUP_FILE.test(file.path) || inFunctionNamed(file, node, STARTUP_FUNCTION);
}

function operationText(trip: RoundTrip): string {
  if (trip.method === '()')
    return ts.isTaggedTemplateExpression(trip.call) ? `${trip.receiverText}\`…\`` : `${trip.receiverText}(…)`;
  return `${trip.receiverText}.${trip.method}`;
}

function facts(trip: RoundTrip, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { library: trip.library.id, method: trip.method, ...extra };
}

// ---------- ORM and builder reads ----------

function ormReport(
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

/** `for await (const doc of cursor)`, `cursor.forEach(...)`, `.stream()`: rows arrive in batches, memory stays flat. */
function isStreamed(trip: RoundTrip): boolean {
  const executing = trip.chain[trip.chain.length - 1] ?? trip.call;
  if (STREAMING_CALLS.has(calledMethod(executing) ?? '') || STREAMING_CALLS.has(trip.method)) return true;
  let node: ts.Node = trip.node;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isForOfStatement(node.parent) && !!node.parent.awaitModifier && node.parent.expression === node;
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

/** Checks one limit value: literally huge, `undefined`, Mongo's 0, or possibly undefined (optional parameter, `x?.limit`). */
function limitVerdict(
  file: FileModel,
  expr: ts.Expression | undefined,
  config: Config,
  zeroIsNone: boolean,
  boundName: string,
  trip: RoundTrip,
  analysis: ProjectAnalysis,
): Verdict | undefined {
  if (!expr) return undefined;
  const node = skipOuterExpressions(expr);
  const value = resolveLocal(file, node);
  const max = config.thresholds.maxReasonableLimit;
  if (ts.isNumericLiteral(value)) {
    const n = Number(value.text.replace(/_/g, ''));
    if (n > max || (n === 0 && zeroIsNone)) return { kind: 'huge', node, text: limitText(file, node, boundName) };
    return undefined;
  }
  if (
    ts.isIdentifier(value) &&
    (value.text === 'undefined' || value.text === 'Infinity') &&
    !findDeclaration(file, value)
  )
    return { kind: 'huge', node, text: limitText(file, node, boundName) };
  if (
    ts.isPropertyAccessExpression(value) &&
    ts.isIdentifier(value.expression) &&
    value.expression.text === 'Number' &&
    /^(MAX_SAFE_INTEGER|MAX_VALUE|POSITIVE_INFINITY)$/.test(value.name.text)
  ) {
    return { kind: 'huge', node, text: limitText(file, node, boundName) };
  }
  const optional = optionalSource(file, node, trip);
  const caller = optional && callerLeavingOut(analysis, file, optional.parameter, optional.property);
  if (caller) return { kind: 'maybe', node, source: shortText(file, node), boundName, caller };
  return undefined;
}

function limitText(file: FileModel, node: ts.Node, boundName: string): string {
  const value = shortText(file, node, 40);
  return boundName.startsWith('.') ? `${boundName.slice(0, -2)}(${value})` : `${boundName.replace(/`/g, '')}: ${value}`;
}

/**
 * A limit that comes from an optional parameter: `limit` (`limit?: number`, unguarded), `{ limit }` of an optional
 * property, `opts?.limit`, `opts && opts.limit`.
 */
function optionalSource(
  file: FileModel,
  node: ts.Expression,
  trip: RoundTrip,
): { parameter: ts.ParameterDeclaration; property?: string } | undefined {
  if (ts.isIdentifier(node)) {
    if (!isUnguardedOptionalParameter(file, node, trip)) return undefined;
    const decl = findDeclaration(file, node);
    return decl?.kind === 'parameter' ? { parameter: decl.decl, property: decl.path[0] } : undefined;
  }
  let access: ts.Expression = node;
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken &&
    ts.isIdentifier(node.left)
  )
    access = skipOuterExpressions(node.right);
  else if (!ts.isPropertyAccessExpression(node) || !hasOptionalChain(node)) return undefined;
  if (!ts.isPropertyAccessExpression(access) || !ts.isIdentifier(access.expression)) return undefined;
  if (ts.isBinaryExpression(node) && (node.left as ts.Identifier).text !== access.expression.text) return undefined;
  const decl = findDeclaration(file, access.expression);
  if (decl?.kind !== 'parameter' || decl.path.length || decl.decl.initializer) return undefined;
  if (!decl.decl.questionToken && !(decl.decl.type && includesUndefined(decl.decl.type))) return undefined;
  return { parameter: decl.decl, property: access.name.text };
}

/** A call in the project that leaves the parameter (or its property) out, so the limit is undefined there. */
function callerLeavingOut(
  analysis: ProjectAnalysis,
  file: FileModel,
  parameter: ts.ParameterDeclaration,
  property: string | undefined,
): CallerSite | undefined {
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || !('body' in fn)) return undefined;
  const index = fn.parameters.indexOf(parameter);
  for (const site of analysis.callersOf({ file, node: fn as ts.FunctionLikeDeclaration })) {
    const args = site.call.arguments;
    if (args.some((a) => ts.isSpreadElement(a))) continue;
    const arg = args[index];
    if (!arg || (ts.isIdentifier(arg) && arg.text === 'undefined')) return site;
    const value = skipOuterExpressions(arg);
    if (
      property &&
      ts.isObjectLiteralExpression(value) &&
      !value.properties.some((p) => ts.isSpreadAssignment(p) || (p.name && (p.name as ts.Identifier).text === property))
    )
      return site;
  }
  return undefined;
}

function hasOptionalChain(node: ts.Expression): boolean {
  let current: ts.Expression = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
    if (current.questionDotToken) return true;
    current = current.expression;
  }
  return false;
}

/** `limit?: number` (or `{ limit }: { limit?: number }`) with no default, used nowhere but in this read. */
function isUnguardedOptionalParameter(file: FileModel, id: ts.Identifier, trip: RoundTrip): boolean {
  const decl = findDeclaration(file, id);
  if (decl?.kind !== 'parameter' || decl.decl.initializer || decl.path.length > 1) return false;
  const parameter = decl.decl;
  if (decl.path.length === 0) {
    if (!parameter.questionToken && !(parameter.type && includesUndefined(parameter.type))) return false;
  } else {
    const pattern = parameter.name;
    const element = ts.isObjectBindingPattern(pattern)
      ? pattern.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === id.text)
      : undefined;
    if (!element || element.initializer || !parameter.type || !ts.isTypeLiteralNode(parameter.type)) return false;
    const member = parameter.type.members.find((m) => m.name && (m.name as ts.Identifier).text === decl.path[0]);
    if (
      !member ||
      !(member.questionToken || (ts.isPropertySignature(member) && member.type && includesUndefined(member.type)))
    )
      return false;
  }
  // Any other mention (a guard, a default, a reassignment) makes the value unknowable here.
  const fn = parameter.parent;
  let otherUse = false;
  const visit = (node: ts.Node): void => {
    if (otherUse) return;
    if (
      ts.isIdentifier(node) &&
      node.text === id.text &&
      node !== id &&
      !(node.pos >= trip.call.pos && node.end <= trip.call.end)
    ) {
      if (!isDeclarationName(node)) otherUse = true;
    }
    ts.forEachChild(node, visit);
  };
  if (ts.isFunctionLike(fn) && 'body' in fn && fn.body) visit(fn.body);
  return !otherUse;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isBindingElement(parent) || ts.isParameter(parent) || ts.isVariableDeclaration(parent)) && parent.name === node
  );
}

function includesUndefined(type: ts.TypeNode): boolean {
  return ts.isUnionTypeNode(type) && type.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
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

/** The `.slice(...)` call applied to the awaited result, directly or through the variable it is stored in. */
function slicedAfter(file: FileModel, trip: RoundTrip): ts.CallExpression | undefined {
  let node: ts.Node = trip.node;
  while (
    ts.isAwaitExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isNonNullExpression(node.parent)
  )
    node = node.parent;
  const direct = sliceInChain(node);
  if (direct) return direct;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node) return undefined;
  const names = ts.isIdentifier(declaration.name)
    ? [declaration.name.text]
    : ts.isObjectBindingPattern(declaration.name)
      ? declaration.name.elements.flatMap((e) => (ts.isIdentifier(e.name) ? [e.name.text] : []))
      : [];
  const scope = enclosingScope(declaration);
  for (const name of names) {
    for (const call of callsOnVariable(scope, name)) {
      if (call.pos < declaration.end) continue;
      let root: ts.Node = skipOuterExpressions((call.expression as ts.PropertyAccessExpression).expression);
      while (ts.isCallExpression(root))
        root = skipOuterExpressions((root.expression as ts.PropertyAccessExpression).expression);
      if (!ts.isIdentifier(root) || findDeclaration(file, root)?.kind !== 'variable') continue;
      const slice = sliceInChain(root);
      if (slice) return slice;
    }
  }
  return undefined;
}

/** `x.slice(...)` or `x.filter(...).sort(...).slice(...)` starting at `node`. */
function sliceInChain(node: ts.Node): ts.CallExpression | undefined {
  let current = node;
  for (;;) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(access.parent))
      return undefined;
    if (access.name.text === 'slice') return access.parent;
    if (!LIST_METHODS.has(access.name.text)) return undefined;
    current = access.parent;
  }
}

/** `rows.slice(…)` or `(await q).slice(…)`, with no array method in between. */
function isDirectSlice(slice: ts.CallExpression): boolean {
  const receiver = skipOuterExpressions((slice.expression as ts.PropertyAccessExpression).expression);
  return !ts.isCallExpression(receiver);
}

function keptBySlice(slice: ts.CallExpression): { text: string; end?: number } {
  const [a, b] = slice.arguments.map((arg) => (ts.isNumericLiteral(arg) ? Number(arg.text) : undefined));
  if (slice.arguments.length === 2 && a !== undefined && b !== undefined)
    return a === 0 ? { text: `the first ${b}`, end: b } : { text: `rows ${a + 1} to ${b}`, end: b };
  return { text: 'only part of them' };
}

// ---------- SQL ----------

function sqlReport(file: FileModel, trip: RoundTrip, config: Config, pageSize: number): Report<MessageId> | undefined {
  const sql = trip.sql!;
  // `sql\`…\`.cursor(100)`, `for await (… of query.stream())`: rows arrive in batches.
  if (trip.spec.single || !isSelect(sql) || isStreamed(trip)) return undefined;
  const shape = selectShape(sql, config.uniqueKeys);
  if (
    shape.openClause ||
    !shape.hasFrom ||
    shape.aggregateOnly ||
    shape.distinct ||
    shape.uniqueFilter ||
    shape.inListFilter
  )
    return undefined;
  const operation = operationText(trip);
  if (
    shape.limit.kind === 'all' ||
    (shape.limit.kind === 'literal' && shape.limit.value > config.thresholds.maxReasonableLimit)
  ) {
    const text = shape.limit.kind === 'all' ? 'LIMIT ALL' : `LIMIT ${shape.limit.value}`;
    return {
      node: trip.call,
      messageId: 'hugeLimit',
      data: { operation, limitText: text, max: config.thresholds.maxReasonableLimit },
      facts: facts(trip),
    };
  }
  if (shape.limit.kind !== 'none') return undefined;
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
  // The rows of one parent (`WHERE user_id = $1`) grow with that parent only: reported only when sliced.
  if (shape.ownerFilter) return undefined;
  const shown = sql.replace(/\s+/g, ' ').trim();
  return {
    node: trip.call,
    messageId: 'sqlNoLimit',
    data: { operation, sql: shown.length > 60 ? shown.slice(0, 59) + '…' : shown },
    fixes: fix ? [fix] : [],
    facts: facts(trip, { sql }),
  };
}

// ---------- Redis ----------

function redisReport(file: FileModel, trip: RoundTrip, analysis: ProjectAnalysis): Report<MessageId> | undefined {
  const unbounded = trip.spec.unbounded!;
  const call = shortText(file, trip.call);
  const method = trip.method.toLowerCase();
  if (unbounded === 'always') {
    const fix = analysis.knowledge.methodOf(trip.typeName, 'scanStream')
      ? keysToScanStreamFix(file, trip.call)
      : undefined;
    return { node: trip.call, messageId: 'wholeKeyspace', data: { call }, fixes: fix ? [fix] : [], facts: facts(trip) };
  }
  if (unbounded === 'sharedKey') {
    const keyArg = argumentsOf(trip.call)[trip.spec.keyArg ?? 0];
    const key = keyArg ? staticText(resolveLocal(file, keyArg)) : undefined;
    // A key with a per-entity part (`user:${id}`) is one small object per entity: fine.
    if (key === undefined || key.includes('?')) return undefined;
    return {
      node: trip.call,
      messageId: 'sharedKey',
      data: { call, key, scan: SCAN_FOR[method[0]!] ?? 'a SCAN-family command' },
      facts: facts(trip, { key }),
    };
  }
  const matches = Object.entries(unbounded.args).every(([index, expected]) => {
    const arg = argumentsOf(trip.call)[Number(index)];
    return arg !== undefined && literalArg(file, arg) === String(expected);
  });
  if (!matches) return undefined;
  const what = method.startsWith('l')
    ? 'list'
    : method.startsWith('z')
      ? 'sorted set'
      : method.startsWith('x')
        ? 'stream'
        : 'collection';
  return { node: trip.call, messageId: 'wholeRange', data: { call, what }, facts: facts(trip) };
}

/** `0`, `-1`, `'-inf'`, `"+"` as text; undefined for anything computed. */
function literalArg(file: FileModel, arg: ts.Expression): string | undefined {
  const node = resolveLocal(file, arg);
  if (ts.isNumericLiteral(node) || ts.isStringLiteralLike(node))
    return String(ts.isNumericLiteral(node) ? Number(node.text) : node.text);
  if (
    ts.isPrefixUnaryExpression(node) &&
    node.operator === ts.SyntaxKind.MinusToken &&
    ts.isNumericLiteral(node.operand)
  )
    return String(-Number(node.operand.text));
  return undefined;
}
