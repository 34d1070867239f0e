// Runs the background workspace scan: one at a time, cancellable, reported through `$/progress` as files done / total.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CancellationTokenSource, type Connection, type WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { AnalyzeWorkspaceResult } from '../protocol';
import type { AnalysisHost, CancelSignal } from './analysisHost';
import type { FileOutcome } from '../worker/protocol';

export interface ScanTarget {
  /** The workspace folders now (they change while the server runs). */
  roots(): string[];
  /** Folder for the content-hash cache (the extension's storage), never the workspace. */
  storagePath?: string;
  /** The client can show server-initiated progress (window.workDoneProgress). */
  canShowProgress: boolean;
}

export interface ScanListener {
  fileDone(outcome: FileOutcome): void;
  fileRemoved(path: string): void;
  progress(done: number, total: number): void;
  finished(result: AnalyzeWorkspaceResult): void;
}

export class WorkspaceScan {
  private current: CancellationTokenSource | undefined;
  private running: Promise<AnalyzeWorkspaceResult> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly host: AnalysisHost,
    private readonly target: ScanTarget,
    private readonly listener: ScanListener,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Cancels a scan in progress, if any, and waits for it to stop. */
  async cancel(): Promise<void> {
    this.current?.cancel();
    await this.running?.catch(() => undefined);
  }

  /**
   * Starts a fresh scan (cancelling the one in progress) of `roots`, by default every folder;
   * `token` is the caller's own cancellation.
   */
  async run(token?: CancelSignal, roots: string[] = this.target.roots()): Promise<AnalyzeWorkspaceResult> {
    await this.cancel();
    const source = new CancellationTokenSource();
    const external = token?.onCancellationRequested(() => source.cancel());
    this.current = source;
    const started = Date.now();
    const job = this.execute(roots, source, started).finally(() => {
      external?.dispose();
      if (this.current === source) {
        this.current = undefined;
        this.running = undefined;
      }
      source.dispose();
    });
    this.running = job;
    return job;
  }

  private async execute(
    roots: string[],
    source: CancellationTokenSource,
    started: number,
  ): Promise<AnalyzeWorkspaceResult> {
    let reporter: WorkDoneProgressServerReporter | undefined;
    if (this.target.canShowProgress) {
      try {
        reporter = await this.connection.window.createWorkDoneProgress();
        reporter.begin('Perf Advisor', 0, 'Reading workspace files', true);
        reporter.token.onCancellationRequested(() => source.cancel());
      } catch {
        reporter = undefined; // the client refused progress; scan anyway
      }
    }
    let lastShown = -100;
    let lastPhase = 'reading';
    try {
      const summary = await this.host.scan(
        { roots, cacheFile: this.cacheFile(roots) },
        (outcome) => this.listener.fileDone(outcome),
        (done, total, phase) => {
          if (phase === 'analyzing') this.listener.progress(done, total);
          // Throttle progress messages: every 2% or at the end, never one per file on big workspaces.
          const percentage = Math.floor((done / Math.max(1, total)) * 100);
          if (phase !== lastPhase) {
            lastPhase = phase;
            lastShown = -100;
          }
          if (reporter && (done === total || percentage - lastShown >= 2)) {
            lastShown = percentage;
            reporter.report(
              phase === 'reading' ? Math.floor(percentage / 5) : 20 + Math.floor((percentage * 4) / 5),
              `${phase === 'reading' ? 'reading' : 'analysed'} ${done}/${total} files`,
            );
          }
        },
        source.token,
      );
      for (const path of summary.removed) this.listener.fileRemoved(path);
      for (const warning of summary.warnings) this.connection.console.warn(`scan: ${warning}`);
      const result: AnalyzeWorkspaceResult = {
        files: summary.files,
        findings: 0,
        skipped: summary.skipped,
        cancelled: summary.cancelled || source.token.isCancellationRequested,
        fromCache: summary.fromCache,
        durationMs: Date.now() - started,
      };
      this.listener.finished(result);
      return result;
    } finally {
      reporter?.done();
    }
  }

  private cacheFile(roots: string[]): string | undefined {
    const { storagePath } = this.target;
    if (!storagePath) return undefined;
    // One cache per set of scanned folders (all at start-up, one when a folder is added), so a global storage folder
    // can serve several workspaces.
    return join(
      storagePath,
      `analysis-cache-${createHash('sha1').update(roots.join('\n')).digest('hex').slice(0, 12)}.json`,
    );
  }
}
