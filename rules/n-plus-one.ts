// n-plus-one: a round trip (query, command, request) per element of a collection, directly or through helpers.
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { argumentsOf, calleeOf } from './analysis/calls';
import { createRule, type Report } from './createRule';
import { exitsEarly, literalCollectionSize, loopScopedNames, type LoopContext } from './analysis/loops';
import type { RoundTrip } from './analysis/roundTrips';
import { callTarget, functionName, isBehindCache, type FunctionRef, type Reach } from './analysis/summaries';
import type { FileModel } from './analysis/sourceFile';
import { enclosingFunction, isFunctionBoundary, skipOuterExpressions } from './analysis/scope';
import { hoistStatementFix } from './fixes/hoist';
import { batchFix } from './fixes/batch';
import type { FixProposal } from './analysis/types';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import { isSelect, selectShape } from './analysis/sql';
import { behindRouteCache, inFunctionNamed } from './analysis/projectAnalysis';
import { ONE_OFF_FUNCTION } from './knowledge/frameworks';
import { sizeIsSmall, type CollectionSize } from './analysis/collectionSize';
import type { ExecutionContext } from './analysis/executionContext';

type MessageId = 'sequential' | 'concurrent' | 'via' | 'invariant';

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
    },
    options: RULE_OPTIONS['n-plus-one'],
  },
  create(context) {
    const { file, analysis, config } = context;
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
        isFanOut(file, trip, loop)
      )
        continue;
      const fn = enclosingFunction(trip.node);
      if (fn && isBehindCache(analysis.evaluator, trip.node, fn)) continue;
      reported.add(trip.node);
      const report = tripReport(file, trip, loop, n, evidence);
      if (report.messageId !== 'invariant')
        report.fixes = batchFixFor(analysis, file, trip, loop, report.data.operation);
      context.report(report);
    }

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
          !isFanOut(file, reach.trip, loop)
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
      if (size && sizeIsSmall(size, config.thresholds.smallLiteralListMax)) return undefined;
      return { where, size };
    }

    /** Loops that are fine: small literal lists, early-exit searches, cached routes, one-off migrations. */
    function isExempt(loop: LoopContext, node: ts.Node): boolean {
      const size = literalCollectionSize(file, loop.collection);
      if (size !== undefined && size <= config.thresholds.smallLiteralListMax) return true;
      return (
        exitsEarly(loop, node) || behindRouteCache(loop.node) || inFunctionNamed(file, loop.node, ONE_OFF_FUNCTION)
      );
    }
  },
});

/** Why a loop is reported: where it runs, and what its collection is. */
interface Evidence {
  where: ExecutionContext;
  size: CollectionSize | undefined;
}

