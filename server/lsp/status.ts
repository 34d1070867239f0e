// Throttled `perfAdvisor/status` notifications: the analysis state, the finding count and the scan's progress.
import type { Connection } from 'vscode-languageserver';
import { StatusNotification, type AnalysisState } from '../protocol';

/** At most this often a status notification goes to the client. */
const STATUS_INTERVAL_MS = 200;

export class StatusReporter {
  state: AnalysisState = 'starting';
  /** Files analysed / total of the latest scan. */
  progress = { done: 0, total: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly findingCount: () => number,
  ) {}

  setState(state: AnalysisState): void {
    this.state = state;
    this.schedule();
  }

  setProgress(done: number, total: number): void {
    this.progress = { done, total };
    this.setState('scanning');
  }

  /** Sends the current status soon, once for any number of changes in the interval. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connection.sendNotification(StatusNotification, {
        state: this.state,
        findings: this.findingCount(),
        filesAnalyzed: this.progress.done,
        filesTotal: this.progress.total,
      });
    }, STATUS_INTERVAL_MS);
  }
}
