// The n-plus-one batch rewrite: N reads by a key of each element become one read of all keys plus a lookup map.
// Order, duplicates and missing keys behave as in the loop: every element looks its key up; a missing row stays
// `null` (or `undefined`, or `[]` for a list). The library's batch forms are data (rules/knowledge/fixForms.ts).
import { ts } from 'ts-morph';
import { z } from 'zod';
import { fixFormsOf, type BatchForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import { ensureImport, type CodeStyle, type Rewrite } from './rewrite';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
const BatchFacts = z.object({ library: z.string(), method: z.string(), loop: Span, read: Span, call: Span });
type BatchFacts = z.infer<typeof BatchFacts>;

interface Plan {
  /** The statement the batch goes in front of. */
  anchor: ts.Statement;
  names: { keys: string; rows: string; byKey: string };
  collection: string;
  element: string;
  keyText: string;
  /** The batched read over `names.keys`, awaited unless the driver is synchronous. */
  batch: string;
  /** The batch text already awaits what it needs (`(await pool.query(…)).rows`). */
  awaited: boolean;
  /** Field of a row that holds the key (undefined for Redis values, looked up by key). */
  keyField: string | undefined;
  /** The expression the lookup replaces, and how: `L` stands for the lookup; `standalone`: no parentheses needed. */
  target: { start: number; end: number; template: string; standalone: boolean };
  form: BatchForm;
}

/** The batch suggestion when the read has a batch form and the loop has the shape the rewrite keeps exact. */
export function batchFix(
  sourceFile: ts.SourceFile,
  facts: BatchFacts,
  loopHasWrites: boolean,
  operation: string,
): FixProposal[] {
  if (loopHasWrites) return [];
  const form = fixFormsOf(facts.library).batch[facts.method];
  if (!form) return [];
  const plan = planBatch(sourceFile, facts, form);
  if (typeof plan === 'string') return [];
  return [
    lazyFix(
      `Batch \`${operation}\`: one read for all of \`${plan.collection}\`, then a lookup map`,
      'suggestion',
      'batch',
      facts,
    ),
  ];
}

/** The `batch` fix family. */
export function resolveBatchFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = BatchFacts.parse(raw);
  const form = fixFormsOf(facts.library).batch[facts.method];
  if (!form) throw new Error(`no batch form for ${facts.library} ${facts.method}`);
  const file = rewrite.open(rewrite.path);
  const text = file.getFullText();
  const plan = planBatch(file.compilerNode, facts, form);
  if (typeof plan === 'string') throw new Error(`cannot batch this read: ${plan}`);
  const style = rewrite.style(rewrite.path);
  const isTs = /\.[cm]?tsx?$/.test(rewrite.path);
  const lines = batchLines(plan, style, isTs);
  const anchorStart = plan.anchor.getStart(file.compilerNode);
  const lineStart = text.lastIndexOf('\n', anchorStart - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const lookup = lookupText(plan);
  // Later offsets first: the lookup replaces the read, then the batch goes above the loop.
  const bare = plan.target.template === 'L' && plan.target.standalone;
  file.replaceText(
    [plan.target.start, plan.target.end],
    plan.target.template.replace('L', bare ? lookup.replace(/^\((.*)\)$/s, '$1') : lookup),
  );
  file.insertText(lineStart, lines.map((line) => `${indent}${line}\n`).join(''));
  for (const entry of plan.form.imports) ensureImport(file, entry.module, { named: entry.named }, style);
  if (isTs) for (const entry of plan.form.tsImports) ensureImport(file, entry.module, { named: entry.named }, style);
}

function batchLines(plan: Plan, style: CodeStyle, isTs: boolean): string[] {
  const semi = style.semicolons ? ';' : '';
  const { keys, rows, byKey } = plan.names;
  const rowKey = plan.keyField ? `String(row.${plan.keyField})` : '';
  const out = [
    plan.keyText === plan.element
      ? `const ${keys} = [...new Set(${plan.collection})]${semi}`
      : `const ${keys} = [...new Set(${plan.collection}.map((${plan.element}) => ${plan.keyText}))]${semi}`,
    `const ${rows} = ${keys}.length === 0 ? [] : ${batchExpression(plan, isTs)}${semi}`,
  ];
  const rowType = `(typeof ${rows})[number]`;
  if (plan.form.rows === 'values') {
    out.push(
      `const ${byKey} = new Map(${keys}.map((key, i) => [key, ${rows}[i] ?? null]${isTs ? ' as const' : ''}))${semi}`,
    );
  } else if (plan.form.rows === 'one') {
    out.push(
      `const ${byKey} = new Map${isTs ? `<string, ${rowType}>` : ''}()${semi}`,
      `for (const row of ${rows}) if (!${byKey}.has(${rowKey})) ${byKey}.set(${rowKey}, row)${semi}`,
    );
  } else {
    out.push(
      `const ${byKey} = new Map${isTs ? `<string, ${rowType}[]>` : ''}()${semi}`,
      `for (const row of ${rows}) {`,
      `${style.indent}const group = ${byKey}.get(${rowKey})${semi}`,
      `${style.indent}if (group) group.push(row)${semi}`,
      `${style.indent}else ${byKey}.set(${rowKey}, [row])${semi}`,
      `}`,
    );
  }
  return out;
}

function batchExpression(plan: Plan, isTs: boolean): string {
  const awaited = plan.form.sync || plan.awaited ? plan.batch : `await ${plan.batch}`;
  if (!isTs || !plan.form.tsRowsCast) return awaited;
  return `${plan.form.sync || plan.awaited ? awaited : `(${awaited})`} as ${plan.form.tsRowsCast}`;
}

function lookupText(plan: Plan): string {
  const { byKey } = plan.names;
  if (plan.form.rows === 'values') return `(${byKey}.get(${plan.keyText}) ?? null)`;
  const get = `${byKey}.get(String(${plan.keyText}))`;
  if (plan.form.rows === 'many') return `(${get} ?? [])`;
  return plan.form.missing === 'null' ? `(${get} ?? null)` : get;
}

// ---------- planning (syntax only: also run on the diagnostics path to decide whether to offer the fix) ----------

function nodeAt(sourceFile: ts.SourceFile, span: { start: number; end: number }): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= span.start && node.end >= span.end) {
      if (node.getStart(sourceFile) === span.start && node.end === span.end) found = node;
      ts.forEachChild(node, visit);
    }
  };
  visit(sourceFile);
  return found;
}