/** " (every matching row of `x.findMany` (no limit); in GET /orders)", or empty when nothing is known. */
function whyText(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.size && evidence.size.kind !== 'unknown') parts.push(evidence.size.reason);
  const entry = evidence.where.hotEntry;
  if (entry) parts.push(entry.path.length ? `reached from ${entry.label}` : `in ${entry.label}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** The example N: a page's bound when it is smaller than the example size. */
function exampleSize(evidence: Evidence, n: number): number {
  const max = evidence.size?.kind === 'page' ? evidence.size.max : undefined;
  return max !== undefined && max < n ? max : n;
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
  return batchFix(
    file.sourceFile,
    {
      library: trip.library.id,
      method: trip.method,
      loop: span(loop.node),
      read: span(trip.node),
      call: span(trip.call),
    },
    writes,
    String(operation),
  );
}

/** A batch call given the whole element (`createMany({ data: chunk })`): the loop is over chunks, which is fine. */
function passesElementWhole(trip: RoundTrip, loop: LoopContext): boolean {
  const names = loopElementNames(loop);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      names.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node)
    )
      found = true;
    // `items.slice(i, i + size)` in an indexed loop: a chunk of the collection.
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'slice'
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  argumentsOf(trip.call).forEach(visit);
  return found;
}

/** A SQL read over a list of ids (`id = ANY($1)`, `id IN ${sql(ids)}`): a batch form when the loop hands it a chunk. */
function isListRead(trip: RoundTrip, uniqueKeys: readonly string[]): boolean {
  return (
    trip.sql !== undefined &&
    trip.effect === 'read' &&
    isSelect(trip.sql) &&
    selectShape(trip.sql, uniqueKeys).inListFilter
  );
}

/** The names a loop binds to each element: `for (const chunk of …)`, `chunks.forEach((chunk) => …)`. */
function loopElementNames(loop: LoopContext): Set<string> {
  const names = new Set<string>();
  const node = loop.node;
  if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && ts.isVariableDeclarationList(node.initializer)) {
    for (const decl of node.initializer.declarations) if (ts.isIdentifier(decl.name)) names.add(decl.name.text);
  }
  if (
    (ts.isArrowFunction(loop.body) || ts.isFunctionExpression(loop.body)) &&
    loop.body.parameters[0] &&
    ts.isIdentifier(loop.body.parameters[0].name)
  ) {
    names.add(loop.body.parameters[0].name.text);
  }
  return names;
}

/** Functions passed inline (callbacks) are covered by the trips inside them, not as "via" calls. */
function isInlineCallback(node: ts.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) parent = parent.parent;
  // `exports.load = function (…) {…}`, `const load = …`, `{ load: … }` are named functions called elsewhere.
  return !ts.isVariableDeclaration(parent) && !ts.isPropertyAssignment(parent) && !ts.isBinaryExpression(parent);
}

/**
 * Requests to targets that differ per element (`fetch(hook.url)`, webhooks) are fan-out, not N+1:
 * no batch endpoint exists. Only requests to one service with a per-element path are reported: a URL
 * that starts with literal text, or with the service's own base (`${process.env.API_URL}/items/${id}`,
 * `${BASE_URL}/…` from a module constant).
 */
function isFanOut(file: FileModel, trip: RoundTrip, loop: LoopContext): boolean {
  if (trip.library.roundTripNoun !== 'request') return false;
  const url = argumentsOf(trip.call)[0];
  if (!url) return true;
  const expr = skipOuterExpressions(url);
  if (ts.isStringLiteralLike(expr)) return !expr.text;
  if (ts.isTemplateExpression(expr))
    return !expr.head.text && !(expr.templateSpans[0] && isServiceBase(expr.templateSpans[0].expression));
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    let left: ts.Expression = expr.left;
    while (ts.isBinaryExpression(left) && left.operatorToken.kind === ts.SyntaxKind.PlusToken) left = left.left;
    left = skipOuterExpressions(left);
    return !(ts.isStringLiteralLike(left) ? left.text : isServiceBase(left));
  }
  void file;
  void loop;
  return true;
}

/** `process.env.API_URL`, `config.apiUrl`, `BASE_URL`: one configured service, the same for every element. */
function isServiceBase(input: ts.Expression): boolean {
  const expr = skipOuterExpressions(input);
  const text = expr.getText();
  if (/^process\.env\./.test(text) || /^(config|env|settings)\b/i.test(text)) return true;
  return ts.isIdentifier(expr) && /^[A-Z][A-Z0-9_]*$/.test(expr.text);
}

function operationText(trip: RoundTrip): string {
  if (trip.method === '()' && ts.isTaggedTemplateExpression(trip.call) && trip.sql !== undefined) {
    // sql`select … where id = ?`: the tag and its SQL, holes as `?`.
    const sql = trip.sql.replace(/\s+/g, ' ').trim();
    return `${trip.receiverText}\`${sql.length > 40 ? sql.slice(0, 39) + '…' : sql}\``;
  }
  if (trip.method === '()') {
    const text = trip.call.getText().replace(/\s+/g, ' ');
    return text.length > 40 ? text.slice(0, 37) + '…' : text;
  }
  const callee = calleeOf(trip.call);
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return trip.method;
  return `${trip.receiverText}.${trip.method}`;
}

function adviceFor(trip: RoundTrip): string {
  const form = trip.spec.batchForm;
  // An id-list batch form (`WHERE id = ANY($1)`) says nothing about inserting rows: one multi-row INSERT does.
  if (
    trip.effect === 'write' &&
    trip.sql !== undefined &&
    /^\s*insert\b/i.test(trip.sql) &&
    !/insert/i.test(form ?? '')
  )
    return 'Insert them in one round trip: one multi-row `INSERT … VALUES (…), (…)`, or a batch insert of the driver.';
  if (trip.effect === 'write')
    return form ? `Write them in one round trip: ${form}.` : 'Write them in one batch or transaction.';
  return form ? `Batch it: ${form}.` : 'Fetch them in one round trip before the loop and look them up in a Map.';
}

