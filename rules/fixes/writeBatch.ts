// The n-plus-one write batch: a loop that writes one row per element becomes one write of all rows (`createMany`,
// `bulkCreate`, `insertMany`, `insert([...])`, a multi-row `INSERT … VALUES` in chunks). Rows keep the loop's order;
// a loop whose body does anything but that one write, or uses its result, is not rewritten.
import { ts } from 'ts-morph';
import { z } from 'zod';
import { fixFormsOf, type WriteBatchForm } from '../knowledge/fixForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import type { CodeStyle, Rewrite } from './rewrite';
import { freeName, mentions, nodeAt } from './batchSyntax';
import { containsAwait, isInAsyncFunction, isStatementOf, soleWrite, styleGuess, writeBaseName } from './writeLoop';
import { sqlValuesBatch } from './writeBatchSql';
import { updateBatchFix } from './updateBatch';

const Span = z.object({ start: z.number().int(), end: z.number().int() });
export const WriteFacts = z.object({
  library: z.string(),
  method: z.string(),
  type: z.string().optional(),
  loop: Span,
  read: Span,
  call: Span,
});
export type WriteFacts = z.infer<typeof WriteFacts>;

/** The loop the write batch replaces, and the one write it makes per element. */
export interface WritePlan {
  /** The statement replaced: the `for…of`, or the statement awaiting `Promise.all(xs.map(…))`. */
  statement: ts.Statement;
  collection: string;
  /** `Array.from(xs, (x) => …)` for any iterable; `xs.map(…)` where the loop already mapped. */
  mapped: (row: string) => string;
  element: string;
  /** The per-row write method (`create`, `insert`). */
  method: string;
  /** The write expression as written (for SQL: the call), and the call it is in. */
  write: ts.CallExpression;
  baseName: string;
}

export function writeBatchFix(sourceFile: ts.SourceFile, facts: WriteFacts, operation: string): FixProposal[] {
  // An update per element: one update of all keys, or the per-row updates in one round trip (or why not).
  const update = updateBatchFix(sourceFile, facts, operation);
  if (update) return update;
  const form = writeFormOf(facts);
  if (!form) return [];
  const plan = planWrite(sourceFile, facts);
  if (typeof plan === 'string') return [];
  const built = buildWrite(sourceFile, plan, form, styleGuess(sourceFile));
  if (typeof built === 'string') return [];
  return [
    lazyFix(
      `Batch \`${operation}\`: one write of all rows of \`${plan.collection}\` instead of one per element`,
      'suggestion',
      'writeBatch',
      facts,
    ),
  ];
}

/** The `writeBatch` fix family. */
export function resolveWriteBatchFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = WriteFacts.parse(raw);
  const form = writeFormOf(facts);
  if (!form) throw new Error(`no write batch form for ${facts.library} ${facts.method}`);
  const file = rewrite.open(rewrite.path);
  const plan = planWrite(file.compilerNode, facts);
  if (typeof plan === 'string') throw new Error(`cannot batch this write: ${plan}`);
  const style = rewrite.style(rewrite.path);
  const lines = buildWrite(file.compilerNode, plan, form, style);
  if (typeof lines === 'string') throw new Error(`cannot batch this write: ${lines}`);
  const text = file.getFullText();
  const start = plan.statement.getStart(file.compilerNode);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1))![0];
  file.replaceText([start, plan.statement.end], lines.join(`${style.eol}${indent}`));
}

function writeFormOf(facts: WriteFacts): WriteBatchForm | undefined {
  const forms = fixFormsOf(facts.library).writeBatch;
  const form = Object.hasOwn(forms, facts.method) ? forms[facts.method] : undefined;
  const type = facts.type?.slice(facts.type.indexOf('.') + 1);
  if (form && form.types.length > 0 && !(type && form.types.includes(type))) return undefined;
  return form;
}

