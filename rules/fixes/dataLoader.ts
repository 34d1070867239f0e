// The DataLoader fix for a GraphQL field resolver that queries by a property of its parent: one loader per request
// (created by the server's context factory when the file has one, else kept in a WeakMap keyed on the request's
// context object) whose batch function is the library's batched read (the
// batch planner's `IN`/`in`/`$in` form plus a lookup map), and `loader.load(key)` in the resolver. Order is the keys'
// order, a missing key gives what the per-parent read gave (`null`, `undefined`, `[]`).
import { ts } from 'ts-morph';
import { z } from 'zod';
import { DATA_LOADER, FIELD_RESOLVER_PARENT, type BatchForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import { ensureImport, type CodeStyle, type Rewrite } from './rewrite';
import { keyOf, perKeyOption } from './batchKeys';
import { perKeyOptionExplanation } from './batchUnsafe';
import { batchFormOf, targetOf } from './batch';
import { baseName, camel, declaredNames, freeName, mentions, nodeAt, redisBaseName, skipParens } from './batchSyntax';
import { contextInserts, findContextSite, type ContextSite } from './contextFactory';
import { ensureDependency } from './dependency';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
const LoaderFacts = z.object({
  library: z.string(),
  method: z.string(),
  type: z.string().optional(),
  resolver: Span,
  /** Index of the parent parameter. */
  parent: z.number().int(),
  read: Span,
  call: Span,
});
type LoaderFacts = z.infer<typeof LoaderFacts>;

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface LoaderPlan {
  field: string;
  /** The top-level statement the helper goes in front of. */
  anchor: ts.Statement;
  /** Edits in the resolver, any order (they do not overlap). */
  edits: Edit[];
  helper: (style: CodeStyle, isTs: boolean) => string[];
}

/** The DataLoader suggestion when the read has a batch form and the resolver a shape the rewrite keeps exact. */
export function dataLoaderFix(sourceFile: ts.SourceFile, raw: LoaderFacts, operation: string): FixProposal[] {
  const facts = LoaderFacts.parse(raw);
  const form = batchFormOf(facts);
  const plan = form && planLoader(sourceFile, facts, form);
  if (form && typeof plan === 'string') {
    const call = nodeAt(sourceFile, facts.call);
    const option =
      call && (ts.isCallExpression(call) || ts.isTaggedTemplateExpression(call)) && perKeyOption(call, form);
    return option ? [perKeyOptionExplanation(option)] : [];
  }
  if (!plan || typeof plan === 'string') return [];
  return [
    lazyFix(
      `Batch \`${operation}\` per request with a DataLoader: one read for all parents of \`${plan.field}\``,
      'suggestion',
      'dataLoader',
      facts,
    ),
  ];
}

/** The `dataLoader` fix family. */
export function resolveDataLoaderFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = LoaderFacts.parse(raw);
  const form = batchFormOf(facts);
  if (!form) throw new Error(`no batch form for ${facts.library} ${facts.method}`);
  const file = rewrite.open(rewrite.path);
  const site = findContextSite(file.compilerNode);
  const planned = site && planLoader(file.compilerNode, facts, form, site);
  // Without a factory whose contexts can take the loader, the WeakMap keyed on the context object (today's form).
  const plan = planned && typeof planned !== 'string' ? planned : planLoader(file.compilerNode, facts, form);
  if (typeof plan === 'string') throw new Error(`cannot batch this resolver: ${plan}`);
  const style = rewrite.style(rewrite.path);
  const isTs = /\.[cm]?tsx?$/.test(rewrite.path);
  const text = file.getFullText();
  const anchorStart = plan.anchor.getStart(file.compilerNode);
  const lineStart = text.lastIndexOf('\n', anchorStart - 1) + 1;
  const helper = plan.helper(style, isTs).map((line) => (line ? `${line}\n` : '\n'));
  const edits = [...plan.edits, { start: lineStart, end: lineStart, text: `${helper.join('')}\n` }];
  for (const edit of edits.sort((a, b) => b.start - a.start)) file.replaceText([edit.start, edit.end], edit.text);
  ensureImport(file, DATA_LOADER.module, { defaultName: DATA_LOADER.defaultName }, style);
  for (const entry of form.imports) ensureImport(file, entry.module, { named: entry.named }, style);
  if (isTs) for (const entry of form.tsImports) ensureImport(file, entry.module, { named: entry.named }, style);
  ensureDependency(rewrite, DATA_LOADER.module, DATA_LOADER.version);
}