function nounOf(trip: RoundTrip): string {
  return trip.library.roundTripNoun;
}

function severityFor(trip: RoundTrip, loop: LoopContext): Report<MessageId>['severity'] {
  if (trip.library.inProcess) return 'info';
  return loop.concurrent ? 'info' : undefined;
}

function loopRelated(loop: LoopContext): { node: ts.Node; message: string } {
  return { node: loop.header, message: `loop over \`${loop.collectionText}\`` };
}

function tripReport(
  file: FileModel,
  trip: RoundTrip,
  loop: LoopContext,
  example: number,
  evidence: Evidence,
): Report<MessageId> {
  const n = exampleSize(evidence, example);
  const facts = {
    library: trip.library.id,
    method: trip.method,
    effect: trip.effect,
    collection: loop.collectionText,
    concurrent: loop.concurrent,
  };
  const base = {
    operation: operationText(trip),
    collection: loop.collectionText,
    noun: nounOf(trip),
    n,
    total: n + 1,
    advice: adviceFor(trip),
    why: whyText(evidence),
  };
  if (isLoopInvariant(file, trip, loop)) {
    const fix = hoistStatementFix(file, trip.node, loop);
    return {
      node: trip.node,
      messageId: 'invariant',
      data: base,
      related: [loopRelated(loop)],
      facts: { ...facts, invariant: true },
      fixes: fix ? [fix] : [],
    };
  }
  // In-process drivers (better-sqlite3) are synchronous: each call blocks until done, never concurrent.
  const concurrent = loop.concurrent && !trip.library.inProcess;
  return {
    node: trip.node,
    messageId: concurrent ? 'concurrent' : 'sequential',
    data: base,
    severity: severityFor(trip, loop),
    related: [loopRelated(loop)],
    facts,
  };
}

function viaReport(
  target: FunctionRef,
  call: ts.CallExpression,
  reach: Reach,
  loop: LoopContext,
  example: number,
  evidence: Evidence,
): Report<MessageId> {
  const n = exampleSize(evidence, example);
  const calleeName = functionName(target);
  const names = [
    calleeName,
    ...reach.steps.map((s) => functionName(s.target)).filter((name) => name !== calleeName),
    operationText(reach.trip),
  ];
  const chain = names.map((name) => `\`${name}\``).join(' → ');
  const related = [
    loopRelated(loop),
    ...reach.steps.map((s) => ({
      node: s.target.node.name ?? s.target.node,
      file: s.target.file,
      message: `\`${functionName(s.target)}\` is called here`,
    })),
    {
      node: reach.trip.node,
      file: reach.steps.length ? reach.steps[reach.steps.length - 1]!.target.file : target.file,
      message: `\`${operationText(reach.trip)}\` makes the round trip`,
    },
  ];
  return {
    node: call,
    messageId: 'via',
    data: {
      callee: calleeName,
      chain,
      collection: loop.collectionText,
      noun: nounOf(reach.trip),
      n,
      total: n + 1,
      advice: adviceFor(reach.trip),
      why: whyText(evidence),
    },
    severity: severityFor(reach.trip, loop),
    related,
    facts: {
      library: reach.trip.library.id,
      method: reach.trip.method,
      collection: loop.collectionText,
      concurrent: loop.concurrent,
      chain: names,
    },
  };
}

/** No argument, receiver or builder call of the round trip mentions a name bound inside the loop. */
function isLoopInvariant(file: FileModel, trip: RoundTrip, loop: LoopContext): boolean {
  if (trip.effect === 'write') return false;
  const scoped = loopScopedNames(loop);
  let mentions = false;
  const check = (node: ts.Node): void => {
    if (mentions) return;
    if (ts.isIdentifier(node) && scoped.has(node.text)) mentions = true;
    else if (node.kind === ts.SyntaxKind.ThisKeyword && isFunctionBoundary(loop.body)) mentions = false;
    else ts.forEachChild(node, check);
  };
  check(trip.call);
  for (const link of trip.chain) check(link);
  void file;
  return !mentions;
}