function planWrite(sourceFile: ts.SourceFile, facts: WriteFacts): WritePlan | string {
  const loopNode = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  if (!loopNode || !read) return 'the code moved';
  let element: string;
  let collection: ts.Expression;
  let body: ts.Node;
  let statement: ts.Node;
  let fromArray: boolean;
  if (ts.isForOfStatement(loopNode) && !loopNode.awaitModifier) {
    const list = loopNode.initializer;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return 'loop binding';
    const name = list.declarations[0]!.name;
    if (!ts.isIdentifier(name)) return 'destructured element';
    element = name.text;
    collection = loopNode.expression;
    body = loopNode.statement;
    statement = loopNode;
    fromArray = false;
  } else if (
    ts.isCallExpression(loopNode) &&
    ts.isPropertyAccessExpression(loopNode.expression) &&
    loopNode.expression.name.text === 'map'
  ) {
    // `await Promise.all(xs.map((x) => write(x)));` as a statement of its own: nobody reads the results.
    const callback = loopNode.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return 'callback';
    if (callback.parameters.length !== 1 || !ts.isIdentifier(callback.parameters[0]!.name)) return 'parameters';
    element = callback.parameters[0]!.name.text;
    collection = loopNode.expression.expression;
    body = callback.body;
    const all = loopNode.parent;
    if (
      !ts.isCallExpression(all) ||
      all.arguments.length !== 1 ||
      !/^Promise\.all(Settled)?$/.test(all.expression.getText(sourceFile))
    )
      return 'not awaited with Promise.all';
    if (all.expression.getText(sourceFile) !== 'Promise.all') return 'Promise.allSettled keeps going past a failure';
    const awaited = all.parent;
    if (!ts.isAwaitExpression(awaited) || !ts.isExpressionStatement(awaited.parent)) return 'the results are used';
    statement = awaited.parent;
    fromArray = true;
  } else return 'loop kind';
  if (!ts.isBlock(statement.parent) || !isInAsyncFunction(statement)) return 'not in an async function';
  const write = soleWrite(body, sourceFile);
  // The body is this one write and nothing else (a chain's write is the whole awaited chain).
  if (!write || write.getStart(sourceFile) !== read.getStart(sourceFile) || write.end !== read.end)
    return 'the loop does more than this write';
  // In a `for…of`, the statement's result is not read; in a map callback, Promise.all's result is not read.
  if (ts.isForOfStatement(statement) && !isStatementOf(body, write)) return 'the result is used';
  if (containsAwait(write)) return 'the row waits for another round trip';
  const elementName = element;
  return {
    statement: statement as ts.Statement,
    collection: collection.getText(sourceFile),
    mapped: (row) =>
      row === elementName
        ? fromArray
          ? collection.getText(sourceFile)
          : `Array.from(${collection.getText(sourceFile)})`
        : fromArray
          ? `${collection.getText(sourceFile)}.map((${elementName}) => ${row})`
          : `Array.from(${collection.getText(sourceFile)}, (${elementName}) => ${row})`,
    element,
    method: facts.method,
    write: write as ts.CallExpression,
    baseName: writeBaseName(sourceFile, write as ts.CallExpression, collection),
  };
}

/** The statements that replace the loop, or why the write cannot be batched. */
function buildWrite(
  sourceFile: ts.SourceFile,
  plan: WritePlan,
  form: WriteBatchForm,
  style: CodeStyle,
): string[] | string {
  const semi = style.semicolons ? ';' : '';
  const text = sourceFile.text;
  const scoped = new Set([plan.element]);
  if (form.row.kind === 'sqlValues') return sqlValuesBatch(sourceFile, plan, form, style);
  const call = writeCall(plan.write, form, plan.method);
  if (typeof call === 'string') return call;
  if (call.arguments.length > form.maxArgs) return 'more arguments than the batch form knows';
  let row: ts.Node | undefined = call.arguments[form.row.arg];
  for (const step of form.row.path) {
    if (!row || !ts.isObjectLiteralExpression(row)) return 'write shape';
    const property: ts.ObjectLiteralElementLike | undefined = row.properties.find(
      (p) => ts.isPropertyAssignment(p) && p.name.getText(sourceFile) === step,
    );
    if (!property || !ts.isPropertyAssignment(property)) return 'write shape';
    // Other options next to the row (`select`, `include`) shape a result nobody reads, or change the write.
    if (row.properties.length !== 1) return 'options besides the row';
    row = property.initializer;
  }
  if (!row || !ts.isExpression(row)) return 'write shape';
  if (!mentions(row, scoped)) return 'the row does not depend on the element';
  if (form.refuseNested && ts.isObjectLiteralExpression(row)) {
    const nested = row.properties.some(
      (p) => ts.isPropertyAssignment(p) && ts.isObjectLiteralExpression(p.initializer),
    );
    if (nested) return 'a nested write';
  }
  if (!ts.isObjectLiteralExpression(row) && !(ts.isIdentifier(row) && row.text === plan.element))
    return 'the row is not an object literal or the element';
  // Everything but the row is the same for every element.
  const outside: ts.Node[] = [];
  const collect = (node: ts.Node): void => {
    if (node === row) return;
    if (ts.isIdentifier(node)) outside.push(node);
    ts.forEachChild(node, collect);
  };
  collect(plan.write);
  if (outside.some((id) => mentions(id, scoped))) return 'the write differs per element beyond its row';
  const rows = freeName(text, `${plan.baseName}Rows`);
  const rowText = row.getText(sourceFile);
  const rowExpression = ts.isObjectLiteralExpression(row) ? `(${rowText})` : rowText;
  const name = (call.expression as ts.PropertyAccessExpression).name;
  const writeText = plan.write.getText(sourceFile);
  const base = plan.write.getStart(sourceFile);
  const batched =
    writeText.slice(0, name.getStart(sourceFile) - base) +
    form.call!.replace('$ROWS', rows) +
    writeText.slice(call.end - base);
  return [`const ${rows} = ${plan.mapped(rowExpression)}${semi}`, `if (${rows}.length > 0) await ${batched}${semi}`];
}

/**
 * The call that takes the row: the write itself, or in a chain (`db('t').insert(row)`) the call named by the write
 * method.
 */
function writeCall(write: ts.CallExpression, form: WriteBatchForm, method: string): ts.CallExpression | string {
  let node: ts.Expression = write;
  let found: ts.CallExpression | undefined;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    const name = node.expression.name.text;
    if (form.refuseChain.includes(name)) return `\`${name}\` after the write`;
    if (!found && name === method) found = node;
    node = node.expression.expression;
  }
  return found ?? 'write call';
}
