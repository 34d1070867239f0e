// Fix data that bounds a read: an option (`take: 100`), a builder call (`.limit(100)`), `LIMIT 100` in SQL, or SCAN instead of KEYS.
import { ts } from 'ts-morph';
import type { CallLike } from '../analysis/calls';
import { skipOuterExpressions } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import type { FixProposal } from '../analysis/types';
import { lineStartAndIndent } from './hoist';
import { indentLines } from './rewrite';

/**
 * Adds `key: size` to the options object literal at `argIndex`, or appends `{ key: size }` when the call stops just
 * before it.
 */
export function addOptionFix(
  file: FileModel,
  call: CallLike,
  argIndex: number,
  key: string,
  size: number,
  title?: string,
): FixProposal | undefined {
  // A tagged template (`sql\`…\``) takes no options argument.
  if (!ts.isCallExpression(call)) return undefined;
  const args = call.arguments;
  const arg = args[argIndex];
  const label = title ?? `Add \`${key}: ${size}\` (first page only; add cursor or offset pagination)`;
  if (arg) {
    const literal = skipOuterExpressions(arg);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    if (literal.properties.length === 0)
      return edit(file, label, literal.getStart(file.sourceFile), literal.end, `{ ${key}: ${size} }`);
    const last = literal.properties[literal.properties.length - 1]!;
    return edit(file, label, last.end, last.end, `, ${key}: ${size}`);
  }
  if (args.length !== argIndex) return undefined;
  if (args.length === 0) return edit(file, label, args.end, args.end, `{ ${key}: ${size} }`);
  const lastArg = args[args.length - 1]!;
  return edit(file, label, lastArg.end, lastArg.end, `, { ${key}: ${size} }`);
}

/** Inserts `.method(size)` at `offset` in a builder chain. */
export function addChainCallFix(file: FileModel, offset: number, method: string, size: number): FixProposal {
  return edit(
    file,
    `Add \`.${method}(${size})\` (first page only; add cursor or offset pagination)`,
    offset,
    offset,
    `.${method}(${size})`,
  );
}

/** Appends ` LIMIT size` to a SQL string literal or template (before a trailing `;`). */
export function addSqlLimitFix(
  file: FileModel,
  sqlArg: ts.Expression | undefined,
  size: number,
): FixProposal | undefined {
  if (!sqlArg) return undefined;
  const literal = skipOuterExpressions(sqlArg);
  if (!ts.isStringLiteral(literal) && !ts.isNoSubstitutionTemplateLiteral(literal) && !ts.isTemplateExpression(literal))
    return undefined;
  const closing = literal.end - 1;
  const body = file.text.slice(literal.getStart(file.sourceFile) + 1, closing);
  const trimmed = body.replace(/\s+$/, '');
  const semicolon = trimmed.endsWith(';');
  const insertAt = literal.getStart(file.sourceFile) + 1 + (semicolon ? trimmed.length - 1 : trimmed.length);
  return edit(
    file,
    `Add \`LIMIT ${size}\` (first page only; add keyset or offset pagination)`,
    insertAt,
    insertAt,
    ` LIMIT ${size}`,
  );
}

/**
 * Replaces `client.keys(pattern)` with a SCAN walk that returns the same `Promise<string[]>` (ioredis `scanStream`):
 * Redis is never blocked for the whole keyspace; SCAN may see keys added during the walk, and duplicates are dropped.
 */
export function keysToScanStreamFix(file: FileModel, call: CallLike): FixProposal | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const pattern = call.arguments[0];
  if (!ts.isPropertyAccessExpression(callee) || !pattern || call.arguments.length !== 1) return undefined;
  const client = callee.expression.getText(file.sourceFile);
  const match = pattern.getText(file.sourceFile);
  const replacement =
    `(async (): Promise<string[]> => {\n` +
    `  const found = new Set<string>();\n` +
    `  for await (const batch of ${client}.scanStream({ match: ${match}, count: 1000 })) for (const key of batch as string[]) found.add(key);\n` +
    `  return [...found];\n` +
    `})()`;
  return edit(
    file,
    'Walk the keys with SCAN (`scanStream`) instead of KEYS',
    call.getStart(file.sourceFile),
    call.end,
    indentLines(replacement, lineIndent(file, call)),
  );
}

/** The indentation of the line `node` starts on. */
function lineIndent(file: FileModel, node: ts.Node): string {
  return lineStartAndIndent(file.text, node.getStart(file.sourceFile)).indent;
}

function edit(file: FileModel, title: string, start: number, end: number, newText: string): FixProposal {
  return { title, kind: 'suggestion', edits: [{ file: file.path, start, end, newText }] };
}
