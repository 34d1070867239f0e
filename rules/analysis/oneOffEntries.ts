// One-off code by evidence: files (migrations, seeds, scripts, tests, browser bundles), migration registries and
// functions whose own comment reserves them for migrations and tasks.
import { ts } from 'ts-morph';
import * as frameworks from '../knowledge/frameworks';
import type { Entry } from './entryPoints';
import { skipOuterExpressions } from './scope';
import type { FileModel } from './sourceFile';
import type { FunctionRef } from './summaries';

/** One-off code by its file (migrations, seeds, scripts, tests, browser bundles); undefined for service code. */
export function fileEntry(file: FileModel): Entry | undefined {
  const path = file.path;
  if (frameworks.TEST_FILE.test(path)) return { kind: 'one-off', via: 'test', label: 'a test' };
  if (frameworks.ONE_OFF_FILE.test(path)) return { kind: 'one-off', via: 'migration', label: 'a migration or seed' };
  if (frameworks.SCRIPT_FILE.test(path)) return { kind: 'one-off', via: 'script', label: 'a script' };
  if (isBrowserFile(file)) return { kind: 'one-off', via: 'browser', label: 'browser code' };
  if (isMigrationModule(file)) return { kind: 'one-off', via: 'migration', label: 'a migration' };
  return undefined;
}

const browserMemo = new WeakMap<FileModel, boolean>();

/** Browser bundles: by folder, a `'use client'` directive, DOM/jQuery calls, or a React component with hooks. */
function isBrowserFile(file: FileModel): boolean {
  let known = browserMemo.get(file);
  if (known === undefined) {
    known =
      frameworks.BROWSER_FILE.test(file.path) ||
      hasDirective(file.sourceFile.statements, 'use client') ||
      // The raw text first: blanking comments scans the whole file, worth it only when a DOM call appears at all.
      (frameworks.BROWSER_CODE.test(file.text) && frameworks.BROWSER_CODE.test(withoutComments(file.text))) ||
      (/\.[jt]sx$/.test(file.path) &&
        frameworks.CLIENT_COMPONENT_HOOKS.test(file.text) &&
        !frameworks.SERVER_CODE_IN_COMPONENT.test(file.text));
    browserMemo.set(file, known);
  }
  return known;
}

/** The text with comments blanked: commented-out browser snippets (`// document.getElementById(…)`) say nothing. */
function withoutComments(text: string): string {
  if (!text.includes('//') && !text.includes('/*')) return text;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let out = '';
  let last = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      out += text.slice(last, scanner.getTokenStart());
      last = scanner.getTokenEnd();
    }
  }
  return out + text.slice(last);
}

/** A module that exports both `up` and `down` (knex, umzug, sequelize-cli, migrate-mongo migrations). */
function isMigrationModule(file: FileModel): boolean {
  const [up, down] = frameworks.MIGRATION_EXPORT_PAIR;
  return file.exports.has(up) && file.exports.has(down);
}

export function hasDirective(statements: readonly ts.Statement[], directive: string): boolean {
  for (const statement of statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

/**
 * A function its own comment reserves for one-off use ("call this only from migrations and tasks"): the authors say
 * no request reaches it, whatever the call graph shows.
 */
export function documentedOneOff(fn: FunctionRef, member: string | undefined): Entry | undefined {
  let holder: ts.Node = fn.node;
  if (ts.isPropertyAssignment(holder.parent)) holder = holder.parent;
  else if (ts.isVariableDeclaration(holder.parent)) holder = holder.parent.parent.parent ?? holder;
  const text = fn.file.text;
  const comments = ts.getLeadingCommentRanges(text, holder.pos) ?? [];
  const said = comments
    .map((c) => text.slice(c.pos, c.end))
    .join('\n')
    .replace(/\s*(\/\/|\*)\s*/g, ' ');
  const name = member ?? 'function';
  if (frameworks.ONE_OFF_ONLY_COMMENT.test(said))
    return { kind: 'one-off', via: 'migration', label: `\`${name}\` (documented for migrations and tasks only)` };
  // Each comment on its own: "Used for testing" opens one, and says no request or job reaches the function.
  if (comments.some((c) => frameworks.TEST_ONLY_COMMENT.test(commentText(text, c))))
    return { kind: 'one-off', via: 'test', label: `\`${name}\` (documented for tests only)` };
  return undefined;
}

/** A comment's words without its markers (`//`, `/*`, leading `*`). */
function commentText(text: string, range: ts.CommentRange): string {
  return text
    .slice(range.pos, range.end)
    .replace(/^\/\/|^\/\*+|\*+\/$/g, '')
    .replace(/\n\s*\*?/g, ' ')
    .trim();
}

/** The last name of a receiver: `self.apos.migration` → `migration`, `migrations` → `migrations`. */
export function registryName(receiver: ts.Expression): string | undefined {
  const expr = skipOuterExpressions(receiver);
  if (ts.isIdentifier(expr)) return expr.text;
  return ts.isPropertyAccessExpression(expr) ? expr.name.text : undefined;
}
