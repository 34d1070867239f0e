// A throwaway in-memory ts-morph Project for one fix: the affected files, the user's style, imports, and the result as text edits.
import { ts, type Project, type SourceFile } from 'ts-morph';
import type { Node as MorphNode } from 'ts-morph';
import { morph, Node } from './morph';
import type { Knowledge } from '../knowledge/loader';
import type { Config } from '../analysis/config';
import type { ProjectAnalysis } from '../analysis/projectAnalysis';
import type { TextEdit } from '../analysis/types';

/** What a fix family is given when a lazy fix is resolved. */
export interface FixContext {
  /** The file the finding is in. */
  path: string;
  /** The current text of a project file the engine holds; undefined for a file it does not. */
  textOf(path: string): string | undefined;
  knowledge: Knowledge;
  config: Config;
  /** The whole-project analysis, for fixes that also change other files (write paths of cached data). */
  analysis(): ProjectAnalysis;
  /** Any file's text (the analysed text, else the disk's: `package.json`); undefined when there is none. */
  readFile?(path: string): string | undefined;
  /** The workspace folder the file is in: fixes never look above it. Undefined: no workspace. */
  root?: string;
}

/** The user's way of writing code, so inserted code reads like theirs. */
export interface CodeStyle {
  quote: "'" | '"';
  semicolons: boolean;
  /** One level of indentation (`  `, `    `, `\t`). */
  indent: string;
  eol: '\n' | '\r\n';
}