function skipParens(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent))
    parent = parent.parent;
  return parent;
}

/** Names bound in a subtree: declarations, parameters, binding elements. */
function declaredNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) && ts.isIdentifier(n.name))
      names.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

function mentions(node: ts.Node, names: Set<string>): boolean {
  if (ts.isTypeNode(node)) return false;
  if (ts.isIdentifier(node) && names.has(node.text)) {
    const parent = node.parent;
    const isMemberName = ts.isPropertyAccessExpression(parent) && parent.name === node;
    const isKey = ts.isPropertyAssignment(parent) && parent.name === node;
    if (!isMemberName && !isKey) return true;
  }
  return ts.forEachChild(node, (child) => mentions(child, names)) ?? false;
}

function planBatch(sourceFile: ts.SourceFile, facts: BatchFacts, form: BatchForm): Plan | string {
  const text = sourceFile.text;
  const loopNode = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  const call = nodeAt(sourceFile, facts.call);
  if (!loopNode || !read || !call || !(ts.isCallExpression(call) || ts.isTaggedTemplateExpression(call)))
    return 'the code moved';
  // The loop: `for (const x of xs)` or `xs.map((x) => …)`.
  let element: string;
  let collection: ts.Expression;
  let body: ts.Node;
  let anchor: ts.Node = loopNode;
  if (ts.isForOfStatement(loopNode) && !loopNode.awaitModifier) {
    const list = loopNode.initializer;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return 'loop binding';
    const name = list.declarations[0]!.name;
    if (!ts.isIdentifier(name)) return 'destructured element';
    element = name.text;
    collection = loopNode.expression;
    body = loopNode.statement;
  } else if (ts.isCallExpression(loopNode) && ts.isPropertyAccessExpression(loopNode.expression)) {
    const callback = loopNode.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return 'callback';
    const param = callback.parameters[0];
    if (!param || !ts.isIdentifier(param.name) || callback.parameters.length > 1) return 'callback parameters';
    element = param.name.text;
    collection = loopNode.expression.expression;
    body = callback.body;
  } else return 'loop kind';
  while (anchor.parent && !ts.isBlock(anchor.parent) && !ts.isSourceFile(anchor.parent)) {
    if (ts.isFunctionLike(anchor.parent)) return 'loop inside an expression function';
    anchor = anchor.parent;
  }
  if (!ts.isStatement(anchor) || ts.isSourceFile(anchor.parent)) return 'loop at module scope';
  let fn: ts.Node | undefined = anchor.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  const isAsync =
    fn !== undefined && (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
  if (!form.sync && !isAsync) return 'not in an async function';
  const scoped = declaredNames(body);
  scoped.add(element);
  if (ts.isCallExpression(loopNode))
    for (const p of (loopNode.arguments[0] as ts.ArrowFunction).parameters)
      if (ts.isIdentifier(p.name)) scoped.add(p.name.text);
  const args = ts.isCallExpression(call) ? call.arguments : [];
  if (args.length > form.maxArgs) return 'more arguments than the batch form knows';

  // The key, the batched call, and the field that holds the key in each row.
  const key = keyOf(sourceFile, call, form, scoped);
  if (typeof key === 'string') return key;
  // The key may use the element and names from outside the loop, nothing else computed per iteration.
  const keyScoped = new Set([...scoped].filter((n) => n !== element));
  let keyText = key.keyNode.getText(sourceFile);
  if (mentions(key.keyNode, keyScoped)) {
    const inlined = inlineLocal(key.keyNode, body, element, keyScoped, sourceFile);
    if (!inlined) return 'the key is computed from other values of the iteration';
    keyText = inlined;
  }
  if (!mentions(key.keyNode, scoped)) return 'the key does not depend on the element';
  // Everything else the read uses is the same on every iteration.
  const rest = [...(ts.isCallExpression(call) ? [call.expression] : [call.tag])];
  const outside = (node: ts.Node) =>
    !(node.getStart(sourceFile) >= key.keyNode.getStart(sourceFile) && node.end <= key.keyNode.end);
  const others: ts.Node[] = [];
  const collect = (node: ts.Node): void => {
    if (!outside(node) || ts.isTypeNode(node)) return;
    if (ts.isIdentifier(node)) others.push(node);
    ts.forEachChild(node, collect);
  };
  collect(read);
  if (others.some((id) => mentions(id, scoped))) return 'the read differs per element beyond its key';
  void rest;

  // The read's value and what replaces it.
  const awaited = skipParens(read);
  let value: ts.Node;
  if (form.sync) value = read;
  else if (ts.isAwaitExpression(awaited)) value = awaited;
  else if ((ts.isArrowFunction(read.parent) && read.parent.body === read) || ts.isReturnStatement(read.parent))
    value = read;
  else return 'the read is not awaited where it is made';
  // A result nobody reads needs no batch: the read could simply go.
  if (ts.isExpressionStatement(skipParens(value)) || ts.isExpressionStatement(value.parent))
    return 'the result is not used';
  const target = targetOf(sourceFile, value, form);
  if (!target) return 'the result is used in a way the rewrite cannot keep';

  const batchCall =
    text.slice(read.getStart(sourceFile), call.getStart(sourceFile)) +
    key.batchCall +
    text.slice(call.end, read.end) +
    form.append;
  const base = form.key.kind === 'redisKey' ? redisBaseName(key.keyNode) : baseName(sourceFile, call, key.keyField);
  const field = key.keyField ? camel(key.keyField.replace(/^_/, '')) : 'key';
  const names = {
    keys: freeName(text, `${base}Keys`),
    rows: freeName(text, `${base}${form.rows === 'values' ? 'Values' : 'Rows'}`),
    byKey: freeName(text, `${base}By${field[0]!.toUpperCase()}${field.slice(1)}`),
  };
  return {
    anchor,
    names,
    collection: collection.getText(sourceFile),
    element,
    keyText,
    batch: batchCall.replace('__NOAWAIT__', '').replace(/\$KEYS/g, names.keys),
    awaited: batchCall.includes('__NOAWAIT__'),
    keyField: key.keyField,
    target,
    form,
  };
}

/** `const id = item.customerId; … find(id)`: the key named by a local is its initializer, when that uses only the element. */
function inlineLocal(
  keyNode: ts.Node,
  body: ts.Node,
  element: string,
  scoped: Set<string>,
  sourceFile: ts.SourceFile,
): string | undefined {
  if (!ts.isIdentifier(keyNode)) return undefined;
  let init: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === keyNode.text && n.initializer)
      init = n.initializer;
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (!init || mentions(init, scoped) || !mentions(init, new Set([element]))) return undefined;
  return `(${init.getText(sourceFile)})`;
}

