// The latest analysis outcome of every file (open and closed), and what was pushed to the client for each.
import type { Connection } from 'vscode-languageserver';
import type { FileOutcome } from '../worker/protocol';
import { diagnosticsFor } from './diagnostics';
import type { OpenFiles } from './openFiles';

export class Results {
  private readonly outcomes = new Map<string, FileOutcome>();
  /** Files the client holds pushed diagnostics for (so an empty push clears them, and only then). */
  private readonly pushed = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly openFiles: OpenFiles,
    /** The client pulls open files' diagnostics: they are never pushed. */
    private readonly pullMode: () => boolean,
    /** Something changed: the status (finding count) is due. */
    private readonly changed: () => void,
  ) {}

  paths(): string[] {
    return [...this.outcomes.keys()];
  }

  values(): IterableIterator<FileOutcome> {
    return this.outcomes.values();
  }

  /** Records an outcome; pushes it when the file is closed (or the client cannot pull). */
  store(outcome: FileOutcome, push: boolean): void {
    this.outcomes.set(outcome.path, outcome);
    if (push && (!this.pullMode() || !this.openFiles.isSent(outcome.path))) this.push(outcome.path);
    this.changed();
  }

  /** Forgets the file's outcome and clears what was pushed for it. */
  delete(path: string): void {
    this.outcomes.delete(path);
    this.push(path);
  }

  /** The file is open in a pulling client: what was pushed while it was closed is cleared. */
  clearPushed(path: string): void {
    if (!this.pushed.delete(path)) return;
    void this.connection.sendDiagnostics({ uri: this.openFiles.uriOf(path), diagnostics: [] });
  }

  push(path: string): void {
    const outcome = this.outcomes.get(path);
    const open = this.openFiles.isSent(path);
    const diagnostics = diagnosticsFor(outcome, this.openFiles.uriOf, open);
    if (diagnostics.length === 0 && !this.pushed.has(path)) return;
    if (diagnostics.length > 0) this.pushed.add(path);
    else this.pushed.delete(path);
    void this.connection.sendDiagnostics({ uri: this.openFiles.uriOf(path), diagnostics });
  }

  findingCount(): number {
    let count = 0;
    for (const outcome of this.outcomes.values()) count += outcome.findings.length;
    return count;
  }
}
