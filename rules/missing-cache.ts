// missing-cache: the same read of rarely-changing data (settings, flags, permissions, reference data) on every request.
import { RULE_OPTIONS } from './analysis/config';
import { ts } from 'ts-morph';
import { argumentsOf, calleeOf } from './analysis/calls';
import { createRule } from './createRule';
import {
  HTTP_CACHE_MARKERS,
  MODEL_ACCESSORS,
  RARELY_CHANGING_NAMES,
  SOMETIMES_STABLE_NAMES,
} from './knowledge/cacheable';
import { cacheFixes, usesLocalValues } from './fixes/cache';
import type { RoundTrip } from './analysis/roundTrips';
import { staticText } from './analysis/roundTrips';
import { enclosingFunction, findDeclaration, skipOuterExpressions } from './analysis/scope';
import type { FileModel } from './analysis/sourceFile';
import { functionName, isBehindCache } from './analysis/summaries';
import { isConstantRequest } from './missing-cache/constantInput';

const RARE = new Set(RARELY_CHANGING_NAMES);
const SOMETIMES = new Set(SOMETIMES_STABLE_NAMES);

export const missingCache = createRule({
  id: 'missing-cache',
  meta: {
    description:
      'A read of rarely-changing data (settings, feature flags, permissions, reference data, a stable external API) on every request with no cache in front of it.',
    defaultSeverity: 'info',
    messages: {
      perRequest:
        '`{{operation}}` reads rarely-changing data (`{{subject}}`) on every request ({{entry}}) with no cache in front: at 100 requests/s that is 100 identical {{noun}} round trips per second. Cache it (cache-aside with a TTL and jitter) or load it once at start-up and refresh it.',
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
      // Weaker names count only when every request repeats exactly the same read.
      if (!subjectMatch.strong && usesLocalValues(trip)) continue;
      const subject = subjectMatch.subject;
      const fn = enclosingFunction(trip.node);
      if (!fn || isBehindCache(analysis.evaluator, trip.node, fn)) continue;
      const reach = analysis.entryReaching({ file, node: fn });
      if (!reach) continue;
      // A cache check on the way from the handler to the read (cache-aside in the caller) also counts.
      if (reach.path.some((site) => site.caller && isBehindCache(analysis.evaluator, site.call, site.caller.node)))
        continue;
      // A write request (POST/PUT/DELETE route, GraphQL mutation) is the admin or edit path: rarer than reads, and it
      // wants fresh data. The hot read path is where caching pays.
      const labels = [analysis.contextOf(file, fn).hotEntry?.label ?? '', functionName(reach.entry)];
      if (isWriteEntry(reach.entry.node, labels)) continue;
      const entryText = reach.entry.node.getText(reach.entry.file.sourceFile);
      if (HTTP_CACHE_MARKERS.some((marker) => entryText.includes(marker))) continue;
      const operation = operationOf(trip);
      const fixes = cacheFixes(file, trip, subject, options);
      context.report({
        node: trip.node,
        messageId: fixedRequest ? 'sameRequest' : 'perRequest',
        data: {
          operation,
          subject,
          target: subjectMatch.target ?? subject,
          entry: `${reach.kind} \`${functionName(reach.entry)}\``,
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
  },
});

/** Decorators and route labels of request handlers that change data. */
const WRITE_DECORATORS = new Set(['Post', 'Put', 'Patch', 'Delete', 'Mutation']);
const WRITE_ROUTE = /^(route )?`?(POST|PUT|PATCH|DELETE) /;

function isWriteEntry(node: ts.Node, labels: string[]): boolean {
  if (labels.some((label) => WRITE_ROUTE.test(label))) return true;
  if (!ts.canHaveDecorators(node)) return false;
  return (ts.getDecorators(node) ?? []).some((decorator) => {
    const expr = decorator.expression;
    const callee = ts.isCallExpression(expr) ? expr.expression : expr;
    return ts.isIdentifier(callee) && WRITE_DECORATORS.has(callee.text);
  });
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

/** Splits `featureFlags`, `feature_flags`, `/api/v1/countries` into lower-case words. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** The first rarely-changing word naming what the read targets: model, table, collection or URL path. */
export function subjectOf(
  file: FileModel,
  trip: RoundTrip,
): { subject: string; strong: boolean; fixedRequest?: boolean; target?: string } | undefined {
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
    return { subject, strong: true, fixedRequest: true, target: url ?? subject };
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
  }
  const inSet = (set: Set<string>) => (w: string) =>
    set.has(w) || set.has(w.replace(/ies$/, 'y')) || set.has(w.replace(/s$/, ''));
  for (const candidate of candidates) {
    const all = words(candidate);
    if (all.some(inSet(RARE))) return { subject: candidate.replace(/^\/+/, ''), strong: true };
    if (all.some(inSet(SOMETIMES))) return { subject: candidate.replace(/^\/+/, ''), strong: false };
  }
  return undefined;
}
