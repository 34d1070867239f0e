// The report webview: findings by rule and by file with counts, the top files and links into the code.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { FindingsSummary } from '../server/protocol';
import { createNonce } from './panel/html';

/** Messages the webview sends; checked before use, never trusted. */
const ReportMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('open'),
    uri: z.string().startsWith('file:'),
    line: z.number().int().min(0),
    character: z.number().int().min(0),
  }),
  z.object({ type: z.literal('refresh') }),
]);

const TOP_FILES = 10;

export class ReportView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly refresh: () => Promise<FindingsSummary | undefined>,
  ) {}

  show(summary: FindingsSummary): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'perfAdvisor.report',
        'Perf Advisor Report',
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
        },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
    }
    this.panel.webview.html = renderReport(summary, createNonce(), this.panel.webview.cspSource);
    this.panel.reveal();
  }

  private async receive(raw: unknown): Promise<void> {
    const message = ReportMessage.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === 'refresh') {
      const summary = await this.refresh();
      if (summary) this.show(summary);
      return;
    }
    const position = new vscode.Position(message.data.line, message.data.character);
    await vscode.window.showTextDocument(vscode.Uri.parse(message.data.uri), {
      selection: new vscode.Range(position, position),
      viewColumn: vscode.ViewColumn.One,
    });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function fileLabel(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
}

function link(uri: string, line: number, character: number, text: string): string {
  return `<a href="#" data-uri="${escape(uri)}" data-line="${line}" data-character="${character}">${escape(text)}</a>`;
}

/** The whole page. */
function renderReport(summary: FindingsSummary, nonceValue: string, cspSource: string): string {
  const state =
    summary.state === 'scanning'
      ? `<p class="state">Analysing: ${summary.filesAnalyzed}/${summary.filesTotal} files so far.</p>`
      : '';
  const topFiles = summary.files
    .slice(0, TOP_FILES)
    .map(
      (f) =>
        `<tr><td>${link(f.uri, f.findings[0]?.range.start.line ?? 0, 0, fileLabel(f.uri))}</td><td class="count">${f.count}</td></tr>`,
    )
    .join('');
  const rules = summary.rules
    .map(
      (r) =>
        `<tr><td><a href="${escape(r.docsUrl)}">${escape(r.ruleId)}</a></td><td>${escape(r.description)}</td><td class="count">${r.count}</td></tr>`,
    )
    .join('');
  const files = summary.files
    .map((f) => {
      const items = f.findings
        .map(
          (x) =>
            `<li><span class="sev ${x.severity}">${x.severity}</span> ${link(f.uri, x.range.start.line, x.range.start.character, `line ${x.range.start.line + 1}`)} <code>${escape(x.ruleId)}</code> ${escape(x.message)}</li>`,
        )
        .join('');
      return `<section><h3>${escape(fileLabel(f.uri))} <span class="count">(${f.count})</span></h3><ul>${items}</ul></section>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${cspSource}; style-src 'nonce-${nonceValue}'; script-src 'nonce-${nonceValue}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonceValue}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; margin-bottom: 1em; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid var(--vscode-panel-border); }
.count { text-align: right; font-variant-numeric: tabular-nums; } .sev { font-size: 0.8em; text-transform: uppercase; opacity: 0.8; }
.sev.error { color: var(--vscode-errorForeground); } .sev.warning { color: var(--vscode-editorWarning-foreground); } li { margin: 3px 0; }
</style></head><body>
<h1>Perf Advisor report</h1>
<p id="totals"><strong>${summary.total}</strong> finding(s) in <strong>${summary.files.length}</strong> file(s); ${summary.filesTotal} file(s) in the workspace. <button id="refresh">Refresh</button></p>
${state}
<h2>By rule</h2>${rules ? `<table id="rules"><tr><th>Rule</th><th>What it finds</th><th>Count</th></tr>${rules}</table>` : '<p>No findings.</p>'}
<h2>Top files</h2>${topFiles ? `<table id="top-files"><tr><th>File</th><th>Findings</th></tr>${topFiles}</table>` : '<p>No findings.</p>'}
<h2>By file</h2>${files || '<p>No findings.</p>'}
<script nonce="${nonceValue}">
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const target = event.target.closest('a[data-uri]');
  if (target) { event.preventDefault(); vscode.postMessage({ type: 'open', uri: target.dataset.uri, line: Number(target.dataset.line), character: Number(target.dataset.character) }); }
});
document.getElementById('refresh').addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
</script></body></html>`;
}
