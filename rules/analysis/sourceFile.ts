// Parses one file and indexes what cross-file analysis needs: imports, exports and top-level declarations.
import { createHash } from 'node:crypto';
import { ts } from 'ts-morph';
import { realOfStandIn } from './standInModules';
import type { Range, Span } from './types';

/** Where an imported local name comes from. */
export interface ImportBinding {
  module: string;
  /** 'default', '*' (namespace or CommonJS require value), or a named export. */
  name: string;
  /** Property path taken from the import (`const { Pool } = require('pg')` → ['Pool']). */
  path: string[];
}

/** What a module exports under one name: a local expression or declaration, or a re-export. */
export type ExportTarget =
  | { kind: 'node'; node: ts.Node }
  | { kind: 'local'; name: string }
  | { kind: 'reexport'; module: string; name: string };

export interface FileModel {
  path: string;
  text: string;
  /** sha1 of the text, computed on first use. */
  readonly hash: string;
  sourceFile: ts.SourceFile;
  imports: Map<string, ImportBinding>;
  exports: Map<string, ExportTarget>;
  /** `export * from '…'` targets, searched for names not exported directly. */
  starExports: string[];
  /** Top-level functions, classes and variables by name. */
  topLevel: Map<string, ts.Node>;
  /** Offsets of line starts, for converting offsets to positions. */
  lineStarts: readonly number[];
  /**
   * Text re-parsed incrementally since the last full parse, in characters (edits × file length): see REPARSE_BUDGET.
   */
  incrementalChars: number;
}

/**
 * Incremental parsing keeps nodes of earlier versions, and their names are slices of those versions' whole texts, so
 * every version a surviving node comes from stays in memory (a 600 KiB file grew the heap ~0.2 MB per keystroke,
 * without
 * bound). After this much re-parsed text a file is parsed from scratch, which drops them all; an idle worker does it
 * sooner.
 */
export const REPARSE_BUDGET = 64 * 1024 * 1024;

export function scriptKindFor(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/i.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * Parses a file; given its previous model, re-parses incrementally (`ts.updateSourceFile` over the
 * changed span), which reuses unchanged subtrees: an edit costs milliseconds, not a full parse.
 * The previous model must not be used afterwards.
 */
export function parseFile(
  path: string,
  text: string,
  previous?: FileModel,
  reparseBudget = REPARSE_BUDGET,
  /** The span the editor replaced (it sent it), so 600 KiB of text need not be compared to find it. */
  knownChange?: ts.TextChangeRange,
): FileModel {
  const incrementalChars = previous ? previous.incrementalChars + text.length : 0;
  if (previous && incrementalChars > reparseBudget) return parseFile(path, text);
  const change = previous ? (knownChange ?? changeRange(previous.text, text)) : undefined;
  const sourceFile =
    previous && change
      ? ts.updateSourceFile(previous.sourceFile, text, change)
      : ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKindFor(path));
  let hash: string | undefined;
  const model: FileModel = {
    path,
    text,
    get hash() {
      hash ??= createHash('sha1').update(text).digest('hex');
      return hash;
    },
    sourceFile,
    imports: new Map(),
    exports: new Map(),
    starExports: [],
    topLevel: new Map(),
    lineStarts: previous && change ? shiftedLineStarts(previous.lineStarts, text, change) : computeLineStarts(text),
    incrementalChars,
  };
  for (const statement of sourceFile.statements) indexStatement(model, statement);
  return model;
}

/** Lazily parsed files not parsed yet. */
const unparsed = new WeakSet<FileModel>();

/**
 * A file parsed on first use of its tree, imports, exports or line starts (path and text are there at once): a scan
 * helper holds every file of the project but parses only those its share of the files reaches.
 */
