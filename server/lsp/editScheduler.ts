// What an edit of an open file triggers: in push mode the file itself is analysed and pushed at once; files that depend on it wait for a pause in typing.
import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Quiet time after the last keystroke before files that depend on the edited one are re-analysed. */
export const DEPENDENTS_DEBOUNCE_MS = 250;

export interface EditHooks {
  /** The client cannot pull diagnostics: the server pushes open files' diagnostics itself. */
  pushMode(): boolean;
  /** Sends the document's current text to the worker. */
  flush(document: TextDocument, path: string): void;
  analyzeAndPush(paths: string[], token?: CancellationToken): Promise<void>;
  dependentsOf(path: string): Promise<string[]>;
  /** The file is open and the worker holds its editor text. */
  isOpen(path: string): boolean;
  /** Asks a pulling client to pull open files again. */
  refreshOpen(): void;
  log(message: string): void;
}

export class EditScheduler {
  private readonly dependentsTimers = new Map<string, NodeJS.Timeout>();
  /** Push mode: the latest analysis of each edited file in flight; `finishes`: a newer edit does not cancel it. */
  private readonly running = new Map<string, { source: CancellationTokenSource; finishes: boolean }>();

  constructor(private readonly hooks: EditHooks) {}

  /**
   * The document changed (`opened`: it was just opened, and the open already analysed it): pull clients pull it
   * themselves, push clients get it analysed now. Dependents follow after the pause.
   */
  changed(document: TextDocument, path: string, { opened }: { opened: boolean }): void {
    if (this.hooks.pushMode() && !opened) this.analyzeNow(document, path);
    this.scheduleDependents(document, path);
  }

  /**
   * Like a pull that VS Code cancels when the user types on: the previous run stops between rules (the worker
   * checks the flag) and one run on the newest text starts, so the push never waits for the typing to pause.
   * A run that replaced a cancelled one is left to finish: while keystrokes come faster than the analysis,
   * every other run completes, so squiggles keep following instead of waiting for the pause.
   */
  private analyzeNow(document: TextDocument, path: string): void {
    const previous = this.running.get(path);
    const cancelled = previous !== undefined && !previous.finishes;
    if (cancelled) previous.source.cancel();
    const run = { source: new CancellationTokenSource(), finishes: cancelled };
    this.running.set(path, run);
    this.hooks.flush(document, path);
    void this.hooks.analyzeAndPush([path], run.source.token).finally(() => {
      if (this.running.get(path) === run) this.running.delete(path);
      run.source.dispose();
    });
  }

  /** After typing pauses, files whose findings depend on the edited one are re-analysed. */
  private scheduleDependents(document: TextDocument, path: string): void {
    clearTimeout(this.dependentsTimers.get(path));
    this.dependentsTimers.set(
      path,
      setTimeout(() => void this.analyzeDependents(document, path), DEPENDENTS_DEBOUNCE_MS),
    );
  }

  private async analyzeDependents(document: TextDocument, path: string): Promise<void> {
    const hooks = this.hooks;
    this.dependentsTimers.delete(path);
    hooks.flush(document, path);
    try {
      const dependents = await hooks.dependentsOf(path);
      const closed = dependents.filter((p) => !hooks.isOpen(p));
      if (closed.length > 0) await hooks.analyzeAndPush(closed);
      const open = dependents.filter((p) => hooks.isOpen(p));
      if (open.length === 0) return;
      if (hooks.pushMode()) await hooks.analyzeAndPush(open);
      else hooks.refreshOpen();
    } catch (error) {
      hooks.log(`re-analysing dependents of ${path} failed: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const timer of this.dependentsTimers.values()) clearTimeout(timer);
    for (const run of this.running.values()) run.source.cancel();
  }
}
