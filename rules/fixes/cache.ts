// The missing-cache fixes: wrap a read in one of the skill's four caching patterns (the helper module is created once).
import { ts } from 'ts-morph';
import { z } from 'zod';
import { fixFormsOf } from '../knowledge/fixForms';
import type { RuleOptions } from '../analysis/config';
import type { RoundTrip } from '../analysis/roundTrips';
import { argumentsOf } from '../analysis/calls';
import { enclosingFunction, isFunctionBoundary } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { helperPathFor, helperSpecifierFrom, languageOf } from './helperModule';
import { lazyFix } from './lazy';
import { ensureImport, indentLines, type Rewrite } from './rewrite';
import { CACHE_FUNCTIONS, CACHE_HELPER_BASENAME, cacheHelperSource, type CachePattern } from './templates/cacheHelper';

const Span = z.object({ start: z.number().int(), end: z.number().int() });

/** Where the read sits and how it is wrapped. */
const ReadForm = z.discriminatedUnion('form', [
  /** `prisma.plan.findMany()` → `cached(key, ttl, () => prisma.plan.findMany())`. */
  z.object({ form: z.literal('call'), span: Span }),
  /** `(await fetch(u)).json()` or `(await axios.get(u)).data`: the body read itself is wrapped. */
  z.object({ form: z.literal('inlineBody'), span: Span, awaited: z.boolean() }),
  /** `await axios.get(u)` whose result is only read as `.data`: becomes `{ data: await cached(…) }`. */
  z.object({ form: z.literal('bodyObject'), span: Span, property: z.string() }),
  /** `const res = await fetch(u); … await res.json() …`: the body is read at the request, cached, and used by name. */
  z.object({ form: z.literal('hoistedBody'), span: Span, name: Span, read: Span, newName: z.string() }),
  /** `const res = await fetch(u); if (!res.ok) throw …; const body = await res.json();` → one cached loader. */
  z.object({
    form: z.literal('statements'),
    span: Span,
    declaration: z.string(),
    name: z.string(),
    init: Span,
  }),
]);
type ReadForm = z.infer<typeof ReadForm>;

const CacheFacts = z.object({
  pattern: z.enum(['cache-aside', 'write-through', 'write-behind', 'refresh-ahead']),
  read: ReadForm,
  key: z.string(),
  ttlSeconds: z.number().int().min(1),
  helperPath: z.string(),
  language: z.enum(['ts', 'esm', 'cjs']),
  settings: z.object({
    jitterRatio: z.number(),
    lockMs: z.number(),
    refreshAheadRatio: z.number(),
    writeBehindFlushMs: z.number(),
    writeBehindMaxQueue: z.number(),
  }),
  /** What is cached, to find the writes that change it: the library and the receiver (`prisma.plan`) or SQL table. */
  subject: z.object({ library: z.string(), receiver: z.string(), table: z.string().optional() }),
});
type CacheFacts = z.infer<typeof CacheFacts>;

const PATTERN_TITLES: Record<CachePattern, string> = {
  'cache-aside': 'cache-aside: read-heavy, tolerates stale; eventual consistency, low complexity',
  'write-through': 'write-through: the writes to it refresh the cache; strong consistency, medium complexity',
  'write-behind': 'write-behind: writes queued and flushed in order; eventual consistency, high complexity',
  'refresh-ahead': 'refresh-ahead: reloaded before it expires; strong consistency, medium complexity',
};

/** The cache helper's place in the project: one module next to the nearest `src` folder. */
export function cacheHelperPathFor(file: FileModel): string {
  return helperPathFor(file, CACHE_HELPER_BASENAME);
}

/** Arguments built from per-call values would need them in the key; only constant reads get an automatic key. */
export function usesLocalValues(trip: RoundTrip): boolean {
  const fn = enclosingFunction(trip.node);
  if (!fn) return false;
  const locals = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) &&
      ts.isIdentifier(node.name)
    )
      locals.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(fn);
  let found = false;
  const check = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      locals.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
      !ts.isPropertyAssignment(node.parent)
    )
      found = true;
    else ts.forEachChild(node, check);
  };
  for (const call of [trip.call, ...trip.chain]) argumentsOf(call).forEach(check);
  return found;
}

/**
 * The caching suggestions for a read, cache-aside first; none when the read uses per-call values (they would need
 * to be in the key) or when an HTTP response is used beyond its JSON body (a Response object cannot be cached).
 */