/** Style of a file: the majority quote of its string literals, whether statements end in `;`, the smallest indent. */
export function styleOf(text: string): CodeStyle {
  const source = ts.createSourceFile('style.ts', text, ts.ScriptTarget.Latest, false);
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node)) {
      const first = text[node.getStart(source)];
      if (first === "'") single++;
      else if (first === '"') double++;
    }
    if (
      ts.isExpressionStatement(node) ||
      ts.isVariableStatement(node) ||
      ts.isReturnStatement(node) ||
      ts.isImportDeclaration(node)
    ) {
      if (text[node.end - 1] === ';') withSemicolon++;
      else without++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let indent = '  ';
  const widths = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = /^([ \t]+)\S/.exec(line);
    if (!match) continue;
    if (match[1]!.startsWith('\t')) {
      indent = '\t';
      widths.clear();
      break;
    }
    widths.set(match[1]!.length, (widths.get(match[1]!.length) ?? 0) + 1);
  }
  if (widths.size > 0) {
    const smallest = Math.min(...widths.keys());
    indent = ' '.repeat(smallest === 4 || smallest === 8 ? 4 : 2);
  }
  return {
    quote: double > single ? '"' : "'",
    semicolons: withSemicolon >= without,
    indent,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** Whether a file is CommonJS JavaScript (require, no import statements), where imports are `require` calls. */
export function isCommonJs(path: string, text: string): boolean {
  if (/\.[cm]?tsx?$/.test(path) || path.endsWith('.mjs')) return false;
  return !/^\s*import\s[^(]/m.test(text) && !/^\s*export\s/m.test(text);
}

export class Rewrite {
  readonly project: Project;
  private readonly originals = new Map<string, string>();
  private readonly created = new Map<string, string>();
  /** Files that are not code (`package.json`): their text before and after the fix. */
  private readonly plain = new Map<string, { before: string; after: string }>();

  constructor(private readonly context: FixContext) {
    const style = styleOf(context.textOf(context.path) ?? '');
    const { IndentationText, Project, QuoteKind } = morph();
    this.project = new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      compilerOptions: { allowJs: true },
      manipulationSettings: {
        quoteKind: style.quote === '"' ? QuoteKind.Double : QuoteKind.Single,
        indentationText:
          style.indent === '\t'
            ? IndentationText.Tab
            : style.indent.length === 4
              ? IndentationText.FourSpaces
              : IndentationText.TwoSpaces,
      },
    });
  }

  /** The file the finding is in. */
  get path(): string {
    return this.context.path;
  }

  analysis(): ProjectAnalysis {
    return this.context.analysis();
  }

  /** The file as a ts-morph source file (added on first use from the engine's text). */
  open(path: string): SourceFile {
    const existing = this.project.getSourceFile(path);
    if (existing) return existing;
    const text = this.context.textOf(path);
    if (text === undefined) throw new Error(`${path} is not in the analysis`);
    this.originals.set(path, text);
    return this.project.createSourceFile(path, text, { overwrite: true });
  }

  style(path: string): CodeStyle {
    return styleOf(this.originals.get(path) ?? this.context.textOf(path) ?? '');
  }

  /** The innermost node that spans exactly `[start, end)`, optionally of a kind; throws when the text moved. */
  nodeAt<T extends MorphNode>(file: SourceFile, start: number, end: number, guard?: (node: MorphNode) => node is T): T {
    let node: MorphNode | undefined = file.getDescendantAtPos(start);
    while (node && !(node.getStart() === start && node.getEnd() === end && (!guard || guard(node))))
      node = node.getParent();
    if (!node) throw new Error(`no node at ${start}-${end} in ${file.getFilePath()}`);
    return node as T;
  }

  /** A project file the fix creates (a helper module) unless the project has it already. */
  createFile(path: string, text: string): void {
    if (this.context.textOf(path) !== undefined) return;
    this.created.set(path, text);
  }

  /** Any file's text, analysed or not (undefined when the engine cannot read files or there is none). */
  readFile(path: string): string | undefined {
    const edited = this.plain.get(path);
    if (edited) return edited.after;
    return this.context.textOf(path) ?? this.context.readFile?.(path);
  }

  /** The workspace folder of the file the finding is in; undefined without a workspace. */
  get root(): string | undefined {
    return this.context.root;
  }

  /** Replaces the whole text of a file that is not code; the edit is the lines that differ. */
  replaceText(path: string, after: string): void {
    const before = this.plain.get(path)?.before ?? this.readFile(path);
    if (before === undefined) throw new Error(`${path} does not exist`);
    this.plain.set(path, { before, after });
  }

  hasFile(path: string): boolean {
    return this.context.textOf(path) !== undefined || this.created.has(path);
  }

  /** Every change as text edits against the analysed texts, plus the files to create. */
  edits(): TextEdit[] {
    const out: TextEdit[] = [];
    for (const [path, text] of this.created)
      out.push({ file: path, start: 0, end: 0, newText: text, createFile: true });
    for (const [path, before] of this.originals) {
      const after = this.project.getSourceFileOrThrow(path).getFullText();
      out.push(...diffEdits(path, before, after));
    }
    for (const [path, { before, after }] of this.plain) out.push(...diffEdits(path, before, after));
    return out;
  }
}

/**
 * Adds an import of `names` (named) or `defaultName` from `module` once: merged into an existing import of the same
 * module, else a new statement after the last import (a `require` in CommonJS), in the file's quotes and semicolons.
 */
