// The profiling result panel (one WebviewPanel, reused): strict CSP with a nonce, zod-checked messages, opens only what it shows.
import * as vscode from 'vscode';
import { contentSecurityPolicy, createNonce } from '../panel/html';
import { HostMessage, pathsOf, WebviewMessage, type ResultView } from './messages';

export const RESULT_VIEW_TYPE = 'perfAdvisor.profilingResult';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export class ResultPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: ResultView = { kind: 'empty' };
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The view on show (for tests and the commands' return values). */
  get current(): ResultView {
    return this.view;
  }

  show(view: ResultView, title: string): void {
    this.view = view;
    if (!this.panel) this.create(title);
    else {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.post();
  }

  private create(title: string): void {
    const roots = [
      vscode.Uri.joinPath(this.extensionUri, 'media', 'profiling'),
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'profiling'),
    ];
    const panel = vscode.window.createWebviewPanel(
      RESULT_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: roots, retainContextWhenHidden: true },
    );
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    const nonce = createNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'profiling', 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'profiling', 'profiling.css'));
    webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(style.toString())}">
<title>Perf Advisor result</title>
</head>
<body>
<div id="root"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(script.toString())}"></script>
</body>
</html>`;
    webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw), undefined, this.disposables);
    panel.onDidDispose(
      () => {
        this.panel = undefined;
        this.ready = false;
      },
      undefined,
      this.disposables,
    );
  }

  private post(): void {
    if (this.panel && this.ready)
      void this.panel.webview.postMessage(HostMessage.parse({ type: 'show', view: this.view }));
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = WebviewMessage.safeParse(raw);
    if (!parsed.success) return; // a webview is untrusted input
    const message = parsed.data;
    const allowed = pathsOf(this.view);
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post();
        return;
      case 'open': {
        if (!allowed.files.has(message.file)) return;
        const line = Math.max(0, message.line - 1);
        await vscode.window.showTextDocument(vscode.Uri.file(message.file), {
          selection: new vscode.Range(line, 0, line, 0),
          viewColumn: vscode.ViewColumn.One,
        });
        return;
      }
      case 'openSaved':
        if (allowed.saved.has(message.path))
          await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(message.path));
        return;
      case 'findInCode':
        await vscode.commands.executeCommand(
          'perfAdvisor.redis.findInCode',
          { command: message.command },
          message.command,
        );
        return;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
