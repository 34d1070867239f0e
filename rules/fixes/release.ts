// The pool-checkout fix: the `release()` of a checked-out connection moves into `finally` (or is added there).
import type { Block, SourceFile, Statement } from 'ts-morph';
import { Node } from './morph';
import { z } from 'zod';
import { ts } from 'ts-morph';
import { blockStatementOf } from '../analysis/scope';
import type { FixProposal } from '../analysis/types';
import { lazyFix } from './lazy';
import type { Rewrite } from './rewrite';

const ReleaseFacts = z.object({
  /** The checkout statement (`const client = await pool.connect();`). */
  checkout: z.object({ start: z.number().int(), end: z.number().int() }),
  /** The release statement to move, or none (`neverReleased`: the call to add). */
  release: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
  releaseCall: z.string(),
});

/**
 * The fix for a checkout whose release is not in `finally`. Moving an existing release is a `fix` (the path that
 * reached it runs the same statements in the same order; only throws now release too) when nothing between exits
 * early; adding a missing release, or moving one past a `return`, is a suggestion.
 */
export function releaseFix(checkout: ts.Node, release: ts.Node | undefined, releaseCall: string): FixProposal[] {
  const statement = blockStatementOf(checkout);
  const releaseStatement = release ? blockStatementOf(release) : undefined;
  if (!statement || !ts.isBlock(statement.parent)) return [];
  if (release && (!releaseStatement || releaseStatement.parent !== statement.parent)) return [];
  const block = statement.parent;
  const from = block.statements.indexOf(statement as ts.Statement);
  const to = releaseStatement ? block.statements.indexOf(releaseStatement as ts.Statement) : block.statements.length;
  const between = block.statements.slice(from + 1, to);
  if (between.length === 0) return [];
  const exitsEarly = between.some((s) => containsExit(s));
  // A name declared in the wrapped statements and used after them would fall out of scope inside `try`.
  const declared = new Set(
    between.flatMap((s) =>
      ts.isVariableStatement(s) ? s.declarationList.declarations.flatMap((d) => namesOf(d.name)) : [],
    ),
  );
  const after = block.statements.slice(to + 1);
  if (after.some((s) => mentions(s, declared))) return [];
  const span = (node: ts.Node) => ({ start: node.getStart(), end: node.end });
  return [
    lazyFix(
      release ? `Release \`${releaseCall}\` in \`finally\`` : `Add \`${releaseCall}()\` in \`finally\``,
      release && !exitsEarly ? 'fix' : 'suggestion',
      'release',
      {
        checkout: span(statement),
        ...(releaseStatement ? { release: span(releaseStatement) } : {}),
        releaseCall,
      },
    ),
  ];
}

function namesOf(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : namesOf(e.name)));
}

function mentions(node: ts.Node, names: Set<string>): boolean {
  if (ts.isIdentifier(node) && names.has(node.text)) return true;
  return ts.forEachChild(node, (child) => mentions(child, names)) ?? false;
}

/** A `return`, `break`, `continue` or `throw` of this function (not of a nested one). */
function containsExit(node: ts.Node): boolean {
  if (
    ts.isReturnStatement(node) ||
    ts.isBreakStatement(node) ||
    ts.isContinueStatement(node) ||
    ts.isThrowStatement(node)
  )
    return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsExit) ?? false;
}

/** The `release` fix family: wraps the statements after the checkout in `try`, with the release in `finally`. */
export function resolveReleaseFix(rewrite: Rewrite, raw: Record<string, unknown>): void {
  const facts = ReleaseFacts.parse(raw);
  const file = rewrite.open(rewrite.path);
  const style = rewrite.style(rewrite.path);
  const checkout = rewrite.nodeAt(file, facts.checkout.start, facts.checkout.end, (n): n is Statement =>
    Node.isStatement(n),
  );
  const block = checkout.getParent();
  if (!block || !Node.isBlock(block)) throw new Error('the checkout is not in a block');
  const statements = (block as Block).getStatements();
  const from = statements.indexOf(checkout) + 1;
  const release = facts.release
    ? statements.find((s) => s.getStart() === facts.release!.start && s.getEnd() === facts.release!.end)
    : undefined;
  if (facts.release && !release) throw new Error('the release moved');
  const to = release ? statements.indexOf(release) : statements.length;
  const wrapped = statements.slice(from, to);
  const last = wrapped[wrapped.length - 1];
  const first = wrapped[0];
  if (!first || !last) throw new Error('nothing to wrap');
  const text = file.getFullText();
  const releaseText = release ? release.getText() : `${facts.releaseCall}()${style.semicolons ? ';' : ''}`;
  const indent = lineIndent(text, first.getStart());
  const inner = indentBy(text.slice(lineStartOf(text, first.getStart()), last.getEnd()), style.indent);
  const replacement = `${indent}try {\n${inner}\n${indent}} finally {\n${indent}${style.indent}${releaseText}\n${indent}}`;
  const end = release ? lineEndOf(text, release.getEnd()) : last.getEnd();
  replaceLines(file, lineStartOf(text, first.getStart()), end, replacement);
}

function replaceLines(file: SourceFile, start: number, end: number, text: string): void {
  file.replaceText([start, end], text);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** End of the statement's line (before its line break), so a moved statement leaves no empty line. */
function lineEndOf(text: string, offset: number): number {
  const lineEnd = text.indexOf('\n', offset);
  return lineEnd === -1 ? text.length : lineEnd;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))![0];
}

function indentBy(text: string, unit: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? line : unit + line))
    .join('\n');
}