function memberName(fn: ts.SignatureDeclaration): string | undefined {
  const named = ts.isMethodDeclaration(fn) ? fn : fn.parent;
  const name = (named as ts.MethodDeclaration | ts.PropertyAssignment).name;
  return name && ts.isIdentifier(name) ? name.text : undefined;
}

/** Names bound by every function around `node` (its parameters and locals): a module-level helper cannot see them. */
function enclosingBindings(node: ts.Node): Set<string> {
  const names = new Set<string>();
  for (let up: ts.Node | undefined = node; up; up = up.parent)
    if (ts.isFunctionLike(up)) for (const name of declaredNames(up)) names.add(name);
  return names;
}

// Planning is syntax only: it also runs on the diagnostics path to decide whether to offer the fix.
function planLoader(
  sourceFile: ts.SourceFile,
  facts: LoaderFacts,
  form: BatchForm,
  site?: ContextSite,
): LoaderPlan | string {
  const fn = nodeAt(sourceFile, facts.resolver);
  const read = nodeAt(sourceFile, facts.read);
  const call = form.key.kind === 'chain' ? read : nodeAt(sourceFile, facts.call);
  if (!fn || !ts.isFunctionLike(fn) || !read || !call) return 'the code moved';
  if (!(ts.isCallExpression(call) || ts.isTaggedTemplateExpression(call))) return 'the code moved';
  // A class resolver (`@ResolveField`) reads its client from `this` and its context through a decorator: not here.
  if (ts.isMethodDeclaration(fn) && ts.isClassLike(fn.parent)) return 'a class resolver';
  const field = memberName(fn);
  const parentParam = fn.parameters[facts.parent];
  if (!field || !parentParam || !ts.isIdentifier(parentParam.name)) return 'resolver shape';
  const parent = parentParam.name.text;
  const key = keyOf(sourceFile, call, form, new Set([parent]));
  if (typeof key === 'string') return key;
  // The key is the parent's alone; the rest of the read must be visible at module scope (the helper lives there).
  const bound = enclosingBindings(fn);
  const others = new Set([...bound].filter((name) => name !== parent));
  if (mentions(key.keyNode, others) || !mentions(key.keyNode, new Set([parent]))) return 'the key is not the parent’s';
  const outsideKey: ts.Node[] = [];
  const collect = (node: ts.Node): void => {
    if (node === key.keyNode || ts.isTypeNode(node)) return;
    if (ts.isIdentifier(node)) outsideKey.push(node);
    ts.forEachChild(node, collect);
  };
  collect(read);
  if (outsideKey.some((id) => mentions(id, bound))) return 'the read uses names of the resolver';
  if (ts.isCallExpression(read) && ts.isPropertyAccessExpression(read.expression)) {
    let root: ts.Expression = read.expression;
    while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
    if (root.kind === ts.SyntaxKind.ThisKeyword) return 'the client is `this`';
  }

  // The read's value in the resolver and what replaces it.
  const awaited = skipParens(read);
  let value: ts.Node;
  if (form.sync) return 'a synchronous driver needs no loader';
  if (ts.isAwaitExpression(awaited)) value = awaited;
  else if ((ts.isArrowFunction(read.parent) && read.parent.body === read) || ts.isReturnStatement(read.parent))
    value = read;
  else return 'the read is not awaited where it is made';
  const target = targetOf(sourceFile, value, form);
  if (!target) return 'the result is used in a way the rewrite cannot keep';

  // The context: a resolver map's function takes it third (`(parent, args, context)`); add it when it is missing.
  const isTs = /\.[cm]?tsx?$/.test(sourceFile.fileName);
  const text = sourceFile.text;
  const at = FIELD_RESOLVER_PARENT.contextParameter;
  const edits: Edit[] = [];
  let context: string;
  const existing = fn.parameters[at];
  const loader = freeName(text, `${field}Loader`);
  const factory = freeName(text, `create${loader[0]!.toUpperCase()}${loader.slice(1)}`);
  // The server's context factory creates the loader; in TypeScript the resolver's context then has to say it holds
  // one, which a context parameter the user typed (or left to a `Resolvers<Context>` type) does not.
  if (site) {
    if (existing && isTs) return 'the context parameter has its own type';
    const inserts = contextInserts(sourceFile, site, loader, `${factory}()`);
    if (typeof inserts === 'string') return inserts;
    edits.push(...inserts);
  }
  const contextType = site ? `: { ${loader}: ReturnType<typeof ${factory}> }` : ': object';
  if (existing) {
    if (!ts.isIdentifier(existing.name)) return 'a destructured context';
    context = existing.name.text;
  } else {
    if (fn.parameters.some((p) => p.dotDotDotToken)) return 'rest parameters';
    context = freeName(fn.getText(sourceFile), 'context');
    const added = [];
    for (let i = fn.parameters.length; i < at; i++)
      added.push(`${freeName(fn.getText(sourceFile), i === 1 ? '_args' : `_arg${i}`)}${isTs ? ': unknown' : ''}`);
    added.push(`${context}${isTs ? contextType : ''}`);
    const last = fn.parameters[fn.parameters.length - 1];
    if (!last) return 'no parent parameter';
    const parenthesised = text.slice(last.end).trimStart().startsWith(')');
    if (!parenthesised) {
      // `post => …` becomes `(post, _args, context) => …`.
      edits.push({ start: last.getStart(sourceFile), end: last.getStart(sourceFile), text: '(' });
      edits.push({ start: last.end, end: last.end, text: `, ${added.join(', ')})` });
    } else edits.push({ start: last.end, end: last.end, text: `, ${added.join(', ')}` });
  }

  // Names of the helper, the key type and the batch function's body.
  const base =
    form.key.kind === 'redisKey'
      ? redisBaseName(key.keyNode)
      : form.key.kind === 'chain'
        ? camel(field)
        : baseName(sourceFile, call, key.keyField);
  const cache = freeName(text, `${loader}s`);
  const keyText = key.keyNode.getText(sourceFile);
  let keyType = (_quote: string) => '';
  if (isTs) {
    if (form.key.kind === 'redisKey') keyType = () => 'string';
    else if (
      ts.isPropertyAccessExpression(key.keyNode) &&
      ts.isIdentifier(key.keyNode.expression) &&
      key.keyNode.expression.text === parent &&
      parentParam.type
    ) {
      const declared = parentParam.type.getText(sourceFile);
      const type = ts.isTypeReferenceNode(parentParam.type) ? declared : `(${declared})`;
      const property = key.keyNode.name.text;
      keyType = (quote) => `${type}[${quote}${property}${quote}]`;
    } else return 'no type for the key (annotate the parent parameter)';
  }
  const rows = key.rows ?? form.rows;
  const load = site ? `${context}.${loader}.load(${keyText})` : `${loader}(${context}).load(${keyText})`;
  const lookup = value === read ? load : `(await ${load})`;
  // Inside `{ rows: L }` or `[L]` the await needs no parentheses either.
  const bare = target.template !== 'L' || target.standalone;
  edits.push({
    start: target.start,
    end: target.end,
    text: target.template.replace('L', bare ? lookup.replace(/^\((.*)\)$/s, '$1') : lookup),
  });

  const batchCall =
    text.slice(read.getStart(sourceFile), call.getStart(sourceFile)) +
    key.batchCall +
    text.slice(call.end, read.end) +
    form.append;
  const names = { keys: 'keyList', rows: `${base}${rows === 'values' ? 'Values' : 'Rows'}`, byKey: 'byKey' };
  const batch = batchCall.replace('__NOAWAIT__', '').replace(/\$KEYS/g, names.keys);
  const awaitsItself = batchCall.includes('__NOAWAIT__');
  const helper = (style: CodeStyle, ts: boolean): string[] => {
    const semi = style.semicolons ? ';' : '';
    const i1 = style.indent;
    const i2 = i1.repeat(2);
    const awaitedBatch = awaitsItself ? batch : `await ${batch}`;
    const rowsExpr = ts && form.tsRowsCast ? `(${awaitedBatch}) as ${form.tsRowsCast}` : awaitedBatch;
    const rowKey = key.keyField ? `String(row.${key.keyField})` : '';
    const rowType = `(typeof ${names.rows})[number]`;
    const body: string[] = [`const ${names.keys} = [...keys]${semi}`, `const ${names.rows} = ${rowsExpr}${semi}`];
    if (rows === 'values') body.push(`return ${names.keys}.map((_key, i) => ${names.rows}[i] ?? null)${semi}`);
    else if (rows === 'one') {
      body.push(
        `const ${names.byKey} = new Map${ts ? `<string, ${rowType}>` : ''}()${semi}`,
        `for (const row of ${names.rows}) if (!${names.byKey}.has(${rowKey})) ${names.byKey}.set(${rowKey}, row)${semi}`,
        `return ${names.keys}.map((key) => ${names.byKey}.get(String(key))${form.missing === 'null' ? ' ?? null' : ''})${semi}`,
      );
    } else {
      body.push(
        `const ${names.byKey} = new Map${ts ? `<string, ${rowType}[]>` : ''}()${semi}`,
        `for (const row of ${names.rows}) {`,
        `${i1}const group = ${names.byKey}.get(${rowKey})${semi}`,
        `${i1}if (group) group.push(row)${semi}`,
        `${i1}else ${names.byKey}.set(${rowKey}, [row])${semi}`,
        `}`,
        `return ${names.keys}.map((key) => ${names.byKey}.get(String(key)) ?? [])${semi}`,
      );
    }
    const create = [
      `/** Batches \`${field}\` of all parents a request resolves into one read (DataLoader: order kept). */`,
      `function ${factory}() {`,
      `${i1}return new ${DATA_LOADER.defaultName}(async (keys${ts ? `: readonly ${keyType(style.quote)}[]` : ''}) => {`,
      ...body.map((line) => `${i2}${line}`),
      `${i1}})${semi}`,
      `}`,
    ];
    if (site) return create;
    return [
      ...create,
      '',
      `/** One loader per request, keyed on its context object: its cache lives and dies with the request. */`,
      `const ${cache} = new WeakMap${ts ? `<object, ReturnType<typeof ${factory}>>` : ''}()${semi}`,
      `function ${loader}(${context}${ts ? ': object' : ''}) {`,
      `${i1}let loader = ${cache}.get(${context})${semi}`,
      `${i1}if (!loader) {`,
      `${i2}loader = ${factory}()${semi}`,
      `${i2}${cache}.set(${context}, loader)${semi}`,
      `${i1}}`,
      `${i1}return loader${semi}`,
      `}`,
    ];
  };

  let anchor: ts.Node = fn;
  while (anchor.parent && !ts.isSourceFile(anchor.parent)) anchor = anchor.parent;
  if (!ts.isStatement(anchor)) return 'resolver outside a statement';
  return { field, anchor, edits, helper };
}
