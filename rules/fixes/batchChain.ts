// The key of a query-builder read (knex, kysely, drizzle, Objection): the one filter call of the chain that varies per
// element becomes an `IN` filter over all keys; a first-row call (`first()`, `executeTakeFirst()`) becomes all rows.
import { ts } from 'ts-morph';
import type { BatchForm } from '../knowledge/fixForms';
import type { KeyPlan } from './batchKeys';
import { mentions } from './batchSyntax';

type ChainKey = Extract<BatchForm['key'], { kind: 'chain' }>;

/** The calls of a chain from the outermost (`.first()`) inwards, each with the name it is called by. */
function chainCalls(read: ts.Expression): { call: ts.CallExpression; name: ts.Identifier | undefined }[] {
  const out: { call: ts.CallExpression; name: ts.Identifier | undefined }[] = [];
  let node: ts.Expression = read;
  while (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) {
      out.push({ call: node, name: callee.name });
      node = callee.expression;
    } else {
      out.push({ call: node, name: undefined });
      break;
    }
    while (ts.isPropertyAccessExpression(node) && !ts.isCallExpression(node.expression)) node = node.expression;
  }
  return out;
}

/** The quote the file writes strings with (from its imports), for a column name the rewrite spells out. */
function quoteOf(sourceFile: ts.SourceFile): string {
  return /\b(?:from|require\()\s*(["'])/.exec(sourceFile.text)?.[1] ?? "'";
}

/** The varying comparison of a filter call: the column (as source text) and the key expression. */
function comparison(
  sourceFile: ts.SourceFile,
  call: ts.CallExpression,
  k: ChainKey,
  scoped: Set<string>,
): { column: string; field: string; keyNode: ts.Node } | string {
  const args = call.arguments;
  const fieldOf = (name: string) => name.split('.').pop()!;
  if (args.length === 1 && ts.isObjectLiteralExpression(args[0]!)) {
    const varying = args[0].properties.filter((p) => mentions(p, scoped));
    // `{ id: x, tenant: t }` filters on two fields: the other one stays, with `where`, next to the `IN`.
    if (varying.length !== 1 || args[0].properties.length !== 1) return 'the filter has more than one field';
    const property = varying[0]!;
    const q = quoteOf(sourceFile);
    if (ts.isShorthandPropertyAssignment(property))
      return { column: `${q}${property.name.text}${q}`, field: property.name.text, keyNode: property.name };
    if (!ts.isPropertyAssignment(property)) return 'filter key';
    const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
    if (name === undefined) return 'filter key';
    if (ts.isObjectLiteralExpression(property.initializer) || ts.isArrayLiteralExpression(property.initializer))
      return 'an operator filter';
    return { column: `${q}${name}${q}`, field: fieldOf(name), keyNode: property.initializer };
  }
  if (args.length === 1 && ts.isCallExpression(args[0]!)) {
    const inner = args[0];
    if (!ts.isIdentifier(inner.expression) || !k.equals.includes(inner.expression.text)) return 'filter function';
    const [column, key] = inner.arguments;
    if (!column || !key || inner.arguments.length !== 2 || mentions(column, scoped)) return 'filter arguments';
    const field = ts.isPropertyAccessExpression(column) ? column.name.text : undefined;
    if (!field) return 'the column is not a table column';
    return { column: column.getText(sourceFile), field, keyNode: key };
  }
  const [column, operator, value] = args;
  if (!column || !ts.isStringLiteralLike(column)) return 'filter arguments';
  if (args.length === 2) return { column: column.getText(sourceFile), field: fieldOf(column.text), keyNode: operator! };
  if (args.length === 3 && operator && ts.isStringLiteralLike(operator) && operator.text === '=')
    return { column: column.getText(sourceFile), field: fieldOf(column.text), keyNode: value! };
  return 'the key is not compared with =';
}

export function chainKey(
  sourceFile: ts.SourceFile,
  read: ts.CallExpression,
  k: ChainKey,
  scoped: Set<string>,
): KeyPlan | string {
  const calls = chainCalls(read);
  const edits: [number, number, string][] = [];
  let found: (KeyPlan & { rows: 'one' | 'many' }) | undefined;
  let first = false;
  const selected: ts.Expression[][] = [];
  for (const { call, name } of calls) {
    if (!name) continue;
    const method = name.text;
    if (k.refuse.includes(method)) return `\`${method}\` makes the read per element`;
    if (k.columns.includes(method)) selected.push([...call.arguments]);
    const varies = call.arguments.some((a) => mentions(a, scoped));
    if (Object.hasOwn(k.firstRow, method)) {
      first = true;
      const replacement = k.firstRow[method]!;
      // `.first()` goes (from the end of its receiver); `executeTakeFirst` is renamed.
      if (replacement === '')
        edits.push([(call.expression as ts.PropertyAccessExpression).expression.end, call.end, '']);
      else edits.push([name.getStart(sourceFile), name.end, replacement]);
      continue;
    }
    if (!varies) continue;
    if (found) return 'more than one call varies per element';
    if (Object.hasOwn(k.byId, method)) {
      if (call.arguments.length !== 1) return 'by-id arguments';
      first = true;
      edits.push([name.getStart(sourceFile), call.end, k.byId[method]!]);
      found = { keyNode: call.arguments[0]!, batchCall: '', keyField: k.idField, rows: 'one' };
      continue;
    }
    if (!k.filters.includes(method)) return `\`${method}\` varies per element`;
    const compared = comparison(sourceFile, call, k, scoped);
    if (typeof compared === 'string') return compared;
    edits.push([name.getStart(sourceFile), call.end, k.inCall.replace('$COL', compared.column)]);
    found = { keyNode: compared.keyNode, batchCall: '', keyField: compared.field, rows: 'many' };
  }
  if (!found) return 'no filter of the chain varies per element';
  const field = found.keyField!;
  for (const args of selected) {
    if (args.length === 0) continue;
    const names = args.flatMap((a) => (ts.isArrayLiteralExpression(a) ? [...a.elements] : [a]));
    if (names.some((n) => !ts.isStringLiteralLike(n))) return 'computed columns';
    const plain = names.map((n) => (n as ts.StringLiteralLike).text.split('.').pop()!);
    if (!plain.includes('*') && !plain.includes(field)) return 'the key column is not selected';
  }
  let out = read.getText(sourceFile);
  const base = read.getStart(sourceFile);
  for (const [start, end, value] of edits.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start - base) + value + out.slice(end - base);
  return { keyNode: found.keyNode, batchCall: out, keyField: field, rows: first ? 'one' : 'many' };
}

/**
 * A short name for the batch's variables: the table the chain starts from (`db('users')`, `from(users)`), or its model.
 */
export function chainBaseName(read: ts.CallExpression, keyField: string | undefined): string {
  const calls = chainCalls(read);
  let name: string | undefined;
  for (const { call, name: method } of calls.reverse()) {
    const arg = call.arguments[0];
    if (arg && ts.isStringLiteralLike(arg) && /^\w+$/.test(arg.text.split(/\s/)[0]!)) name = arg.text.split(/\s/)[0];
    else if (arg && ts.isIdentifier(arg) && method?.text === 'from') name = arg.text;
    else if (!method && ts.isIdentifier(call.expression)) continue;
    else if (method && ts.isPropertyAccessExpression(call.expression) && ts.isIdentifier(call.expression.expression))
      name = /^[A-Z]/.test(call.expression.expression.text) ? call.expression.expression.text : undefined;
    if (name) break;
  }
  name = (name ?? keyField ?? 'batch').replace(/s$/, '').replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return name[0]!.toLowerCase() + name.slice(1);
}
