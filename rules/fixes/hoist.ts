// Fix data that moves a loop-invariant statement above its loop (a suggestion: it then runs even for an empty list).
import { ts } from 'ts-morph';
import type { FixProposal } from '../analysis/types';
import type { LoopContext } from '../analysis/loops';
import type { FileModel } from '../analysis/sourceFile';

/** Start of the line holding `offset`, and that line's indentation. */
export function lineStartAndIndent(text: string, offset: number): { lineStart: number; indent: string } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  return { lineStart, indent };
}

export function hoistStatementFix(file: FileModel, node: ts.Node, loop: LoopContext): FixProposal | undefined {
  if (!ts.isBlock(loop.body) || !ts.isIterationStatement(loop.node, false)) return undefined;
  let statement: ts.Node = node;
  while (statement.parent && statement.parent !== loop.body) statement = statement.parent;
  if (statement.parent !== loop.body || !(ts.isVariableStatement(statement) || ts.isExpressionStatement(statement)))
    return undefined;
  const text = file.text;
  const start = statement.getStart(file.sourceFile);
  const { lineStart } = lineStartAndIndent(text, start);
  // Remove the whole line when the statement stands alone on it.
  const lineEnd = text.indexOf('\n', statement.end);
  const alone =
    text.slice(lineStart, start).trim() === '' &&
    text.slice(statement.end, lineEnd === -1 ? text.length : lineEnd).trim() === '';
  const removeStart = alone ? lineStart : start;
  const removeEnd = alone ? (lineEnd === -1 ? text.length : lineEnd + 1) : statement.end;
  const loopStart = loop.node.getStart(file.sourceFile);
  const loopLine = lineStartAndIndent(text, loopStart);
  const statementText = text.slice(start, statement.end);
  return {
    title: 'Hoist the invariant query above the loop',
    kind: 'suggestion',
    edits: [
      {
        file: file.path,
        start: loopLine.lineStart,
        end: loopLine.lineStart,
        newText: `${loopLine.indent}${statementText}\n`,
      },
      { file: file.path, start: removeStart, end: removeEnd, newText: '' },
    ],
  };
}
