// The n-plus-one update batch: a loop that updates one row per element. Data the same for every row becomes one update
// of all keys (`updateMany`, `In(ids)`, `= ANY($1)`); data that differs per row (`data: { orderIndex: i }`) keeps each
// row's values in one round trip (a batch `$transaction`, a `bulkWrite`, `UPDATE … FROM` a record set) or, where the
// library has no such form, an explanation-only action. Never `updateMany` with per-row data.
import { ts } from 'ts-morph';
import { updateFormOf, type UpdateBatchForm } from '../knowledge/updateForms';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import { ensureImport, type CodeStyle, type Rewrite } from './rewrite';
import { declaredNames, freeName, mentions, nodeAt } from './batchSyntax';
import { containsAwait, isInAsyncFunction, isStatementOf, soleWrite, styleGuess, writeBaseName } from './writeLoop';
import { sqlUpdateBatch } from './updateBatchSql';
import { inInteractiveTransaction } from './batchUnsafe';
import type { WriteFacts } from './writeBatch';

/** The loop an update batch replaces and the one update it makes per element. */
export interface UpdateLoop {
  statement: ts.Statement;
  collection: string;
  /** Names the loop binds per element (the element, an index). */
  names: Set<string>;
  /** `Array.from(xs, (x) => …)` for a `for…of`, `xs.map((x, i) => …)` where the loop mapped. */
  mapped: (expression: string) => string;
  /** `for (x of xs) statement`, `for (const [i, x] of xs.entries()) statement` where the loop mapped with an index. */
  forOf: (statement: string) => string | undefined;
  write: ts.CallExpression;
  baseName: string;
  /** The loop runs inside an interactive transaction's callback (`$transaction(async (tx) => …)`). */
  inTransaction: boolean;
}

/** What the update batch makes: the statements replacing the loop, or an explanation (a docs anchor and why). */
export type UpdateBuild =
  | { kind: 'edit'; how: string; lines: string[]; imports: { module: string; named: string[] }[] }
  | { kind: 'explain'; why: string; anchor: string };

/** The update batch's action, or undefined when the write is no update this knows (the insert batch is tried). */
export function updateBatchFix(
  sourceFile: ts.SourceFile,
  facts: WriteFacts,
  operation: string,
): FixProposal[] | undefined {
  const form = updateFormOf(facts.library, facts.method);
  if (!form || !typeMatches(form, facts.type)) return undefined;
  const loop = planUpdateLoop(sourceFile, facts);
  if (typeof loop === 'string') return undefined;
  const built = buildUpdate(sourceFile, loop, form, styleGuess(sourceFile));
  if (built === undefined) return undefined;
  if (typeof built === 'string') return [];
  if (built.kind === 'explain')
    return [
      { title: `Not batched: ${built.why} (see the docs)`, kind: 'suggestion', edits: [], explanation: built.anchor },
    ];
  return [lazyFix(`Batch \`${operation}\`: ${built.how}`, 'suggestion', 'updateBatch', facts)];
}

/** The advice the n-plus-one message gives for an update per element: by whether the data differs per row. */
export function updateBatchAdvice(sourceFile: ts.SourceFile, facts: WriteFacts): string | undefined {
  const form = updateFormOf(facts.library, facts.method);
  if (!form || !typeMatches(form, facts.type)) return undefined;
  const loop = planUpdateLoop(sourceFile, facts);
  if (typeof loop === 'string') return undefined;
  const built = buildUpdate(sourceFile, loop, form, styleGuess(sourceFile));
  if (built === undefined || typeof built === 'string') return undefined;
  return built.kind === 'explain' ? `Not batched safely: ${built.why}.` : `Write them in one round trip: ${built.how}.`;
}

/** The `updateBatch` fix family. */
export function resolveUpdateBatchFix(rewrite: Rewrite, facts: WriteFacts): void {
  const form = updateFormOf(facts.library, facts.method);
  if (!form) throw new Error(`no update batch form for ${facts.library} ${facts.method}`);
  const file = rewrite.open(rewrite.path);
  const loop = planUpdateLoop(file.compilerNode, facts);
  if (typeof loop === 'string') throw new Error(`cannot batch this update: ${loop}`);
  const style = rewrite.style(rewrite.path);
  const built = buildUpdate(file.compilerNode, loop, form, style);
  if (built === undefined || typeof built === 'string' || built.kind !== 'edit')
    throw new Error(`cannot batch this update: ${typeof built === 'string' ? built : 'no edit'}`);
  const text = file.getFullText();
  const start = loop.statement.getStart(file.compilerNode);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start - 1) + 1))![0];
  file.replaceText([start, loop.statement.end], built.lines.join(`${style.eol}${indent}`));
  for (const entry of built.imports) ensureImport(file, entry.module, { named: entry.named }, style);
}

function typeMatches(form: UpdateBatchForm, typeName: string | undefined): boolean {
  const type = typeName?.slice(typeName.indexOf('.') + 1);
  return form.types.length === 0 || (type !== undefined && form.types.includes(type));
}