export function cacheFixes(
  file: FileModel,
  trip: RoundTrip,
  subject: string,
  options: RuleOptions<'missing-cache'>,
): FixProposal[] {
  if (usesLocalValues(trip)) return [];
  const isRequest = trip.library.roundTripNoun === 'request';
  const read = isRequest ? httpReadForm(file, trip) : { form: 'call' as const, span: spanOf(file, trip.node) };
  if (!read) return [];
  const table = trip.sql ? /\bfrom\s+["`]?([\w.]+)/i.exec(trip.sql)?.[1] : undefined;
  const base: Omit<CacheFacts, 'pattern'> = {
    read,
    key: `perf-advisor:${subject.replace(/[^\w:/.-]+/g, '-')}:${trip.method.replace(/\W/g, '') || 'read'}`,
    ttlSeconds: options.ttlSeconds,
    helperPath: cacheHelperPathFor(file),
    language: languageOf(file),
    settings: {
      jitterRatio: options.jitterRatio,
      lockMs: options.lockMs,
      refreshAheadRatio: options.refreshAheadRatio,
      writeBehindFlushMs: options.writeBehindFlushMs,
      writeBehindMaxQueue: options.writeBehindMaxQueue,
    },
    subject: { library: trip.library.id, receiver: trip.receiverText, ...(table ? { table } : {}) },
  };
  // Writes to an HTTP API happen elsewhere: only the read-side patterns apply there.
  const patterns: CachePattern[] = isRequest
    ? ['cache-aside', 'refresh-ahead']
    : ['cache-aside', 'write-through', 'write-behind', 'refresh-ahead'];
  return patterns.map((pattern) =>
    lazyFix(
      `Cache \`${subject}\` with ${PATTERN_TITLES[pattern]} (Redis, ${options.ttlSeconds} s TTL + jitter, stampede lock)`,
      'suggestion',
      'cache',
      { ...base, pattern },
    ),
  );
}

function spanOf(file: FileModel, node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(file.sourceFile), end: node.end };
}

function parentSkippingParens(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))
    parent = parent.parent;
  return parent;
}

/** How an HTTP read's JSON body is taken, per the library's response-body form; undefined when it is not safe. */
function httpReadForm(file: FileModel, trip: RoundTrip): ReadForm | undefined {
  const body = fixFormsOf(trip.library.id).responseBody;
  const awaited = trip.node.parent;
  if (!body || !ts.isAwaitExpression(awaited)) return undefined;
  const outer = parentSkippingParens(awaited);
  // `(await axios.get(u)).data` / `(await fetch(u)).json()`
  if (ts.isPropertyAccessExpression(outer) && ts.isParenthesizedExpression(outer.expression)) {
    const name = outer.name.text;
    if (body.property === name) return { form: 'inlineBody', span: spanOf(file, outer), awaited: false };
    if (body.methods.includes(name) && ts.isCallExpression(outer.parent) && outer.parent.arguments.length === 0)
      return { form: 'inlineBody', span: spanOf(file, outer.parent), awaited: true };
    return undefined;
  }
  if (!ts.isVariableDeclaration(outer) || outer.initializer === undefined) return undefined;
  const fn = enclosingFunction(trip.node);
  if (!fn) return undefined;
  if (body.property) {
    if (ts.isObjectBindingPattern(outer.name)) {
      const onlyBody = outer.name.elements.every(
        (e) => !e.dotDotDotToken && (e.propertyName ?? e.name).getText(file.sourceFile) === body.property,
      );
      return onlyBody ? { form: 'bodyObject', span: spanOf(file, awaited), property: body.property } : undefined;
    }
    if (!ts.isIdentifier(outer.name)) return undefined;
    const uses = usesOf(fn, outer.name.text, outer);
    const onlyBody = uses.every(
      (use) =>
        ts.isPropertyAccessExpression(use.parent) &&
        use.parent.expression === use &&
        use.parent.name.text === body.property,
    );
    return onlyBody ? { form: 'bodyObject', span: spanOf(file, awaited), property: body.property } : undefined;
  }
  return statementsForm(file, fn, outer, body.methods) ?? hoistedBodyForm(file, fn, awaited, outer, body.methods);
}

/** The response is used only by one awaited body read (`await res.json()`): read the body at the request instead. */
function hoistedBodyForm(
  file: FileModel,
  fn: ts.FunctionLikeDeclaration,
  awaited: ts.AwaitExpression,
  declaration: ts.VariableDeclaration,
  methods: string[],
): ReadForm | undefined {
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const uses = usesOf(fn, declaration.name.text, declaration);
  const use = uses[0];
  if (uses.length !== 1 || !use) return undefined;
  const access = use.parent;
  if (!ts.isPropertyAccessExpression(access) || !methods.includes(access.name.text)) return undefined;
  const call = access.parent;
  if (!ts.isCallExpression(call) || call.arguments.length !== 0 || !ts.isAwaitExpression(call.parent)) return undefined;
  let newName = `${declaration.name.text}Body`;
  for (let n = 2; new RegExp(`\\b${newName}\\b`).test(file.text); n++) newName = `${declaration.name.text}Body${n}`;
  return {
    form: 'hoistedBody',
    span: spanOf(file, awaited),
    name: spanOf(file, declaration.name),
    read: spanOf(file, call.parent),
    newName,
  };
}