export function ensureImport(
  file: SourceFile,
  module: string,
  what: { named?: string[]; defaultName?: string },
  style: CodeStyle,
): void {
  const path = file.getFilePath();
  const text = file.getFullText();
  const named = what.named ?? [];
  const semi = style.semicolons ? ';' : '';
  const q = style.quote;
  if (isCommonJs(path, text)) {
    for (const statement of file.getVariableStatements()) {
      const decl = statement.getDeclarations()[0];
      const init = decl?.getInitializer();
      if (!decl || !init || !Node.isCallExpression(init) || init.getExpression().getText() !== 'require') continue;
      const arg = init.getArguments()[0];
      if (!arg || !Node.isStringLiteral(arg) || arg.getLiteralValue() !== module) continue;
      const name = decl.getNameNode();
      if (what.defaultName && Node.isIdentifier(name)) return;
      if (Node.isObjectBindingPattern(name)) {
        const have = new Set(name.getElements().map((e) => e.getName()));
        const missing = named.filter((n) => !have.has(n));
        if (missing.length === 0) return;
        name.replaceWithText(`{ ${[...have, ...missing].join(', ')} }`);
        return;
      }
    }
    const binding = what.defaultName ?? `{ ${named.join(', ')} }`;
    insertAfterImports(file, `const ${binding} = require(${q}${module}${q})${semi}`);
    return;
  }
  const existing = file.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === module && !d.isTypeOnly());
  if (existing) {
    const have = new Set(existing.getNamedImports().map((n) => n.getName()));
    const missing = named.filter((n) => !have.has(n));
    if (existing.getNamespaceImport() === undefined) for (const name of missing) existing.addNamedImport(name);
    if (what.defaultName && !existing.getDefaultImport()) existing.setDefaultImport(what.defaultName);
    if (missing.length === 0 || existing.getNamespaceImport() === undefined) return;
  }
  const clause = [what.defaultName, named.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean).join(', ');
  insertAfterImports(file, `import ${clause} from ${q}${module}${q}${semi}`);
}

function insertAfterImports(file: SourceFile, statement: string): void {
  const statements = file.getStatements();
  let index = 0;
  statements.forEach((s, i) => {
    const isRequire =
      Node.isVariableStatement(s) &&
      s.getDeclarations().some((d) => /^require\(/.test(d.getInitializer()?.getText() ?? ''));
    if (Node.isImportDeclaration(s) || Node.isImportEqualsDeclaration(s) || isRequire) index = i + 1;
  });
  file.insertStatements(index, statement);
}

/** The indentation of the line holding `node`. */
export function indentOf(node: MorphNode): string {
  const text = node.getSourceFile().getFullText();
  const start = node.getStart();
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Re-indents a multi-line snippet: every line after the first gets `prefix` in front. */
export function indentLines(snippet: string, prefix: string): string {
  return snippet
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : prefix + line))
    .join('\n');
}

/**
 * The smallest set of line-level edits that turns `before` into `after`: common leading and trailing text is kept,
 * and the lines in between are matched by a longest common subsequence so unrelated lines stay untouched.
 */
export function diffEdits(file: string, before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const aMid = a.slice(head, a.length - tail);
  const bMid = b.slice(head, b.length - tail);
  const offsets: number[] = [0];
  for (const line of a) offsets.push(offsets[offsets.length - 1]! + line.length);
  const edits: TextEdit[] = [];
  const emit = (aFrom: number, aTo: number, bFrom: number, bTo: number) => {
    if (aFrom === aTo && bFrom === bTo) return;
    edits.push({
      file,
      start: offsets[head + aFrom]!,
      end: offsets[head + aTo]!,
      newText: bMid.slice(bFrom, bTo).join(''),
    });
  };
  if (aMid.length * bMid.length > 250_000) {
    emit(0, aMid.length, 0, bMid.length);
    return edits;
  }
  // LCS table over the differing middle.
  const rows = aMid.length + 1;
  const cols = bMid.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = aMid.length - 1; i >= 0; i--)
    for (let j = bMid.length - 1; j >= 0; j--)
      table[i * cols + j] =
        aMid[i] === bMid[j]
          ? table[(i + 1) * cols + j + 1]! + 1
          : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
  let i = 0;
  let j = 0;
  let aStart = 0;
  let bStart = 0;
  while (i < aMid.length && j < bMid.length) {
    if (aMid[i] === bMid[j]) {
      emit(aStart, i, bStart, j);
      i++;
      j++;
      aStart = i;
      bStart = j;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  emit(aStart, aMid.length, bStart, bMid.length);
  return edits;
}

/** Lines with their line breaks, so joining them gives the text back. */
function splitLines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  return out.length && out[out.length - 1] === '' ? out.slice(0, -1) : out;
}