function planUpdateLoop(sourceFile: ts.SourceFile, facts: WriteFacts): UpdateLoop | string {
  const loopNode = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  if (!loopNode || !read) return 'the code moved';
  let collection: ts.Expression;
  let body: ts.Node;
  let statement: ts.Node;
  let mapped: (expression: string) => string;
  let forOf: (statement: string) => string | undefined;
  let names: Set<string>;
  if (ts.isForOfStatement(loopNode) && !loopNode.awaitModifier) {
    const list = loopNode.initializer;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1) return 'loop binding';
    const binding = list.declarations[0]!.name.getText(sourceFile);
    names = declaredNames(list);
    collection = loopNode.expression;
    body = loopNode.statement;
    statement = loopNode;
    const from = collection.getText(sourceFile);
    mapped = (expression) =>
      expression === binding ? `Array.from(${from})` : `Array.from(${from}, (${binding}) => ${expression})`;
    forOf = (inner) => `for (${list.getText(sourceFile)} of ${from}) ${inner}`;
  } else if (
    ts.isCallExpression(loopNode) &&
    ts.isPropertyAccessExpression(loopNode.expression) &&
    loopNode.expression.name.text === 'map'
  ) {
    const callback = loopNode.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return 'callback';
    if (callback.parameters.length > 2) return 'parameters';
    names = new Set<string>();
    for (const parameter of callback.parameters) for (const name of declaredNames(parameter)) names.add(name);
    collection = loopNode.expression.expression;
    body = callback.body;
    const all = loopNode.parent;
    if (!ts.isCallExpression(all) || all.arguments.length !== 1 || all.expression.getText(sourceFile) !== 'Promise.all')
      return 'not awaited with Promise.all';
    const awaited = all.parent;
    if (!ts.isAwaitExpression(awaited) || !ts.isExpressionStatement(awaited.parent)) return 'the results are used';
    statement = awaited.parent;
    const from = collection.getText(sourceFile);
    const parameters = callback.parameters.map((p) => p.getText(sourceFile)).join(', ');
    mapped = (expression) => `${from}.map((${parameters}) => ${expression})`;
    // Plain parameters only: a destructured `[i, x]` binding has no place for a type annotation or a default.
    const plain = callback.parameters.every((p) => ts.isIdentifier(p.name) && !p.type && !p.initializer);
    const [element, index] = callback.parameters.map((p) => p.name.getText(sourceFile));
    forOf = (inner) =>
      !plain
        ? undefined
        : index === undefined
          ? `for (const ${element} of ${from}) ${inner}`
          : `for (const [${index}, ${element}] of ${from}.entries()) ${inner}`;
  } else return 'loop kind';
  if (!ts.isBlock(statement.parent) || !isInAsyncFunction(statement)) return 'not in an async function';
  const write = soleWrite(body, sourceFile);
  if (!write || write.getStart(sourceFile) !== read.getStart(sourceFile) || write.end !== read.end)
    return 'the loop does more than this update';
  if (ts.isForOfStatement(statement) && !isStatementOf(body, write)) return 'the result is used';
  if (containsAwait(write) || !ts.isCallExpression(write)) return 'the row waits for another round trip';
  return {
    statement: statement as ts.Statement,
    collection: collection.getText(sourceFile),
    names,
    mapped,
    forOf,
    write,
    baseName: writeBaseName(sourceFile, write, collection),
    inTransaction: inInteractiveTransaction(statement),
  };
}

/** The node at `place` (an argument, then properties of object literals), or why not. */
function nodeAtPlace(call: ts.CallExpression, arg: number, path: readonly string[], sourceFile: ts.SourceFile) {
  let node: ts.Node | undefined = call.arguments[arg];
  for (const step of path) {
    if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
    const property: ts.ObjectLiteralElementLike | undefined = node.properties.find(
      (p) => ts.isPropertyAssignment(p) && p.name.getText(sourceFile) === step,
    );
    node = property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
  }
  return node;
}

/**
 * The replacement, an explanation, undefined when this is no update the form knows (SQL that is not an `UPDATE`), or
 * a reason (a string) when it is an update no batch keeps.
 */