/**
 * `const res = await fetch(u)` followed, in the same block, by `if (!res.ok) throw …` checks and one
 * `const body = await res.json()`: everything from the request to the body read becomes the cached loader.
 */
function statementsForm(
  file: FileModel,
  fn: ts.FunctionLikeDeclaration,
  declaration: ts.VariableDeclaration,
  methods: string[],
): ReadForm | undefined {
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  const first = list.parent;
  if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(first))
    return undefined;
  const block = first.parent;
  if (!ts.isBlock(block)) return undefined;
  const uses = usesOf(fn, declaration.name.text, declaration);
  const reads = uses.filter(
    (use) =>
      ts.isPropertyAccessExpression(use.parent) &&
      methods.includes(use.parent.name.text) &&
      ts.isCallExpression(use.parent.parent) &&
      use.parent.parent.arguments.length === 0,
  );
  if (reads.length !== 1) return undefined;
  const last = statementOf(reads[0]!, block);
  if (!last || !ts.isVariableStatement(last) || last.declarationList.declarations.length !== 1) return undefined;
  const bodyDeclaration = last.declarationList.declarations[0]!;
  if (!bodyDeclaration.initializer || !ts.isIdentifier(bodyDeclaration.name)) return undefined;
  const from = block.statements.indexOf(first);
  const to = block.statements.indexOf(last);
  // Between the two: only checks that throw on a bad response (nothing is cached then, as nothing was returned).
  for (const statement of block.statements.slice(from + 1, to)) {
    const throwsOnly =
      ts.isIfStatement(statement) &&
      !statement.elseStatement &&
      (ts.isThrowStatement(statement.thenStatement) ||
        (ts.isBlock(statement.thenStatement) &&
          statement.thenStatement.statements.length === 1 &&
          ts.isThrowStatement(statement.thenStatement.statements[0]!)));
    if (!throwsOnly) return undefined;
  }
  // The response is not used after the body read, nor anywhere but in those statements.
  const range = { start: first.getStart(file.sourceFile), end: last.end };
  if (uses.some((use) => use.getStart(file.sourceFile) < range.start || use.end > range.end)) return undefined;
  const kind = last.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
  return {
    form: 'statements',
    span: range,
    declaration: kind,
    name: bodyDeclaration.name.text,
    init: spanOf(file, bodyDeclaration.initializer),
  };
}

function statementOf(node: ts.Node, block: ts.Block): ts.Statement | undefined {
  let current: ts.Node = node;
  while (current.parent && current.parent !== block) {
    if (isFunctionBoundary(current.parent)) return undefined;
    current = current.parent;
  }
  return current.parent === block ? (current as ts.Statement) : undefined;
}

function usesOf(fn: ts.Node, name: string, declaration: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node.pos >= declaration.end) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return out;
}

// ---------- resolve ----------

