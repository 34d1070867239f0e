// Where the per-element key sits in a read, per batch form kind, and the read rewritten for all keys (`$KEYS`).
import { ts } from 'ts-morph';
import type { BatchForm } from '../knowledge/fixForms';
import { mentions } from './batchSyntax';
import { chainKey } from './batchChain';

export interface KeyPlan {
  keyNode: ts.Node;
  /** The read call rewritten for all keys (`$KEYS` for the array). */
  batchCall: string;
  keyField: string | undefined;
  /** Rows per key when the shape decides it (a chain with or without `first()`); else the form's. */
  rows?: 'one' | 'many';
}

/**
 * The option of the read that applies to each key's read (a limit, a page, a projection), one batched read would
 * apply it once: a named option, or a description when the options are not written out. Undefined: none.
 */
export function perKeyOption(
  call: ts.CallExpression | ts.TaggedTemplateExpression,
  form: BatchForm,
): string | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const named = (object: ts.ObjectLiteralExpression, allowed: (name: string) => boolean): string | undefined => {
    for (const p of object.properties) {
      if (ts.isSpreadAssignment(p)) return 'options spread from another object';
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (name === undefined) return 'options with a computed name';
      if (!allowed(name)) return `\`${name}\``;
    }
    return undefined;
  };
  if (form.key.kind === 'filter' && form.refuseOptions.length > 0) {
    const filter = call.arguments[form.key.arg];
    if (filter && ts.isObjectLiteralExpression(filter)) {
      const found = named(filter, (name) => !form.refuseOptions.includes(name));
      if (found?.startsWith('`')) return found;
    }
  }
  if (!form.options) return undefined;
  const options = call.arguments[form.options.arg];
  if (!options) return undefined;
  if (!ts.isObjectLiteralExpression(options)) return 'options not written out at the call';
  const keep = form.options.keep;
  return named(options, (name) => keep.includes(name));
}

export function keyOf(
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
  // Both planners (the loop's batch and the resolver's DataLoader) go through here: options stay exact or no rewrite.
  if (ts.isCallExpression(call) && call.arguments.length > form.maxArgs)
    return 'more arguments than the batch form knows';
  const option = perKeyOption(call, form);
  if (option) return `per-key option: ${option}`;
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
    case 'redisField': {
      // One hash, many fields: the key stays, the fields become the list.
      if (!ts.isCallExpression(call)) return 'call';
      const hash = call.arguments[k.keyArg];
      const field = call.arguments[k.fieldArg];
      if (!hash || !field || call.arguments.length !== 2) return 'arguments';
      if (mentions(hash, scoped)) {
        // A hash per element, the same field: one pipeline of the reads, when the form has one.
        if (!k.pipeline || mentions(field, scoped) || !ts.isPropertyAccessExpression(call.expression))
          return 'the hash differs per element';
        const pipelined = k.pipeline
          .replace('$RECEIVER', call.expression.expression.getText(sourceFile))
          .replace('$FIELD', field.getText(sourceFile));
        return { keyNode: hash, batchCall: `__NOAWAIT__${pipelined}`, keyField: undefined };
      }
      return {
        keyNode: field,
        batchCall: callText([[field.getStart(sourceFile), field.end, form.keysParam], ...methodName()]),
        keyField: undefined,
      };
    }
    case 'chain':
      if (!ts.isCallExpression(call)) return 'call';
      return chainKey(sourceFile, call, k, scoped);
    case 'sql':
      return sqlKey(sourceFile, call, form, k, scoped, callText, methodName);
    case 'taggedSql':
      return taggedKey(sourceFile, call, form, scoped);
  }
}

/**
 * SQL the rewrite keeps exact: a plain SELECT with no per-key limit, grouping or locking, that returns the key column.
 */
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
