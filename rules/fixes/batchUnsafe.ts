// The N+1 shapes no batch rewrite keeps: per-row locks, a different table per element, a body whose next query
// depends on this result (or that writes), a loop inside an interactive transaction. Each gets an explanation-only
// action: its title says why, and it opens the docs section that says what to do by hand.
import { ts } from 'ts-morph';
import type { FixProposal } from '../analysis/types';
import { declaredNames, mentions, nodeAt } from './batchSyntax';

interface UnsafeFacts {
  method: string;
  loop: { start: number; end: number };
  read: { start: number; end: number };
  call: { start: number; end: number };
}

/** SQL that locks the rows it reads. */
const SQL_LOCK = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i;
/** Builder calls and options that lock the rows read (knex `forUpdate`, TypeORM `setLock`, `lock:` options). */
const LOCK_CALLS = new Set(['forUpdate', 'forShare', 'forNoKeyUpdate', 'forKeyShare', 'setLock', 'lock']);

/** The explanation-only action for an unsafe shape, or none when the shape is not one of these. */
export function unsafeBatchExplanation(
  sourceFile: ts.SourceFile,
  facts: UnsafeFacts,
  loopHasWrites: boolean,
): FixProposal[] {
  const loop = nodeAt(sourceFile, facts.loop);
  const read = nodeAt(sourceFile, facts.read);
  const call = nodeAt(sourceFile, facts.call);
  if (!loop || !read || !call) return [];
  const why = reason(facts.method, loop, read, call, loopHasWrites);
  if (!why) return [];
  return [{ title: `Not batched: ${why[0]} (see the docs)`, kind: 'suggestion', edits: [], explanation: why[1] }];
}

/**
 * The explanation-only action for a read whose options apply to each key's read (`limit: 5` per author: one read of all
 * authors would give 5 rows in all). `option` is a quoted option name or a description of options it cannot read.
 */
export function perKeyOptionExplanation(option: string): FixProposal {
  const why = option.startsWith('`')
    ? `${option} applies to each key’s read, and one read of all keys would apply it once`
    : `${option} may apply to each key’s read`;
  return {
    title: `Not batched: ${why} (see the docs)`,
    kind: 'suggestion',
    edits: [],
    explanation: '#per-key-options',
  };
}

function reason(
  method: string,
  loop: ts.Node,
  read: ts.Node,
  call: ts.Node,
  loopHasWrites: boolean,
): [string, string] | undefined {
  if (locks(read))
    return ['each row is locked on its own (`FOR UPDATE`), and one read would lock them all at once', '#per-row-locks'];
  const names = loopNames(loop);
  // A table call (`db(ref.table)`, knex's `()` read) given the element names the table itself.
  const table = ts.isCallExpression(call) ? call.arguments[0] : undefined;
  const tableCall = method === '()' && table !== undefined && mentions(table, names);
  if (names.size > 0 && ts.isCallExpression(call) && (tableCall || differsBeyondArguments(call, names)))
    return [
      'the table or model differs per element, so there is no one read of all keys',
      '#different-tables-per-element',
    ];
  const body = loopBody(loop);
  if (!body) return undefined;
  if (loopHasWrites && inInteractiveTransaction(loop))
    return [
      'the loop reads and writes inside an interactive transaction, where each step may depend on the one before',
      '#queries-that-depend-on-each-other',
    ];
  if (loopHasWrites)
    return [
      'the loop also writes, and a read moved before the loop could miss those writes',
      '#queries-that-depend-on-each-other',
    ];
  if (resultDecidesNextQuery(body, read))
    return ['the next query of the loop depends on this result', '#queries-that-depend-on-each-other'];
  return undefined;
}

function locks(read: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      (ts.isStringLiteralLike(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      SQL_LOCK.test(node.text)
    )
      found = true;
    else if (ts.isPropertyAccessExpression(node) && LOCK_CALLS.has(node.name.text) && ts.isCallExpression(node.parent))
      found = true;
    else if (
      ts.isPropertyAssignment(node) &&
      /^(lock|lockMode)$/.test(node.name.getText()) &&
      !isFalse(node.initializer)
    )
      found = true;
    ts.forEachChild(node, visit);
  };
  visit(read);
  return found;
}

const isFalse = (node: ts.Expression) => node.kind === ts.SyntaxKind.FalseKeyword;

/** The element names of a `for…of` or a `map`/`forEach` callback. */
function loopNames(loop: ts.Node): Set<string> {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return declaredNames(loop.initializer);
  if (ts.isCallExpression(loop)) {
    const callback = loop.arguments[0];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) {
      const names = new Set<string>();
      for (const parameter of callback.parameters) for (const name of declaredNames(parameter)) names.add(name);
      return names;
    }
  }
  return new Set();
}

function loopBody(loop: ts.Node): ts.Node | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop) || ts.isForStatement(loop) || ts.isWhileStatement(loop))
    return loop.statement;
  if (ts.isCallExpression(loop)) {
    const callback = loop.arguments[0];
    if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return callback.body;
  }
  return undefined;
}

/**
 * `db(x.table).where(…)`, `prisma[x.model].findMany(…)`, `` sql`select * from ${sql(x.table)}` ``: what is read
 * differs per element, not only the key.
 */
function differsBeyondArguments(call: ts.CallExpression, names: Set<string>): boolean {
  let receiver: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(receiver) || ts.isElementAccessExpression(receiver)) {
    if (ts.isElementAccessExpression(receiver) && mentions(receiver.argumentExpression, names)) return true;
    receiver = receiver.expression;
    // A builder chain: `db(x.table).where(…)` calls the table first.
    while (ts.isCallExpression(receiver)) {
      if (receiver.arguments.some((a) => mentions(a, names)) && !ts.isPropertyAccessExpression(receiver.expression))
        return true;
      receiver = receiver.expression;
    }
  }
  // SQL text whose table (after FROM/JOIN/UPDATE/INTO) is a hole that mentions the element.
  const sql = call.arguments[0];
  if (sql && ts.isTemplateExpression(sql)) {
    let before = sql.head.text;
    for (const span of sql.templateSpans) {
      if (/\b(from|join|update|into)\s*$/i.test(before) && mentions(span.expression, names)) return true;
      before = span.literal.text;
    }
  }
  return false;
}

/** `const u = await read(x); … await other(u.next)`: a later query of the body is built from this result. */
function resultDecidesNextQuery(body: ts.Node, read: ts.Node): boolean {
  let declaration: ts.Node | undefined = read.parent;
  while (declaration && (ts.isAwaitExpression(declaration) || ts.isParenthesizedExpression(declaration)))
    declaration = declaration.parent;
  if (!declaration || !ts.isVariableDeclaration(declaration)) return false;
  const bound = declaredNames(declaration);
  const statement = declaration.parent.parent;
  if (!ts.isBlock(body) || !ts.isVariableStatement(statement)) return false;
  const later = body.statements.slice(body.statements.indexOf(statement) + 1);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isAwaitExpression(node) && mentions(node.expression, bound) && ts.isCallExpression(node.expression))
      found = true;
    ts.forEachChild(node, visit);
  };
  for (const statement of later) visit(statement);
  return found;
}

/** Inside `x.$transaction(async (tx) => …)` or `sequelize.transaction(async (t) => …)`. */
export function inInteractiveTransaction(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (!ts.isArrowFunction(at) && !ts.isFunctionExpression(at)) continue;
    const call = at.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(at as ts.Expression)) continue;
    const callee = call.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
    if (/^\$?transaction$/i.test(name)) return true;
  }
  return false;
}