export function lazilyParsedFile(path: string, text: string, onParseError?: () => void): FileModel {
  let parsed: FileModel | undefined;
  const real = (): FileModel => {
    if (!parsed) {
      try {
        parsed = parseFile(path, text);
      } catch (error) {
        onParseError?.();
        throw error;
      }
      unparsed.delete(model);
    }
    return parsed;
  };
  const model: FileModel = {
    path,
    text,
    incrementalChars: 0,
    get hash() {
      return real().hash;
    },
    get sourceFile() {
      return real().sourceFile;
    },
    get imports() {
      return real().imports;
    },
    get exports() {
      return real().exports;
    },
    get starExports() {
      return real().starExports;
    },
    get topLevel() {
      return real().topLevel;
    },
    get lineStarts() {
      return real().lineStarts;
    },
  };
  unparsed.add(model);
  return model;
}

/** False for a lazily parsed file nothing has needed the tree of yet. */
export function isParsed(file: FileModel): boolean {
  return !unparsed.has(file);
}

/** The single span that differs between two texts (common prefix and suffix trimmed). */
export function changeRange(oldText: string, newText: string): ts.TextChangeRange {
  const max = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  )
    suffix++;
  return ts.createTextChangeRange(
    ts.createTextSpan(prefix, oldText.length - prefix - suffix),
    newText.length - prefix - suffix,
  );
}

/** Offsets of line starts (after \n, \r\n, \r, U+2028, U+2029: the line breaks TypeScript counts). */
export function computeLineStarts(
  text: string,
  from = 0,
  to = text.length,
  out: number[] = from === 0 ? [0] : [],
): number[] {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 0x2028 || code === 0x2029) out.push(i + 1);
    else if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(i + 1);
    }
  }
  return out;
}

/**
 * Line starts after an edit from those before it: starts before the change are kept, those after it move by the
 * length difference, and only the changed span (widened to whole lines) is scanned again.
 */
function shiftedLineStarts(previous: readonly number[], text: string, change: ts.TextChangeRange): number[] {
  const delta = change.newLength - change.span.length;
  const oldEnd = change.span.start + change.span.length;
  // Keep the starts up to the line holding the change (a \r before it may pair with a \n inserted after it).
  let keep = 0;
  while (keep < previous.length && previous[keep]! < change.span.start) keep++;
  const out = previous.slice(0, Math.max(1, keep - 1));
  const rescanFrom = out[out.length - 1]!;
  // Resume at the first old line start beyond the change (plus one character, for a \r\n split by the edit).
  let resume = keep;
  while (resume < previous.length && previous[resume]! <= oldEnd + 1) resume++;
  const rescanTo = resume < previous.length ? previous[resume]! + delta : text.length;
  computeLineStarts(text, rescanFrom, rescanTo, out);
  if (resume < previous.length) while (out[out.length - 1]! >= rescanTo) out.pop();
  for (let i = resume; i < previous.length; i++) out.push(previous[i]! + delta);
  return out;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === kind) ?? false;
}

/** `require('x')` → 'x'. */
export function requiredModule(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  let expr: ts.Expression = node;
  while (ts.isParenthesizedExpression(expr) || ts.isAwaitExpression(expr)) expr = expr.expression;
  if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'require') {
    const arg = expr.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text;
    if (arg && ts.isConditionalExpression(arg)) return realOfStandIn(arg);
  }
  // `import('x')` awaited in a lazy loader
  if (ts.isCallExpression(expr) && expr.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const arg = expr.arguments[0];
    if (arg && ts.isStringLiteralLike(arg)) return arg.text;
  }
  return undefined;
}

/** `require('x').Pool` → { module: 'x', path: ['Pool'] }. */
function requireAccess(node: ts.Expression | undefined): { module: string; path: string[] } | undefined {
  if (!node) return undefined;
  const path: string[] = [];
  let expr = node;
  while (ts.isPropertyAccessExpression(expr)) {
    path.unshift(expr.name.text);
    expr = expr.expression;
  }
  const module = requiredModule(expr);
  return module ? { module, path } : undefined;
}

function bindPattern(model: FileModel, pattern: ts.BindingName, module: string, path: string[]): void {
  if (ts.isIdentifier(pattern)) {
    model.imports.set(pattern.text, { module, name: path.length ? path[0]! : '*', path: path.slice(1) });
    return;
  }
  if (ts.isObjectBindingPattern(pattern)) {
    for (const element of pattern.elements) {
      const key =
        element.propertyName && ts.isIdentifier(element.propertyName)
          ? element.propertyName.text
          : ts.isIdentifier(element.name)
            ? element.name.text
            : undefined;
      if (key) bindPattern(model, element.name, module, [...path, key]);
    }
  }
}

