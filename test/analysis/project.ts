// Builds a ProjectAnalysis over in-memory files, and finds nodes in them by their text, for the analysis-layer tests.
import { ts } from 'ts-morph';
import { defaultConfig } from '../../rules/analysis/config';
import { FileSet } from '../../rules/analysis/fileSet';
import { ProjectAnalysis } from '../../rules/analysis/projectAnalysis';
import type { FileModel } from '../../rules/analysis/sourceFile';
import type { FunctionRef } from '../../rules/analysis/summaries';
import { loadKnowledge } from '../../rules/knowledge';

export function project(files: Record<string, string>): ProjectAnalysis {
  const set = new FileSet();
  for (const [path, text] of Object.entries(files)) set.upsert(path, text);
  return new ProjectAnalysis(set, loadKnowledge(), defaultConfig);
}

export function fileOf(analysis: ProjectAnalysis, path: string): FileModel {
  const file = analysis.files.get(path);
  if (!file) throw new Error(`no file ${path}`);
  return file;
}

/** The innermost node of `kind` whose text starts with `text` (the first in source order when several do). */
export function nodeAt<T extends ts.Node>(file: FileModel, text: string, is: (node: ts.Node) => node is T): T {
  const matches: T[] = [];
  const visit = (node: ts.Node): void => {
    if (is(node) && textAfterDecorators(file, node).startsWith(text)) matches.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  let found = matches[0];
  if (!found) throw new Error(`no node starting with ${JSON.stringify(text)} in ${file.path}`);
  for (const match of matches) if (match.pos >= found.pos && match.end <= found.end) found = match;
  return found;
}

/** The function whose text (or whose name's declaration) starts with `text`. */
export function functionAt(analysis: ProjectAnalysis, path: string, text: string): FunctionRef {
  const file = fileOf(analysis, path);
  const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node);
  return { file, node: nodeAt(file, text, isFunction) };
}

/** The expression whose text is exactly `text` (the last one in source order). */
export function expressionAt(analysis: ProjectAnalysis, path: string, text: string): ts.Expression {
  const file = fileOf(analysis, path);
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isExpression(node) && node.getText(file.sourceFile) === text) found = node;
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  if (!found) throw new Error(`no expression ${JSON.stringify(text)} in ${path}`);
  return found;
}

/** A node's text without its leading decorators (`@Get(':id') findOne()` → `findOne()`). */
function textAfterDecorators(file: FileModel, node: ts.Node): string {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  const last = decorators[decorators.length - 1];
  const start = last ? last.end : node.getStart(file.sourceFile);
  return file.text.slice(start, node.end).trimStart();
}
