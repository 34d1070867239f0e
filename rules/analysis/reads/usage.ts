// How a read's rows are used: streamed (memory stays flat) or loaded whole and then sliced in JavaScript.
import { ts } from 'ts-morph';
import { IN_MEMORY_FILTERS, LIST_METHODS, STREAMING_CALLS } from '../../knowledge/readShapes';
import { calledMethod, callsOnVariable, enclosingScope } from '../localValues';
import type { RoundTrip } from '../roundTrips';
import { findDeclaration, skipOuterExpressions } from '../scope';
import type { FileModel } from '../sourceFile';

/** `for await (const doc of cursor)`, `cursor.forEach(...)`, `.stream()`: rows arrive in batches, memory stays flat. */
export function isStreamed(trip: RoundTrip): boolean {
  const executing = trip.chain[trip.chain.length - 1] ?? trip.call;
  if (STREAMING_CALLS.has(calledMethod(executing) ?? '') || STREAMING_CALLS.has(trip.method)) return true;
  let node: ts.Node = trip.node;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  return ts.isForOfStatement(node.parent) && !!node.parent.awaitModifier && node.parent.expression === node;
}

/** The expression that holds the read's rows: the round trip with its `await`, parentheses and casts. */
function awaitedRows(trip: RoundTrip): ts.Node {
  let node: ts.Node = trip.node;
  while (
    ts.isAwaitExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent) ||
    ts.isAsExpression(node.parent) ||
    ts.isNonNullExpression(node.parent)
  )
    node = node.parent;
  return node;
}

/** The `.slice(...)` call applied to the awaited result, directly or through the variable it is stored in. */
export function slicedAfter(file: FileModel, trip: RoundTrip): ts.CallExpression | undefined {
  const node = awaitedRows(trip);
  const direct = sliceInChain(node);
  if (direct) return direct;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node) return undefined;
  const names = ts.isIdentifier(declaration.name)
    ? [declaration.name.text]
    : ts.isObjectBindingPattern(declaration.name)
      ? declaration.name.elements.flatMap((e) => (ts.isIdentifier(e.name) ? [e.name.text] : []))
      : [];
  const scope = enclosingScope(declaration);
  for (const name of names) {
    for (const call of callsOnVariable(scope, name)) {
      if (call.pos < declaration.end) continue;
      let root: ts.Node = skipOuterExpressions((call.expression as ts.PropertyAccessExpression).expression);
      while (ts.isCallExpression(root))
        root = skipOuterExpressions((root.expression as ts.PropertyAccessExpression).expression);
      if (!ts.isIdentifier(root) || findDeclaration(file, root)?.kind !== 'variable') continue;
      const slice = sliceInChain(root);
      if (slice) return slice;
    }
  }
  return undefined;
}

/** `x.slice(...)` or `x.filter(...).sort(...).slice(...)` starting at `node`. */
function sliceInChain(node: ts.Node): ts.CallExpression | undefined {
  let current = node;
  for (;;) {
    const access = current.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== current || !ts.isCallExpression(access.parent))
      return undefined;
    if (access.name.text === 'slice') return access.parent;
    if (!LIST_METHODS.has(access.name.text)) return undefined;
    current = access.parent;
  }
}

/** `rows.slice(…)` or `(await q).slice(…)`, with no array method in between. */
export function isDirectSlice(slice: ts.CallExpression): boolean {
  const receiver = skipOuterExpressions((slice.expression as ts.PropertyAccessExpression).expression);
  return !ts.isCallExpression(receiver);
}

export function keptBySlice(slice: ts.CallExpression): { text: string; end?: number } {
  const [a, b] = slice.arguments.map((arg) => (ts.isNumericLiteral(arg) ? Number(arg.text) : undefined));
  if (slice.arguments.length === 2 && a !== undefined && b !== undefined)
    return a === 0 ? { text: `the first ${b}`, end: b } : { text: `rows ${a + 1} to ${b}`, end: b };
  return { text: 'only part of them' };
}

/**
 * The rows are used as one row: only their first (`rows[0]`, `(await q)[0]`, `const [first] = …`) and how many there
 * are (`rows.length`), in the function or the callback that receives them. The filter is expected to match one row, so
 * a page would change nothing (use `findOne` or `limit 1` to say so).
 */
export function usedAsOneRow(trip: RoundTrip): boolean {
  // A filter of literals only (`{ active: true }`) picks a share of the table, not one row the caller names.
  if (!filtersByValue(trip)) return false;
  let node: ts.Node = trip.node;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || isOuter(node.parent))
    node = node.parent;
  if (isFirstElement(node)) return true;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) {
    // mysql2's `const [rows] = await q` takes the rows of a `[rows, fields]` tuple, not the first row.
    if (ts.isArrayBindingPattern(parent.name)) return !trip.library.resultIsTuple && parent.name.elements.length === 1;
    return ts.isIdentifier(parent.name) && onlyFirstAndLength(parent.name, enclosingScope(parent));
  }
  // `Model.find(q).exec(function (err, rows) {…})`, `q.then((rows) => rows[0])`: the rows given to a callback.
  const callback = rowsCallback(trip);
  return !!callback && onlyFirstAndLength(callback.name, callback.body);
}

function isOuter(node: ts.Node): boolean {
  return ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node);
}