/** The `cache` fix family: creates the helper once, wraps the read, and for the write patterns wraps the writes. */
export function resolveCacheFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = CacheFacts.parse(raw);
  const writes = facts.pattern === 'write-through' || facts.pattern === 'write-behind';
  const fn = CACHE_FUNCTIONS[writes ? 'cache-aside' : facts.pattern];
  const file = rewrite.open(rewrite.path);
  const style = rewrite.style(rewrite.path);
  const text = file.getFullText();
  const q = style.quote;
  const semi = style.semicolons ? ';' : '';
  const call = (loader: string) => `${fn}(${q}${facts.key}${q}, ${facts.ttlSeconds}, ${loader})`;
  const read = facts.read;
  const slice = (span: { start: number; end: number }) => text.slice(span.start, span.end);
  if (read.span.end > text.length) throw new Error('the read moved');
  // Replacements as offsets into the analysed text, applied from the last to the first.
  const replacements: [number, number, string][] = [];
  switch (read.form) {
    case 'call':
      replacements.push([read.span.start, read.span.end, call(`() => ${slice(read.span)}`)]);
      break;
    case 'inlineBody': {
      const loader = call(`async () => ${slice(read.span)}`);
      replacements.push([read.span.start, read.span.end, read.awaited ? loader : `(await ${loader})`]);
      break;
    }
    case 'bodyObject':
      replacements.push([
        read.span.start,
        read.span.end,
        `{ ${read.property}: await ${call(`async () => (${slice(read.span)}).${read.property}`)} }`,
      ]);
      break;
    case 'hoistedBody': {
      const method = /\.(\w+)\(\)$/.exec(slice(read.read))?.[1] ?? 'json';
      replacements.push([read.read.start, read.read.end, read.newName]);
      replacements.push([
        read.span.start,
        read.span.end,
        `await ${call(`async () => (${slice(read.span)}).${method}()`)}`,
      ]);
      replacements.push([read.name.start, read.name.end, read.newName]);
      break;
    }
    case 'statements': {
      // The statements from the request to the body read become the loader, one level deeper; the body read returns.
      const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', read.span.start - 1) + 1))![0];
      const lastLineStart = text.lastIndexOf('\n', read.init.start) + 1;
      const before = text.slice(read.span.start, lastLineStart).trimEnd();
      const body = `${before}\n${indent}return ${slice(read.init)}${semi}`;
      const loader = `async () => {\n${indent}${style.indent}${indentLines(body, style.indent)}\n${indent}}`;
      replacements.push([
        read.span.start,
        read.span.end,
        `${read.declaration} ${read.name} = await ${call(loader)}${semi}`,
      ]);
      break;
    }
  }
  const byFile = new Map<string, { replacements: [number, number, string][]; names: Set<string> }>([
    [rewrite.path, { replacements, names: new Set([fn]) }],
  ]);
  const wrapped = writes ? wrapWrites(rewrite, facts, byFile) : 0;
  for (const [path, { replacements: list, names }] of byFile) {
    const target = rewrite.open(path);
    for (const [start, end, newText] of list.sort((a, b) => b[0] - a[0])) target.replaceText([start, end], newText);
    ensureImport(target, helperSpecifier(path, facts), { named: [...names] }, rewrite.style(path));
  }
  if (writes && wrapped === 0)
    throw new Error(
      `no write to \`${facts.subject.table ?? facts.subject.receiver}\` found in the project${facts.pattern === 'write-behind' ? ' whose result is unused' : ''}: nothing to keep the cache in step with; use cache-aside`,
    );
  if (!rewrite.hasFile(facts.helperPath))
    rewrite.createFile(facts.helperPath, cacheHelperSource(facts.language, facts.settings));
}

function helperSpecifier(fromPath: string, facts: CacheFacts): string {
  return helperSpecifierFrom(fromPath, facts.helperPath, facts.language);
}

/**
 * Write-through / write-behind: every write round trip of the project to the cached data (same library and receiver,
 * or a SQL write naming the same table) is wrapped so the cache follows it. Write-behind wraps only writes whose
 * result is not used (a queued write has none yet).
 */
function wrapWrites(
  rewrite: Rewrite,
  facts: CacheFacts,
  byFile: Map<string, { replacements: [number, number, string][]; names: Set<string> }>,
): number {
  const analysis = rewrite.analysis();
  const fnName = CACHE_FUNCTIONS[facts.pattern];
  let total = 0;
  for (const model of analysis.files.all()) {
    const sites = analysis.roundTrips
      .inFile(model)
      .filter(
        (trip) =>
          trip.effect === 'write' &&
          trip.library.id === facts.subject.library &&
          trip.call.getSourceFile() === model.sourceFile &&
          (facts.subject.table
            ? trip.sql !== undefined && new RegExp(`\\b${escapeRegExp(facts.subject.table)}\\b`, 'i').test(trip.sql)
            : trip.receiverText === facts.subject.receiver),
      )
      // Write-behind queues the write: only writes whose result nobody waits for (`await x.update(…);`).
      .filter(
        (trip) =>
          facts.pattern !== 'write-behind' ||
          (ts.isAwaitExpression(trip.node.parent) && ts.isExpressionStatement(trip.node.parent.parent)),
      );
    if (sites.length === 0) continue;
    rewrite.open(model.path);
    const q = rewrite.style(model.path).quote;
    const entry = byFile.get(model.path) ?? { replacements: [], names: new Set<string>() };
    byFile.set(model.path, entry);
    entry.names.add(fnName);
    for (const trip of sites) {
      const start = trip.node.getStart(model.sourceFile);
      const original = model.text.slice(start, trip.node.end);
      entry.replacements.push([start, trip.node.end, `${fnName}([${q}${facts.key}${q}], () => ${original})`]);
      total++;
    }
  }
  return total;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
