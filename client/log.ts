// The output channel and the skill's logging events (`invoked`, `completed`, `failed`) with durations.
import * as vscode from 'vscode';

export type LogEvent = 'invoked' | 'completed' | 'failed';

export class EventLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Perf Advisor', { log: true });
  }

  event(event: LogEvent, detail: string, durationMs?: number): void {
    const line = `${event} ${detail}${durationMs === undefined ? '' : ` (${Math.round(durationMs)} ms)`}`;
    if (event === 'failed') this.channel.error(line);
    else this.channel.info(line);
  }

  /** Runs `work` between an `invoked` and a `completed`/`failed` event. */
  async timed<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    this.event('invoked', name);
    try {
      const result = await work();
      this.event('completed', name, performance.now() - started);
      return result;
    } catch (error) {
      this.event(
        'failed',
        `${name}: ${error instanceof Error ? error.message : String(error)}`,
        performance.now() - started,
      );
      throw error;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