/** `x[0]` or `x?.[0]`. */
function isFirstElement(node: ts.Node): boolean {
  const parent = node.parent;
  return (
    ts.isElementAccessExpression(parent) &&
    parent.expression === node &&
    ts.isNumericLiteral(parent.argumentExpression) &&
    parent.argumentExpression.text === '0'
  );
}

/**
 * Every mention of `name` after its declaration, in `scope`, is `name[0]`, `name.length`, a test or a log of `name`, and
 * one is `name[0]`.
 */
function onlyFirstAndLength(name: ts.Identifier, scope: ts.Node): boolean {
  let firsts = 0;
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isIdentifier(node) && node.text === name.text && node !== name && node.pos > name.end) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      if (ts.isPropertyAssignment(parent) && parent.name === node) return;
      if (isFirstElement(node)) firsts++;
      const lengthOf =
        ts.isPropertyAccessExpression(parent) && parent.expression === node && parent.name.text === 'length';
      const tested = ts.isPrefixUnaryExpression(parent) || ts.isIfStatement(parent) || ts.isBinaryExpression(parent);
      if (!isFirstElement(node) && !lengthOf && !(tested && isTest(parent, node)) && !isLogged(parent)) other = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  // Rows only counted (`rows.length > 0`) are a count, which a page would break: not one row.
  return firsts > 0 && !other;
}

/** `logger.debug('rows', rows)`: written to a log, not used. */
function isLogged(parent: ts.Node): boolean {
  if (!ts.isCallExpression(parent)) return false;
  const callee = skipOuterExpressions(parent.expression);
  return ts.isPropertyAccessExpression(callee) && /^(log|debug|info|warn|error|trace|verbose)$/.test(callee.name.text);
}

/** `!rows`, `if (rows)`, `rows && …`, `rows == null`: a test of presence, not a use of the rows. */
function isTest(parent: ts.Node, node: ts.Node): boolean {
  if (ts.isPrefixUnaryExpression(parent)) return parent.operator === ts.SyntaxKind.ExclamationToken;
  if (ts.isIfStatement(parent)) return parent.expression === node;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return (
      (op === ts.SyntaxKind.AmpersandAmpersandToken && parent.left === node) ||
      ((op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken) &&
        (parent.right.kind === ts.SyntaxKind.NullKeyword || parent.left.kind === ts.SyntaxKind.NullKeyword))
    );
  }
  return false;
}

/** The parameter that receives the rows in a callback on the read: `exec((err, rows) => …)`, `then((rows) => …)`. */
function rowsCallback(trip: RoundTrip): { name: ts.Identifier; body: ts.Node } | undefined {
  for (const call of [trip.call, ...trip.chain]) {
    if (!ts.isCallExpression(call)) continue;
    const method = calledMethod(call);
    const fn = call.arguments[call.arguments.length - 1];
    if (!fn || !(ts.isFunctionExpression(fn) || ts.isArrowFunction(fn))) continue;
    const param = method === 'then' ? fn.parameters[0] : fn.parameters.length >= 2 ? fn.parameters[1] : undefined;
    if (param && ts.isIdentifier(param.name)) return { name: param.name, body: fn.body };
  }
  return undefined;
}

/** The read's filter compares with a value from the program (`{ filename }`, `eq(t.token, input.token)`, `$1`). */
function filtersByValue(trip: RoundTrip): boolean {
  if (trip.sql !== undefined) return /\$\d|\?|:\w|\$\{/.test(trip.sql) || ts.isTaggedTemplateExpression(trip.call);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(node)) {
      const value = skipOuterExpressions(node.initializer);
      if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value)) found = true;
    }
    if (ts.isShorthandPropertyAssignment(node) || ts.isTemplateSpan(node)) found = true;
    // `.where('filename', name)`: a column compared with a value.
    if (ts.isCallExpression(node) && node.arguments.length >= 2) {
      const value = skipOuterExpressions(node.arguments[node.arguments.length - 1]!);
      if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  for (const call of [trip.call, ...trip.chain]) ts.forEachChild(call, visit);
  return found;
}

/**
 * The `.filter(…)` (or `.find(…)`) call applied to the awaited rows, directly or through the variable they are stored
 * in: the rows are narrowed in JavaScript, so the fix is that condition in the query, not a page of the table.
 */
export function filteredAfter(file: FileModel, trip: RoundTrip): ts.CallExpression | undefined {
  const node = awaitedRows(trip);
  const filterOn = (receiver: ts.Node): ts.CallExpression | undefined => {
    const access = receiver.parent;
    return ts.isPropertyAccessExpression(access) &&
      access.expression === receiver &&
      IN_MEMORY_FILTERS.has(access.name.text) &&
      ts.isCallExpression(access.parent)
      ? access.parent
      : undefined;
  };
  const direct = filterOn(node);
  if (direct) return direct;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node || !ts.isIdentifier(declaration.name))
    return undefined;
  const name = declaration.name.text;
  for (const call of callsOnVariable(enclosingScope(declaration), name)) {
    if (call.pos < declaration.end) continue;
    const receiver = skipOuterExpressions((call.expression as ts.PropertyAccessExpression).expression);
    if (ts.isIdentifier(receiver) && receiver.text === name && findDeclaration(file, receiver)?.kind === 'variable') {
      const filtered = filterOn(receiver);
      if (filtered) return filtered;
    }
  }
  return undefined;
}