function indexStatement(model: FileModel, statement: ts.Statement): void {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) model.imports.set(clause.name.text, { module, name: 'default', path: [] });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings))
      model.imports.set(bindings.name.text, { module, name: '*', path: [] });
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        model.imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text, path: [] });
      }
    }
    return;
  }
  if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
    const expr = statement.moduleReference.expression;
    if (ts.isStringLiteral(expr)) model.imports.set(statement.name.text, { module: expr.text, name: '*', path: [] });
    return;
  }
  if (ts.isVariableStatement(statement)) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    for (const decl of statement.declarationList.declarations) {
      const access = requireAccess(decl.initializer);
      if (access) {
        bindPattern(model, decl.name, access.module, access.path);
        continue;
      }
      if (ts.isIdentifier(decl.name)) {
        model.topLevel.set(decl.name.text, decl);
        if (exported) model.exports.set(decl.name.text, { kind: 'node', node: decl });
      }
    }
    return;
  }
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
    const name = statement.name?.text;
    if (name) model.topLevel.set(name, statement);
    if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      const key = hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : name;
      if (key) model.exports.set(key, { kind: 'node', node: statement });
    }
    return;
  }
  if (ts.isExportAssignment(statement)) {
    model.exports.set(statement.isExportEquals ? '*' : 'default', { kind: 'node', node: statement.expression });
    return;
  }
  if (ts.isExportDeclaration(statement)) {
    const module =
      statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    const clause = statement.exportClause;
    if (!clause) {
      if (module) model.starExports.push(module);
      return;
    }
    if (ts.isNamedExports(clause)) {
      for (const element of clause.elements) {
        const local = (element.propertyName ?? element.name).text;
        model.exports.set(
          element.name.text,
          module ? { kind: 'reexport', module, name: local } : { kind: 'local', name: local },
        );
      }
    } else if (module) {
      model.exports.set(clause.name.text, { kind: 'reexport', module, name: '*' });
    }
    return;
  }
  if (
    ts.isExpressionStatement(statement) &&
    ts.isBinaryExpression(statement.expression) &&
    statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
  ) {
    indexCommonJsExport(model, statement.expression.left, statement.expression.right);
  }
}

/** `module.exports = x`, `module.exports.a = x`, `exports.a = x`. */
function indexCommonJsExport(model: FileModel, left: ts.Expression, right: ts.Expression): void {
  if (!ts.isPropertyAccessExpression(left)) return;
  const target = left.expression;
  const isModuleExports = (e: ts.Expression) =>
    ts.isPropertyAccessExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'module' &&
    e.name.text === 'exports';
  if (isModuleExports(left)) {
    model.exports.set('*', { kind: 'node', node: right });
    // `module.exports = { a, b }` also exports a and b by name for `const { a } = require(...)`
    if (ts.isObjectLiteralExpression(right)) {
      for (const property of right.properties) {
        if (ts.isShorthandPropertyAssignment(property))
          model.exports.set(property.name.text, { kind: 'local', name: property.name.text });
        else if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name))
          model.exports.set(property.name.text, { kind: 'node', node: property.initializer });
        else if (ts.isMethodDeclaration(property) && ts.isIdentifier(property.name))
          model.exports.set(property.name.text, { kind: 'node', node: property });
      }
    }
    return;
  }
  if (isModuleExports(target) || (ts.isIdentifier(target) && target.text === 'exports')) {
    model.exports.set(left.name.text, { kind: 'node', node: right });
  }
}

export function positionAt(model: Pick<FileModel, 'lineStarts'>, offset: number): { line: number; character: number } {
  const starts = model.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

export function spanOf(model: FileModel, node: ts.Node): Span {
  const start = node.getStart(model.sourceFile);
  const end = node.getEnd();
  const range: Range = { start: positionAt(model, start), end: positionAt(model, end) };
  return { file: model.path, start, end, range };
}
