// missing-cache: the same read of rarely-changing data (settings, flags, permissions, reference data) on every request.
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { argumentsOf, calleeOf } from './analysis/calls';
import { createRule } from './createRule';
import {
  ACCESS_CONTROL_NAMES,
  HTTP_CACHE_MARKERS,
  MODEL_ACCESSORS,
  RARELY_CHANGING_NAMES,
  SOMETIMES_STABLE_NAMES,
} from './knowledge/cacheable';
import { cacheFixes } from './fixes/cache';
import type { RoundTrip } from './analysis/roundTrips';
import { staticText } from './analysis/roundTrips';
import { enclosingFunction, findDeclaration, skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import { callTarget, codeName, functionName, isBehindCache } from './analysis/summaries';
import { helperRead, type ReadJudge } from './missing-cache/helperReads';
import { isConstantRequest } from './analysis/constantInput';
import { isAdminEntry, isWriteEntry } from './missing-cache/entryTraffic';
import { readKeyOf, varyingArguments, type ReadKey } from './missing-cache/readKeys';
import { inWordSet, words } from './missing-cache/words';
import { hasQueryCache, isWholeResponse } from './missing-cache/queryCache';
import { onFailurePath } from './analysis/failurePath';

const RARE = new Set(RARELY_CHANGING_NAMES);
const ACCESS = new Set(ACCESS_CONTROL_NAMES);
const SOMETIMES = new Set(SOMETIMES_STABLE_NAMES);

/**
 * What a subject name says about its data: `config` (settings, flags, reference data: cacheable per tenant too),
 * `access` (permissions, roles: fresh per key, cacheable only as a whole) or `sometimes` (stable in most services).
 */
type SubjectKind = 'config' | 'access' | 'sometimes';

/** Whether a read of that kind of data, keyed that way, repeats the same answer often enough to cache. */
function worthCaching(kind: SubjectKind, key: ReadKey): boolean {
  if (key === 'fixed') return true;
  // Templates, locales, categories: stable in most services but the product's own data in others (a translation
  // platform's locales), so only a read every request makes identically is worth a cache.
  if (kind === 'sometimes') return false;
  if (key === 'small-domain') return true;
  return kind === 'config' && key === 'tenant';
}

export const missingCache = createRule({
  id: 'missing-cache',
  meta: {
    description:
      'A read of rarely-changing data (settings, feature flags, permissions, reference data, a stable external API) on every request with no cache in front of it.',
    defaultSeverity: 'info',
    messages: {
      perRequest:
        '`{{operation}}` reads rarely-changing data (`{{subject}}`) on every request ({{entry}}) with no cache in front: at 100 requests/s that is 100 identical {{noun}} round trips per second. Cache it (cache-aside with a TTL and jitter) or load it once at start-up and refresh it.',
      viaHelper:
        '`{{call}}` reads rarely-changing data (`{{subject}}`, in {{reader}}) with fixed inputs on every request ({{entry}}) with no cache in front: every call repeats the same {{noun}} round trip for the same answer. Cache what `{{helper}}` returns (cache-aside with a TTL and jitter) or load it once at start-up and refresh it.',
      sameRequest:
        '`{{operation}}` requests `{{target}}` with fixed inputs (literals and configuration only) on every request ({{entry}}) with no cache in front: every caller gets the same answer, yet each pays the remote latency and the remote rate limit. Cache it (cache-aside with a TTL and jitter) or refresh it in the background.',
    },
    options: RULE_OPTIONS['missing-cache'],
  },
  create(context) {
    const { file, analysis, options } = context;
    if (context.fileContext !== 'source') return;
    for (const trip of analysis.roundTrips.inFile(file)) {
      if (trip.effect !== 'read' || trip.library.roundTripNoun === 'command') continue;
      const subjectMatch = subjectOf(file, trip);
      if (!subjectMatch) continue;
      const fixedRequest = subjectMatch.fixedRequest === true;
      const key: ReadKey = fixedRequest ? 'fixed' : readKeyOf(file, trip);
      if (!worthCaching(subjectMatch.kind, key)) continue;
      const subject = subjectMatch.subject;
      const fn = enclosingFunction(trip.node);
      if (!fn || isBehindCache(analysis.evaluator, trip.node, fn) || hasQueryCache(trip, fn)) continue;
      // The not-found or error branch of a handler runs on a small share of its calls.
      if (onFailurePath(trip.node, fn)) continue;
      // A lookup table served as a GET endpoint's whole answer: the client asks once per page; HTTP caching fits.
      if (subjectMatch.kind === 'sometimes' && isWholeResponse(analysis, file, trip, fn)) continue;
      // Read, then write the same data (ensure-exists, read-modify-write): that read must see the latest rows.
      if (writesSameData(analysis, file, trip, fn)) continue;
      const reach = repeatedReach(analysis, file, fn, trip.node, key === 'fixed', fixedRequest);
      if (!reach) continue;
      const operation = operationOf(trip);
      const fixes = cacheFixes(file, trip, subject, options);
      context.report({
        node: trip.node,
        messageId: fixedRequest ? 'sameRequest' : 'perRequest',
        data: {
          operation,
          subject,
          target: subjectMatch.target ?? subject,
          entry: `${reach.kind} ${codeName(reach.entry)}`,
          noun: trip.library.roundTripNoun,
        },
        related: [
          {
            node: reach.entry.node.name ?? reach.entry.node,
            file: reach.entry.file,
            message: `runs on every request: ${functionName(reach.entry)}`,
          },
        ],
        fixes,
        facts: { library: trip.library.id, method: trip.method, subject },
      });
    }
    reportHelperCalls(context);
  },
});

type Context = Parameters<Parameters<typeof createRule>[0]['create']>[0];

/**
 * Calls, with fixed arguments, of a helper in another module that reads rarely-changing data keyed by its parameters
 * (`infraConfig.isHistoryEnabled()`, `variables.getValue(NAMES.TIMEOUT)`): the read alone looks per-call, the call
 * fixes its inputs, so the report goes here. A helper whose read is reported where it is gets no second report.
 */
function reportHelperCalls(context: Context): void {
  const { file, analysis } = context;
  const judge: ReadJudge = (readFile, trip, fn) => {
    if (trip.library.roundTripNoun === 'command') return undefined;
    const match = subjectOf(readFile, trip);
    if (!match || isBehindCache(analysis.evaluator, trip.node, fn) || writesSameData(analysis, readFile, trip, fn))
      return undefined;
    const key = match.fixedRequest ? 'fixed' : readKeyOf(readFile, trip);
    return { subject: match.subject, standalone: worthCaching(match.kind, key) };
  };
  const visit = (node: ts.Node): void => {
    ts.forEachChild(node, visit);
    if (!ts.isCallExpression(node)) return;
    const target = callTarget(analysis.evaluator, node);
    const fn = enclosingFunction(node);
    if (!target || !fn || target.file.path === file.path || onFailurePath(node, fn)) return;
    const read = helperRead(analysis, target, judge);
    if (!read || read.standalone) return;
    if (read.usesParameters && varyingArguments(file, node).length > 0) return;
    if (isBehindCache(analysis.evaluator, node, fn)) return;
    const fixedRequest = read.trip.library.roundTripNoun === 'request';
    const reach = repeatedReach(analysis, file, fn, node, true, fixedRequest);
    if (!reach) return;
    const reader = read.via[read.via.length - 1]!;
    context.report({
      node,
      messageId: 'viaHelper',
      data: {
        call: shortText(node.getText(file.sourceFile)),
        subject: read.subject,
        reader: codeName(reader),
        helper: functionName(target),
        entry: `${reach.kind} ${codeName(reach.entry)}`,
        noun: read.trip.library.roundTripNoun,
      },
      related: [{ node: read.trip.node, file: read.file, message: `the read of \`${read.subject}\`` }],
      facts: { library: read.trip.library.id, method: read.trip.method, subject: read.subject },
    });
  };
  visit(file.sourceFile);
}

/**
 * The hot entry that repeats a read at `at` (in `fn`) with traffic, with its call path; undefined when no request or job
 * reaches it, a cache sits on the way, or the entry is rare (admin-only, a write request reading by per-call inputs).
 */
function repeatedReach(
  analysis: ProjectAnalysis,
  file: FileModel,
  fn: ts.FunctionLikeDeclaration,
  at: ts.Node,
  fixedKey: boolean,
  fixedRequest: boolean,
): ReturnType<ProjectAnalysis['entryReaching']> {
  const reach = analysis.entryReaching({ file, node: fn });
  if (!reach) return undefined;
  // A cache check on the way from the handler to the read (cache-aside in the caller) also counts.
  if (reach.path.some((site) => site.caller && isBehindCache(analysis.evaluator, site.call, site.caller.node)))
    return undefined;
  const hot = analysis.contextOf(file, at).hotEntry;
  // A timer or cron job that fetches a fixed URL already refreshes on its period: that is the cache.
  if (fixedRequest && hot?.kind !== 'request') return undefined;
  const labels = [hot?.label ?? '', functionName(reach.entry)];
  // Admin pages and operator commands: a handful of people, so the read does not repeat with traffic.
  if (isAdminEntry(reach.entry, labels)) return undefined;
  // A write request (POST/PUT/DELETE route, GraphQL mutation) that reads by anything but fixed inputs is the edit
  // path (validate, look up, then change): rare next to reads, and it wants fresh data. A read with fixed inputs
  // there (a checkout limit) still repeats identically per request.
  if (!fixedKey && isWriteEntry(reach.entry, labels)) return undefined;
  const entryText = reach.entry.node.getText(reach.entry.file.sourceFile);
  if (HTTP_CACHE_MARKERS.some((marker) => entryText.includes(marker))) return undefined;
  return reach;
}

/** Whether the function that reads also writes the same model, table or collection (`Roles.find` … `Roles.insertOne`). */
function writesSameData(analysis: ProjectAnalysis, file: FileModel, trip: RoundTrip, fn: ts.Node): boolean {
  const target = dataTarget(trip);
  return analysis.roundTrips
    .inFile(file)
    .some((other) => other.effect === 'write' && isWithin(other.node, fn) && dataTarget(other) === target);
}

/** The variable an awaited read is stored in (`const settings = await …`), if any. */
function resultName(node: ts.Node): string | undefined {
  let current: ts.Node = node;
  while (ts.isAwaitExpression(current.parent) || ts.isParenthesizedExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
}

/** Whether `node` sits in `fn`, callbacks of `fn` included. */
function isWithin(node: ts.Node, fn: ts.Node): boolean {
  return node.pos >= fn.pos && node.end <= fn.end && node.getSourceFile() === fn.getSourceFile();
}

/** The model delegate, or the table of static SQL, a round trip works on. */
function dataTarget(trip: RoundTrip): string {
  const table = trip.sql ? /\b(?:from|into|update|join)\s+["`]?([\w.]+)/i.exec(trip.sql)?.[1] : undefined;
  return (table ?? trip.receiverText).toLowerCase();
}

function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

function operationOf(trip: RoundTrip): string {
  return trip.method === '()' || trip.receiverText === trip.method
    ? trip.method.replace('()', trip.receiverText)
    : `${trip.receiverText}.${trip.method}`;
}

/** `config.ratesUrl`, `RATES_URL`: a value fixed at module scope, not derived from the request. */
function isModuleConstant(file: FileModel, expr: ts.Expression): boolean {
  let root = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const declaration = findDeclaration(file, root);
  if (!declaration) return false;
  if (declaration.kind === 'import') return true;
  return declaration.kind === 'variable' && enclosingFunction(declaration.decl) === undefined;
}

/** The first rarely-changing word naming what the read targets: model, table, collection or URL path. */
export function subjectOf(
  file: FileModel,
  trip: RoundTrip,
): { subject: string; kind: SubjectKind; fixedRequest?: boolean; target?: string } | undefined {
  const candidates: string[] = [];
  if (trip.library.roundTripNoun === 'request' && isConstantRequest(file, argumentsOf(trip.call))) {
    // No input varies per call: whatever the resource, every caller gets the same answer.
    const urlArg = argumentsOf(trip.call)[0]!;
    const url = ts.isStringLiteralLike(urlArg) ? urlArg.text : undefined;
    const subject = url
      ? url
          .replace(/[?#].*$/, '')
          .replace(/^https?:\/\/[^/]+/, '')
          .replace(/^\/+/, '') || url
      : shortText(urlArg.getText(file.sourceFile).replace(/^`|`$/g, ''));
    return { subject, kind: 'config', fixedRequest: true, target: url ?? subject };
  }
  if (trip.sql) {
    const table = /\bfrom\s+["`]?([\w.]+)/i.exec(trip.sql);
    if (table) candidates.push(table[1]!);
  } else if (trip.library.roundTripNoun === 'request') {
    const urlArg = argumentsOf(trip.call)[0];
    const url = staticText(urlArg);
    // Only URLs with no per-request part: the same answer for every caller.
    if (url && !url.includes('?')) candidates.push(url.replace(/^https?:\/\/[^/]+/, ''));
    else if (urlArg && isModuleConstant(file, urlArg)) candidates.push(urlArg.getText(file.sourceFile));
  } else {
    const callee = skipOuterExpressions(calleeOf(trip.call));
    const receiver = ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
    if (receiver && ts.isPropertyAccessExpression(receiver)) candidates.push(receiver.name.text);
    else if (receiver && ts.isIdentifier(receiver)) candidates.push(receiver.text);
    else if (
      receiver &&
      ts.isCallExpression(receiver) &&
      ts.isPropertyAccessExpression(receiver.expression) &&
      MODEL_ACCESSORS.has(receiver.expression.name.text)
    ) {
      const first = receiver.arguments[0];
      if (first) candidates.push(staticText(first) ?? first.getText());
    }
    if (trip.method === '()') {
      const table = staticText(argumentsOf(trip.call)[0]);
      if (table) candidates.push(table);
    }
    // `.select('+settings')`: the fields asked for name the data too.
    for (const call of trip.chain) {
      const callee = call.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'select') {
        const fields = staticText(call.arguments[0]);
        if (fields) candidates.push(fields);
      }
    }
    // `const settings = await prisma.guild.findUnique(…)`: what the code calls the result says what it is.
    const binding = resultName(trip.node);
    if (binding) candidates.push(binding);
  }
  for (const candidate of candidates) {
    const all = words(candidate);
    const subject = candidate.replace(/^\/+/, '');
    if (all.some((w) => inWordSet(ACCESS, w))) return { subject, kind: 'access' };
    if (all.some((w) => inWordSet(RARE, w))) return { subject, kind: 'config' };
    if (all.some((w) => inWordSet(SOMETIMES, w))) return { subject, kind: 'sometimes' };
  }
  return undefined;
}
