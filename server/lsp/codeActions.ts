// Code actions for perf-advisor diagnostics: the engine's fixes and suggestions, ignore-this-line, disable the rule, show the docs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DIAGNOSTIC_SOURCE,
  DISABLE_RULE_COMMAND,
  DiagnosticData,
  IGNORE_DIRECTIVE,
  SHOW_DOCUMENTATION_COMMAND,
  directiveComment,
  parseRuleList,
  ruleListSpan,
} from '../protocol';

export interface CodeActionOptions {
  /** The client registered the disable-rule command (VS Code does; other editors may not). */
  canDisableRule: boolean;
}

export function codeActionsFor(
  document: TextDocument,
  diagnostics: Diagnostic[],
  options: CodeActionOptions,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const parsed = DiagnosticData.safeParse(diagnostic.data);
    if (!parsed.success) continue;
    const data = parsed.data;
    for (const fix of data.fixes) {
      actions.push({
        title: fix.title,
        kind: fix.kind === 'fix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
        diagnostics: [diagnostic],
        isPreferred: fix.kind === 'fix',
        edit: workspaceEditOf(fix.edits),
      });
    }
    actions.push({
      title: `Ignore ${data.ruleId} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: ignoreLineEdit(document, diagnostic.range.start.line, data.ruleId),
    });
    // Rule-wide actions once per rule, however many diagnostics are in the range.
    if (seenRules.has(data.ruleId)) continue;
    seenRules.add(data.ruleId);
    if (options.canDisableRule) {
      actions.push({
        title: `Disable ${data.ruleId} in settings`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: {
          title: `Disable ${data.ruleId}`,
          command: DISABLE_RULE_COMMAND,
          arguments: [data.ruleId, document.uri],
        },
      });
    }
    actions.push({
      title: `Show documentation for ${data.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Show documentation', command: SHOW_DOCUMENTATION_COMMAND, arguments: [data.docsUrl] },
    });
  }
  return actions;
}

/**
 * A fix's edits as a workspace edit. A `createFile` edit (the cache helper module) becomes a file
 * creation with its content, or nothing when the file already exists (the project has the helper).
 */
function workspaceEditOf(edits: DiagnosticData['fixes'][number]['edits']): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const edit of edits)
    if (!edit.createFile) (changes[edit.uri] ??= []).push({ range: edit.range, newText: edit.newText });
  const creations = edits.filter((e) => e.createFile);
  if (creations.length === 0) return { changes };
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const created of creations) {
    if (existsSync(fileURLToPath(created.uri))) continue;
    documentChanges.push(CreateFile.create(created.uri, { ignoreIfExists: true }));
    documentChanges.push(
      TextDocumentEdit.create({ uri: created.uri, version: null }, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: created.newText },
      ]),
    );
  }
  for (const [uri, textEdits] of Object.entries(changes))
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, textEdits));
  return { documentChanges };
}

/**
 * Inserts `// perf-advisor-ignore-next-line <rule>` above the line, with that line's indentation;
 * when the line above already holds a directive, the rule is added to it instead.
 */
export function ignoreLineEdit(document: TextDocument, line: number, ruleId: string): WorkspaceEdit {
  const lines = document.getText().split(/\r?\n/);
  const current = lines[line] ?? '';
  const above = line > 0 ? lines[line - 1] : undefined;
  const directiveAt = above?.indexOf(IGNORE_DIRECTIVE) ?? -1;
  if (above !== undefined && directiveAt >= 0) {
    const { start: listStart, end: listEnd } = ruleListSpan(above, directiveAt + IGNORE_DIRECTIVE.length);
    const rules = parseRuleList(above.slice(listStart, listEnd));
    if (rules.length === 0 || rules.includes(ruleId)) return { changes: {} }; // already silenced
    const insertAt = listStart + above.slice(listStart, listEnd).trimEnd().length;
    return {
      changes: {
        [document.uri]: [
          {
            range: { start: { line: line - 1, character: insertAt }, end: { line: line - 1, character: insertAt } },
            newText: `, ${ruleId}`,
          },
        ],
      },
    };
  }
  const indentation = /^\s*/.exec(current)?.[0] ?? '';
  const eol = document.getText().includes('\r\n') ? '\r\n' : '\n';
  return {
    changes: {
      [document.uri]: [
        {
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
          newText: `${indentation}${directiveComment(ruleId)}${eol}`,
        },
      ],
    },
  };
}