interface KeyPlan {
  keyNode: ts.Node;
  /** The read call rewritten for all keys (`$KEYS` for the array). */
  batchCall: string;
  keyField: string | undefined;
}

function keyOf(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  form: BatchForm,
  scoped: Set<string>,
): KeyPlan | string {
  const text = sourceFile.text;
  const callText = (replacements: [number, number, string][]) => {
    let out = text.slice(call.getStart(sourceFile), call.end);
    const base = call.getStart(sourceFile);
    for (const [start, end, value] of replacements.sort((a, b) => b[0] - a[0]))
      out = out.slice(0, start - base) + value + out.slice(end - base);
    return out;
  };
  const isTs = /\.[cm]?tsx?$/.test(sourceFile.fileName);
  const methodName = (): [number, number, string][] => {
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return [];
    const name = call.expression.name;
    const typeArgument = isTs && form.tsTypeArgument && !call.typeArguments ? `<${form.tsTypeArgument}>` : '';
    if (!form.method && !typeArgument) return [];
    return [[name.getStart(sourceFile), name.end, (form.method ?? name.text) + typeArgument]];
  };
  const k = form.key;
  switch (k.kind) {
    case 'filter': {
      if (!ts.isCallExpression(call)) return 'call';
      let object: ts.Node | undefined = call.arguments[k.arg];
      for (const step of k.path) {
        if (!object || !ts.isObjectLiteralExpression(object)) return 'filter shape';
        const literal: ts.ObjectLiteralExpression = object;
        const property: ts.ObjectLiteralElementLike | undefined = literal.properties.find(
          (p) => ts.isPropertyAssignment(p) && p.name.getText(sourceFile) === step,
        );
        object = property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
      }
      const options = call.arguments[k.arg];
      if (
        options &&
        ts.isObjectLiteralExpression(options) &&
        options.properties.some((p) => p.name && form.refuseOptions.includes(p.name.getText(sourceFile)))
      )
        return 'options that cannot be batched';
      if (!object || !ts.isObjectLiteralExpression(object)) return 'filter shape';
      const varying = object.properties.filter((p) => mentions(p, scoped));
      if (varying.length !== 1) return 'the filter varies in more than one field';
      const property = varying[0]!;
      if (ts.isShorthandPropertyAssignment(property)) {
        const name = property.name.text;
        return {
          keyNode: property.name,
          batchCall: callText([
            [property.getStart(sourceFile), property.end, `${name}: ${form.inValue}`],
            ...methodName(),
          ]),
          keyField: name,
        };
      }
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return 'filter key';
      if (ts.isObjectLiteralExpression(property.initializer) || ts.isArrayLiteralExpression(property.initializer))
        return 'an operator filter';
      return {
        keyNode: property.initializer,
        batchCall: callText([
          [property.initializer.getStart(sourceFile), property.initializer.end, form.inValue!],
          ...methodName(),
        ]),
        keyField: property.name.text,
      };
    }
    case 'argument': {
      if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return 'call';
      const arg = call.arguments[k.arg];
      if (!arg) return 'argument';
      const receiver = call.expression.expression.getText(sourceFile);
      return {
        keyNode: arg,
        batchCall: `${receiver}.${form.method}({ ${k.field}: ${form.inValue} })`,
        keyField: k.field,
      };
    }
    case 'redisKey': {
      if (!ts.isCallExpression(call)) return 'call';
      const arg = call.arguments[k.arg];
      if (!arg) return 'argument';
      return {
        keyNode: arg,
        batchCall: callText([[arg.getStart(sourceFile), arg.end, '$KEYS'], ...methodName()]),
        keyField: undefined,
      };
    }
    case 'sql':
      return sqlKey(sourceFile, call, form, k, scoped, callText, methodName);
    case 'taggedSql':
      return taggedKey(sourceFile, call, form, scoped);
  }
}

