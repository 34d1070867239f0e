// The loop shapes the write batches share: the one write a body consists of, whether its result is used, where it
// runs, and the name its batch variables start from.
import { ts } from 'ts-morph';
import type { CodeStyle } from './rewrite';
import { baseName } from './batchSyntax';
import { chainBaseName } from './batchChain';

/** The style the diagnostics path assumes (the fix itself uses the file's measured style). */
export function styleGuess(sourceFile: ts.SourceFile): CodeStyle {
  return { quote: "'", semicolons: /;\s*$/m.test(sourceFile.text), indent: '  ', eol: '\n' };
}

/** The one awaited write a loop body consists of: `await write;`, `return write;`, or an arrow's expression body. */
export function soleWrite(body: ts.Node, sourceFile: ts.SourceFile): ts.Expression | undefined {
  let node: ts.Node = body;
  if (ts.isBlock(node)) {
    if (node.statements.length !== 1) return undefined;
    node = node.statements[0]!;
  }
  if (ts.isExpressionStatement(node) || ts.isReturnStatement(node)) {
    const expression = node.expression;
    if (!expression) return undefined;
    node = expression;
  }
  if (ts.isAwaitExpression(node)) node = node.expression;
  return ts.isExpression(node) && ts.isCallExpression(node) && node.getText(sourceFile) ? node : undefined;
}

/** The model or table written (`prisma.user` → user, `db('users')` → user), else the collection's element. */
export function writeBaseName(sourceFile: ts.SourceFile, write: ts.CallExpression, collection: ts.Expression): string {
  const fromChain = chainBaseName(write, undefined);
  if (fromChain !== 'batch') return fromChain;
  const last = ts.isPropertyAccessExpression(collection) ? collection.name.text : collection.getText(sourceFile);
  const element = /^\w+$/.test(last) ? last.replace(/s$/, '') : undefined;
  return baseName(sourceFile, write, element);
}

export function isStatementOf(body: ts.Node, write: ts.Expression): boolean {
  const statement = ts.isBlock(body) ? body.statements[0] : body;
  if (!statement || !ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  return expression === write || (ts.isAwaitExpression(expression) && expression.expression === write);
}

export function isInAsyncFunction(node: ts.Node): boolean {
  let fn: ts.Node | undefined = node.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  return fn !== undefined && (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

export function containsAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsAwait) ?? false;
}
