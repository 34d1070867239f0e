// The last profile's hot functions in the editor: a CodeLens on each function line and a decoration on its hottest line.
import * as vscode from 'vscode';
import type { HotFunction } from '../../measure/profile/model';

/** Functions below this share of the profile get no lens (noise). */
const MIN_SELF_PERCENT = 1;

export class HotLines implements vscode.CodeLensProvider, vscode.Disposable {
  private byFile = new Map<string, HotFunction[]>();
  private profilePath: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    isWholeLine: true,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.warningForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      this.changed,
      this.decoration,
    ];
  }

  /** Replaces the hot lines with those of a new profile. */
  set(functions: readonly HotFunction[], profilePath: string | undefined): void {
    this.byFile = new Map();
    for (const f of functions) {
      if (!f.file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(f.file)) continue;
      if (f.selfPercent < MIN_SELF_PERCENT) continue;
      const list = this.byFile.get(f.file) ?? [];
      list.push(f);
      this.byFile.set(f.file, list);
    }
    this.profilePath = profilePath;
    this.changed.fire();
    this.decorate();
  }

  /** Hot functions of a file (for tests and the lens). */
  functionsIn(file: string): readonly HotFunction[] {
    return this.byFile.get(file) ?? [];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.functionsIn(document.uri.fsPath)
      .filter((f) => f.line - 1 < document.lineCount)
      .map((f) => {
        const range = new vscode.Range(f.line - 1, 0, f.line - 1, 0);
        const title = `$(flame) ${f.selfPercent.toFixed(1)} % self (${f.selfMs.toFixed(0)} ms), ${f.totalPercent.toFixed(1)} % total — Perf Advisor profile`;
        return new vscode.CodeLens(
          range,
          this.profilePath
            ? {
                title,
                command: 'vscode.open',
                arguments: [vscode.Uri.file(this.profilePath)],
                tooltip: 'Open the CPU profile (flame chart)',
              }
            : { title, command: '' },
        );
      });
  }

  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const ranges = this.functionsIn(editor.document.uri.fsPath)
        .filter((f) => (f.hotLine ?? f.line) - 1 < editor.document.lineCount)
        .map((f) => ({
          range: new vscode.Range((f.hotLine ?? f.line) - 1, 0, (f.hotLine ?? f.line) - 1, 0),
          hoverMessage: `Hottest line of \`${f.name}\`: ${f.selfPercent.toFixed(1)} % of the profile by self time`,
        }));
      editor.setDecorations(this.decoration, ranges);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
