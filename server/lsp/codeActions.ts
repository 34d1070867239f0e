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
import type { WireEdit } from '../worker/protocol';
import {
  CodeActionData,
  DIAGNOSTIC_SOURCE,
  DISABLE_RULE_COMMAND,
  DiagnosticData,
  FIX_ALL_KIND,
  IGNORE_DIRECTIVE,
  SHOW_DOCUMENTATION_COMMAND,
  directiveComment,
  parseRuleList,
  ruleListSpan,
} from '../protocol';

export interface CodeActionOptions {
  /** The client registered the disable-rule command (VS Code does; other editors may not). */
  canDisableRule: boolean;
  /**
   * The client can open a URL (`window/showDocument`); without it the diagnostic's `codeDescription` link is the way to
   * the docs.
   */
  canShowDocuments: boolean;
  /** `context.only` of the request: kinds the client asked for (on save: `source.fixAll…`). */
  only?: string[];
}

/** Builds the edits of unresolved actions: the worker does, on request. */
export interface FixResolver {
  resolveFix(path: string, lazy: NonNullable<DiagnosticData['fixes'][number]['lazy']>): Promise<WireEdit[]>;
  fixAll(path: string, options: { ruleId?: string; exactOnly: boolean }): Promise<WireEdit[]>;
  pathOf(uri: string): string | undefined;
  uriOf(path: string): string;
}

/** Whether a requested kind (`source`, `source.fixAll`) covers `kind`. */
function covers(requested: string, kind: string): boolean {
  return kind === requested || kind.startsWith(`${requested}.`);
}

export function codeActionsFor(
  document: TextDocument,
  diagnostics: Diagnostic[],
  options: CodeActionOptions,
): CodeAction[] {
  const actions: CodeAction[] = [];
  // On save (`editor.codeActionsOnSave`) only the fixes that keep behaviour exactly, for the whole file.
  if (options.only?.some((kind) => covers(kind, FIX_ALL_KIND))) {
    actions.push({
      title: 'Perf Advisor: apply every fix that keeps behaviour',
      kind: FIX_ALL_KIND,
      data: { perfAdvisor: 'fixAll', uri: document.uri, exactOnly: true } satisfies CodeActionData,
    });
  }
  if (
    options.only &&
    !options.only.some((kind) => covers(kind, CodeActionKind.QuickFix) || covers(kind, CodeActionKind.RefactorRewrite))
  )
    return actions;
  const seenRules = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const parsed = DiagnosticData.safeParse(diagnostic.data);
    if (!parsed.success) continue;
    const data = parsed.data;
    for (const fix of data.fixes) {
      if (fix.explanation !== undefined) {
        // No edit is safe here: the action opens the docs section that says why and what to do by hand.
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: {
            title: fix.title,
            command: SHOW_DOCUMENTATION_COMMAND,
            arguments: [data.docsUrl + fix.explanation],
          },
        });
        continue;
      }
      const action: CodeAction = {
        title: fix.title,
        kind: fix.kind === 'fix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
        diagnostics: [diagnostic],
        isPreferred: fix.kind === 'fix',
      };
      if (fix.lazy) action.data = { perfAdvisor: 'fix', uri: document.uri, lazy: fix.lazy } satisfies CodeActionData;
      else action.edit = workspaceEditOf(fix.edits);
      actions.push(action);
    }
    if (data.fixes.some((fix) => fix.explanation === undefined) && !seenRules.has(data.ruleId)) {
      actions.push({
        title: `Apply every ${data.ruleId} fix in this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        data: {
          perfAdvisor: 'fixAll',
          uri: document.uri,
          ruleId: data.ruleId,
          exactOnly: false,
        } satisfies CodeActionData,
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
    if (options.canShowDocuments) {
      actions.push({
        title: `Show documentation for ${data.ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Show documentation', command: SHOW_DOCUMENTATION_COMMAND, arguments: [data.docsUrl] },
      });
    }
  }
  return actions;
}

/**
 * Fills in the edit of an unresolved Perf Advisor action (`codeAction/resolve`); other actions come back as they are.
 */
export async function resolveCodeAction(action: CodeAction, resolver: FixResolver): Promise<CodeAction> {
  const parsed = CodeActionData.safeParse(action.data);
  if (!parsed.success || action.edit) return action;
  const data = parsed.data;
  const path = resolver.pathOf(data.uri);
  if (!path) throw new Error(`not a file of this workspace: ${data.uri}`);
  const edits =
    data.perfAdvisor === 'fix'
      ? await resolver.resolveFix(path, data.lazy)
      : await resolver.fixAll(path, { ruleId: data.ruleId, exactOnly: data.exactOnly });
  return {
    ...action,
    edit: workspaceEditOf(
      edits.map((e) => ({
        uri: resolver.uriOf(e.path),
        range: e.range,
        newText: e.newText,
        ...(e.createFile ? { createFile: true } : {}),
      })),
    ),
  };
}

/** For clients that cannot resolve actions: every edit is built before the actions are returned. */
export async function resolveAll(actions: CodeAction[], resolver: FixResolver): Promise<CodeAction[]> {
  const out: CodeAction[] = [];
  for (const action of actions) {
    try {
      out.push(await resolveCodeAction(action, resolver));
    } catch {
      // A fix that cannot be built (the file changed meanwhile) is left out rather than offered broken.
    }
  }
  return out;
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
