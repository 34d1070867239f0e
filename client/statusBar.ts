// The status bar item: analysis state and finding count; a click opens the report.
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('perfAdvisor.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Perf Advisor';
    this.item.command = 'perfAdvisor.showReport';
    this.showServerState('starting');
    this.item.show();
  }

  showServerState(state: 'running' | 'starting' | 'stopped'): void {
    if (state === 'running') return; // the next status notification says more
    this.item.text = state === 'starting' ? '$(sync~spin) Perf Advisor' : '$(circle-slash) Perf Advisor';
    this.item.tooltip =
      state === 'starting'
        ? 'Perf Advisor: starting the language server'
        : 'Perf Advisor: the language server is not running (click for the report, or run "Perf Advisor: Restart Server")';
  }

  showStatus(status: StatusParams): void {
    if (status.state === 'scanning') {
      this.item.text = `$(sync~spin) Perf Advisor ${status.filesAnalyzed}/${status.filesTotal}`;
      this.item.tooltip = `Perf Advisor: analysing the workspace (${status.filesAnalyzed} of ${status.filesTotal} files); ${status.findings} findings so far`;
    } else {
      this.item.text = `$(pulse) Perf Advisor: ${status.findings}`;
      this.item.tooltip = `Perf Advisor: ${status.findings} finding(s) in the workspace. Click for the report.`;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
