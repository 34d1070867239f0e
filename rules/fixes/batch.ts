// The n-plus-one batch rewrite: N reads by a key of each element become one read of all keys plus a lookup map.
// Order, duplicates and missing keys behave as in the loop: every element looks its key up; a missing row stays
// `null` (or `undefined`, or `[]` for a list). The library's batch forms are data (rules/knowledge/fixForms.ts).
import { ts } from 'ts-morph';
import { z } from 'zod';
import { fixFormsOf, type BatchForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import { ensureImport, type CodeStyle, type Rewrite } from './rewrite';
import { keyOf, perKeyOption } from './batchKeys';
import { eagerFix } from './eager';
import { perKeyOptionExplanation, unsafeBatchExplanation } from './batchUnsafe';
import { chainBaseName } from './batchChain';
import { baseName, camel, declaredNames, freeName, mentions, nodeAt, redisBaseName, skipParens } from './batchSyntax';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
const BatchFacts = z.object({
  library: z.string(),
  method: z.string(),
  /** The receiver's handle type, for forms that apply to some types only. */
  type: z.string().optional(),
  loop: Span,
  read: Span,
  call: Span,
});
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
  /** Rows per key: the form's, or the chain's (`first()` makes one). */
  rows: BatchForm['rows'];
}

/** The batch suggestion when the read has a batch form and the loop has the shape the rewrite keeps exact. */
export function batchFix(
  sourceFile: ts.SourceFile,
  facts: BatchFacts,
  loopHasWrites: boolean,
  operation: string,
): FixProposal[] {
  if (loopHasWrites) return unsafeBatchExplanation(sourceFile, facts, true);
  // A relation walked per element of rows read just before: load it with them, no lookup map needed.
  const eager = eagerFix(sourceFile, facts);
  if (eager.length > 0) return eager;
  const form = batchFormOf(facts);
  if (!form) return unsafeBatchExplanation(sourceFile, facts, false);
  const plan = planBatch(sourceFile, facts, form);
  if (typeof plan === 'string') {
    // A lock has its own explanation; an option that applies per key (a limit, a projection) gets this one.
    const unsafe = unsafeBatchExplanation(sourceFile, facts, false);
    if (unsafe.length > 0) return unsafe;
    const call = nodeAt(sourceFile, facts.call);
    const option =
      call && (ts.isCallExpression(call) || ts.isTaggedTemplateExpression(call)) && perKeyOption(call, form);
    return option ? [perKeyOptionExplanation(option)] : [];
  }
  return [
    lazyFix(
      `Batch \`${operation}\`: one read for all of \`${plan.collection}\`, then a lookup map`,
      'suggestion',
      'batch',
      facts,
    ),
  ];
}

export function batchFormOf(facts: { library: string; method: string; type?: string }): BatchForm | undefined {
  const forms = fixFormsOf(facts.library).batch;
  const form = Object.hasOwn(forms, facts.method) ? forms[facts.method] : undefined;
  // Types are named without the library's prefix (`Repository` for `typeorm.Repository`).
  const type = facts.type?.slice(facts.type.indexOf('.') + 1);
  if (form && form.types.length > 0 && !(type && form.types.includes(type))) return undefined;
  return form;
}

/** The `batch` fix family. */
export function resolveBatchFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = BatchFacts.parse(raw);
  const form = batchFormOf(facts);
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
  if (plan.rows === 'values') {
    out.push(
      `const ${byKey} = new Map(${keys}.map((key, i) => [key, ${rows}[i] ?? null]${isTs ? ' as const' : ''}))${semi}`,
    );
  } else if (plan.rows === 'one') {
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
  if (plan.rows === 'values') return `(${byKey}.get(${plan.keyText}) ?? null)`;
  const get = `${byKey}.get(String(${plan.keyText}))`;
  if (plan.rows === 'many') return `(${get} ?? [])`;
  return plan.form.missing === 'null' ? `(${get} ?? null)` : get;
}

// Planning is syntax only: it also runs on the diagnostics path to decide whether to offer the fix.
function planBatch(sourceFile: ts.SourceFile, facts: BatchFacts, form: BatchForm): Plan | string {
  const text = sourceFile.text;
  const loopNode = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  // A builder chain's key sits anywhere in the chain: the whole read is rewritten.
  const call = form.key.kind === 'chain' ? read : nodeAt(sourceFile, facts.call);
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
  if (form.trailingCalls && read !== call) {
    for (let node = call.parent; node && node !== read.parent; node = node.parent)
      if (ts.isPropertyAccessExpression(node) && !form.trailingCalls.includes(node.name.text))
        return `\`${node.name.text}\` after the read`;
  }
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
  const base =
    form.key.kind === 'redisKey'
      ? redisBaseName(key.keyNode)
      : form.key.kind === 'redisField'
        ? `${redisBaseName((call as ts.CallExpression).arguments[form.key.keyArg]!)}Field`
        : form.key.kind === 'chain'
          ? chainBaseName(call as ts.CallExpression, key.keyField)
          : baseName(sourceFile, call, key.keyField);
  const rows = key.rows ?? form.rows;
  const field = key.keyField ? camel(key.keyField.replace(/^_/, '')) : 'key';
  const names = {
    keys: freeName(text, `${base}Keys`),
    rows: freeName(text, `${base}${rows === 'values' ? 'Values' : 'Rows'}`),
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
    rows,
  };
}

/**
 * `const id = item.customerId; … find(id)`: the key named by a local is its initializer, when that uses only the
 * element.
 */
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

export function targetOf(sourceFile: ts.SourceFile, value: ts.Node, form: BatchForm): Plan['target'] | undefined {
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