/** SQL the rewrite keeps exact: a plain SELECT with no per-key limit, grouping or locking, that returns the key column. */
function plainSelect(sql: string, column: string): string | undefined {
  if (!/^\s*select\b/i.test(sql)) return 'not a SELECT';
  if (/\b(limit|offset|fetch\s+first|for\s+update|for\s+share|group\s+by|distinct|union|having)\b/i.test(sql))
    return 'LIMIT, GROUP BY, DISTINCT or a lock';
  const list = /^\s*select\s+([\s\S]*?)\s+from\b/i.exec(sql)?.[1];
  if (!list || list.includes('(')) return 'computed columns';
  if (!/(^|[\s,.])\*(\s*,|\s*$)/.test(list) && !new RegExp(`(^|[\\s,.])"?${column}"?(\\s*,|\\s*$)`, 'i').test(list))
    return 'the key column is not selected';
  return undefined;
}

function sqlKey(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  form: BatchForm,
  k: Extract<BatchForm['key'], { kind: 'sql' }>,
  scoped: Set<string>,
  callText: (r: [number, number, string][]) => string,
  methodName: () => [number, number, string][],
): KeyPlan | string {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return 'call';
  let sqlNode: ts.Expression | undefined;
  let params: readonly ts.Expression[];
  let prepared: ts.CallExpression | undefined;
  if (k.params === 'arrayArg') {
    sqlNode = call.arguments[0];
    const array = call.arguments[1];
    if (!array || !ts.isArrayLiteralExpression(array)) return 'parameters';
    params = array.elements;
  } else {
    // `db.prepare(sql).get(x)`, or a statement prepared once before the loop.
    params = call.arguments;
    let receiver: ts.Expression = call.expression.expression;
    if (ts.isIdentifier(receiver)) {
      const name = receiver.text;
      let init: ts.Expression | undefined;
      const visit = (n: ts.Node): void => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer)
          init = n.initializer;
        ts.forEachChild(n, visit);
      };
      visit(sourceFile);
      if (!init) return 'statement';
      receiver = init;
    }
    if (!ts.isCallExpression(receiver) || !ts.isPropertyAccessExpression(receiver.expression)) return 'statement';
    prepared = receiver;
    sqlNode = receiver.arguments[0];
  }
  if (!sqlNode || !(ts.isStringLiteral(sqlNode) || ts.isNoSubstitutionTemplateLiteral(sqlNode))) return 'SQL text';
  const varying = params.map((p, i) => [p, i] as const).filter(([p]) => mentions(p, scoped));
  if (varying.length !== 1) return 'more than one parameter varies';
  const [keyNode, index] = varying[0]!;
  const raw = sqlNode.getText(sourceFile);
  const inner = raw.slice(1, -1);
  let match: RegExpExecArray | null;
  let replaced: string;
  if (k.placeholders === 'numbered') {
    const n = index + 1;
    if ((inner.match(new RegExp(`\\$${n}(?!\\d)`, 'g')) ?? []).length !== 1) return 'the parameter is used twice';
    match = new RegExp(`([\\w."]+)\\s*=\\s*\\$${n}(?!\\d)`).exec(inner);
    if (!match) return 'the key is not compared with =';
    replaced =
      inner.slice(0, match.index) +
      form.sqlIn!.replace('$COL', match[1]!).replace('$PARAM', `$${n}`) +
      inner.slice(match.index + match[0].length);
  } else {
    const positions = [...inner.matchAll(/\?/g)].map((m) => m.index!);
    const at = positions[index];
    if (at === undefined || positions.length !== params.length) return 'placeholders';
    match = /([\w."`]+)\s*=\s*$/.exec(inner.slice(0, at));
    if (!match) return 'the key is not compared with =';
    replaced = inner.slice(0, match.index) + form.sqlIn!.replace('$COL', match[1]!) + inner.slice(at + 1);
  }
  const column = match[1]!.split('.').pop()!.replace(/["`]/g, '');
  const refusal = plainSelect(inner, column);
  if (refusal) return refusal;
  const sqlText = raw[0] + replaced + raw[raw.length - 1];
  const keysParam = form.keysParam;
  if (prepared) {
    const db = (prepared.expression as ts.PropertyAccessExpression).expression.getText(sourceFile);
    const args = params.map((p, i) => (i === index ? keysParam : p.getText(sourceFile)));
    return { keyNode, batchCall: `${db}.prepare(${sqlText}).${form.method}(${args.join(', ')})`, keyField: column };
  }
  const wrapped =
    form.resultRows === 'rowsProperty'
      ? (t: string) => `(await ${t}).rows`
      : form.resultRows === 'firstOfTuple'
        ? (t: string) => `(await ${t})[0]`
        : (t: string) => t;
  const batch = callText([
    [sqlNode.getStart(sourceFile), sqlNode.end, sqlText],
    [keyNode.getStart(sourceFile), keyNode.end, keysParam],
    ...methodName(),
  ]);
  // The awaited rows themselves: the batch line awaits nothing more.
  return { keyNode, batchCall: form.resultRows === 'self' ? batch : `${wrapped(batch)}__NOAWAIT__`, keyField: column };
}

function taggedKey(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  form: BatchForm,
  scoped: Set<string>,
): KeyPlan | string {
  if (!ts.isTaggedTemplateExpression(call) || !ts.isTemplateExpression(call.template)) return 'template';
  const spans = call.template.templateSpans;
  const varying = spans.filter((s) => mentions(s.expression, scoped));
  if (varying.length !== 1) return 'more than one value varies';
  const span = varying[0]!;
  const index = spans.indexOf(span);
  const before = index === 0 ? call.template.head.text : spans[index - 1]!.literal.text;
  const match = /([\w."]+)\s*=\s*$/.exec(before);
  if (!match) return 'the key is not compared with =';
  const column = match[1]!.split('.').pop()!.replace(/"/g, '');
  const sql = call.template.head.text + spans.map((s) => '?' + s.literal.text).join('');
  const refusal = plainSelect(sql, column);
  if (refusal) return refusal;
  const text = sourceFile.text;
  const holeStart = text.lastIndexOf('${', span.expression.getStart(sourceFile));
  const holeEnd = text.indexOf('}', span.expression.end) + 1;
  const start = call.getStart(sourceFile);
  // `col = ${x}` → `col = ANY(${keys})`: the comparison stays, the value becomes the list.
  const listForm = form.sqlIn!.replace(/^\$COL\s*=\s*/, '').replace('$PARAM', '${$KEYS}');
  const batchCall = text.slice(start, holeStart) + listForm + text.slice(holeEnd, call.end);
  return { keyNode: span.expression, batchCall, keyField: column };
}

function targetOf(sourceFile: ts.SourceFile, value: ts.Node, form: BatchForm): Plan['target'] | undefined {
  const span = (node: ts.Node, template: string) => {
    const up = node.parent;
    const standalone =
      ts.isVariableDeclaration(up) ||
      ts.isReturnStatement(up) ||
      ts.isArrowFunction(up) ||
      ts.isArrayLiteralExpression(up) ||
      (ts.isCallExpression(up) && up.arguments.includes(node as ts.Expression));
    return { start: node.getStart(sourceFile), end: node.end, template, standalone };
  };
  const parent = skipParens(value);
  if (form.resultRows === 'self') return span(value, 'L');
  if (form.resultRows === 'rowsProperty') {
    if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'rows') return span(parent, 'L');
    if (
      ts.isVariableDeclaration(parent) &&
      ts.isObjectBindingPattern(parent.name) &&
      parent.name.elements.every((e) => (e.propertyName ?? e.name).getText(sourceFile) === 'rows')
    )
      return span(value, '{ rows: L }');
    return undefined;
  }
  if (ts.isVariableDeclaration(parent) && ts.isArrayBindingPattern(parent.name)) return span(value, '[L]');
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression.getText(sourceFile) === '0')
    return span(parent, 'L');
  return undefined;
}

/** A short name for the batch's variables: the model (`prisma.customer` → customer), the SQL table, or the key field. */
function baseName(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  keyField: string | undefined,
): string {
  const sql = /\bfrom\s+["`]?(\w+)/i.exec(call.getText(sourceFile))?.[1];
  let name = sql;
  if (!name && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const receiver = call.expression.expression;
    const last = ts.isPropertyAccessExpression(receiver)
      ? receiver.name.text
      : ts.isIdentifier(receiver)
        ? receiver.text
        : undefined;
    if (last && !/^(prisma|db|pool|client|redis|conn|connection|sql|knex|repo|repository|manager)$/i.test(last))
      name = last;
  }
  name ??= keyField?.replace(/^_/, '') ?? 'batch';
  name = name.replace(/Repository$|Repo$/, '').replace(/s$/, '');
  name = camel(name.replace(/[^\w]/g, ''));
  return name[0]!.toLowerCase() + name.slice(1);
}

/** `order_id` → `orderId`. */
function camel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `user:${id}:name` → `userName`: the key's fixed words. */
function redisBaseName(keyNode: ts.Node): string {
  const parts = ts.isTemplateExpression(keyNode)
    ? [keyNode.head.text, ...keyNode.templateSpans.map((s) => s.literal.text)]
    : ts.isStringLiteralLike(keyNode)
      ? [keyNode.text]
      : [];
  const words = parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return 'value';
  return camel(words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1))).join(''));
}

function freeName(text: string, preferred: string): string {
  let name = preferred;
  for (let n = 2; new RegExp(`\\b${name}\\b`).test(text); n++) name = `${preferred}${n}`;
  return name;
}