function buildUpdate(
  sourceFile: ts.SourceFile,
  loop: UpdateLoop,
  form: UpdateBatchForm,
  style: CodeStyle,
): UpdateBuild | string | undefined {
  if (form.shape.kind === 'sql') return sqlUpdateBatch(sourceFile, loop, style);
  const semi = style.semicolons ? ';' : '';
  const call = loop.write;
  if (!ts.isPropertyAccessExpression(call.expression)) return 'call';
  if (call.arguments.length > form.maxArgs || call.arguments.some(ts.isSpreadElement)) return 'arguments';
  const shape = form.shape;
  const filter =
    shape.kind === 'filter'
      ? nodeAtPlace(call, shape.filter.arg, shape.filter.path, sourceFile)
      : call.arguments[shape.filterArg];
  const data = nodeAtPlace(call, shape.data.arg, shape.data.path, sourceFile);
  if (!filter || !data) return 'update shape';
  if (!mentions(filter, loop.names)) return 'the filter does not depend on the element';
  // Anything but the filter and the data that differs per element (options, the model) keeps the loop.
  const outside: ts.Node[] = [];
  const collect = (node: ts.Node): void => {
    if (node === filter || node === data) return;
    if (ts.isIdentifier(node)) outside.push(node);
    ts.forEachChild(node, collect);
  };
  collect(call);
  if (outside.some((id) => mentions(id, loop.names)))
    return 'the update differs per element beyond its filter and data';
  const perRowData = mentions(data, loop.names);
  if (!perRowData && form.sameData && ts.isObjectLiteralExpression(filter)) {
    const same = sameDataUpdate(sourceFile, loop, form.sameData, filter, semi);
    if (same) return same;
  }
  const perRow = form.perRow;
  if (perRow.kind === 'none' || perRow.kind === 'sql')
    return {
      kind: 'explain',
      why: 'each row gets its own data and this library has no one-round-trip form that keeps it',
      anchor: '#batching-updates-by-hand',
    };
  if (perRow.kind === 'transaction') {
    if (loop.inTransaction)
      return {
        kind: 'explain',
        why: 'the updates run inside an interactive transaction, where their order and results matter',
        anchor: '#batching-updates-by-hand',
      };
    let root: ts.Expression = call.expression;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root) && root.kind !== ts.SyntaxKind.ThisKeyword) return 'client';
    // The calls are collected, not returned from a callback: a Prisma query runs only when awaited, so nothing runs
    // in the loop and the transaction sends them all.
    const updates = freeName(sourceFile.text, `${loop.baseName}Updates`);
    const loopText = loop.forOf(`${updates}.push(${call.getText(sourceFile)})${semi}`);
    if (!loopText) return 'callback parameters';
    return {
      kind: 'edit',
      how: `the per-row updates of \`${loop.collection}\` in one \`${perRow.call.replace(/\(.*$/, '')}\` (one round trip, all or nothing)`,
      lines: [
        `const ${updates} = []${semi}`,
        loopText,
        `await ${root.getText(sourceFile)}.${perRow.call.replace('$CALLS', updates)}${semi}`,
      ],
      imports: [],
    };
  }
  const operation = perRow.op.replace('$FILTER', filter.getText(sourceFile)).replace('$DATA', data.getText(sourceFile));
  const ops = freeName(sourceFile.text, `${loop.baseName}Updates`);
  const receiver = call.expression.expression.getText(sourceFile);
  return {
    kind: 'edit',
    how: `the per-row updates of \`${loop.collection}\` in one \`${perRow.call.replace(/\(.*$/, '')}\``,
    lines: [
      `const ${ops} = ${loop.mapped(`(${operation})`)}${semi}`,
      `if (${ops}.length > 0) await ${receiver}.${perRow.call.replace('$OPS', ops)}${semi}`,
    ],
    imports: [],
  };
}

/** `where: { id: x.id }` with the same data for all: one update with the key over all keys, or undefined. */
function sameDataUpdate(
  sourceFile: ts.SourceFile,
  loop: UpdateLoop,
  sameData: NonNullable<UpdateBatchForm['sameData']>,
  filter: ts.ObjectLiteralExpression,
  semi: string,
): UpdateBuild | undefined {
  const varying = filter.properties.filter((p) => mentions(p, loop.names));
  if (varying.length !== 1) return undefined;
  const property = varying[0]!;
  let keyNode: ts.Expression;
  let keyName: string;
  if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name)) {
    keyNode = property.initializer;
    keyName = property.name.text;
  } else if (ts.isShorthandPropertyAssignment(property)) {
    keyNode = property.name;
    keyName = property.name.text;
  } else return undefined;
  // An operator filter (`{ id: { gt: x } }`) is no key.
  if (ts.isObjectLiteralExpression(keyNode) || ts.isArrayLiteralExpression(keyNode)) return undefined;
  const keys = freeName(sourceFile.text, `${loop.baseName}${keyName[0]!.toUpperCase()}${keyName.slice(1)}s`);
  const call = loop.write;
  const access = call.expression as ts.PropertyAccessExpression;
  const base = call.getStart(sourceFile);
  const text = call.getText(sourceFile);
  const propertyStart = property.getStart(sourceFile) - base;
  const methodStart = access.name.getStart(sourceFile) - base;
  const method = sameData.method ?? access.name.text;
  const batched =
    text.slice(0, methodStart) +
    method +
    text.slice(access.name.end - base, propertyStart) +
    `${keyName}: ${sameData.inValue.replace('$KEYS', keys)}` +
    text.slice(property.end - base);
  const keyText = keyNode.getText(sourceFile);
  return {
    kind: 'edit',
    how: `one \`${method}\` of all keys of \`${loop.collection}\` (the data is the same for every row; a missing row is skipped)`,
    lines: [`const ${keys} = ${loop.mapped(keyText)}${semi}`, `if (${keys}.length > 0) await ${batched}${semi}`],
    imports: sameData.imports,
  };
}
