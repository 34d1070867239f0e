// Polls the active Redis on an interval without ever stacking polls, retries per the skill, and keeps the panel state.
import { adviseOn } from './advice';
import { sampleAll, type NodeSample } from './collector';
import { classifyError, connectWithRetry, type OpenConnection } from './connection';
import { deriveFigures, sumCounters, type Counters } from './figures';
import { emptyState, type HistoryPoint, type PanelState, type Targets, type UnavailableReason } from './model';

export { emptyState };

export interface PollerOptions {
  /** Opens the connection once; the poller adds the retry policy. */
  open: () => Promise<OpenConnection>;
  intervalMs: number;
  slowlogEntries: number;
  targets: Targets;
  historyPoints: number;
  describe: { connectionName: string | null; mode: string | null; target: string | null };
  /** Retry policy (skill: 3 attempts, back-off from 1 s); tests inject a short initial delay. */
  retry?: { attempts?: number; initialDelayMs?: number };
  onState?: (state: PanelState) => void;
  /**
   * Poll again only once a view has shown the last state (see `acknowledge`). VS Code can resolve a webview view
   * that was hidden while it was being resolved with `visible` stuck at true and no later visibility event; a view
   * that never shows what it is sent must not keep Redis busy.
   */
  requireAcknowledgement?: boolean;
  now?: () => number;
}

interface NodeHistory {
  first: Counters;
  previous: Counters;
}

export class RedisPoller {
  private connection: OpenConnection | undefined;
  private running = false;
  private busy: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly nodeHistory = new Map<string, NodeHistory>();
  private combinedHistory: NodeHistory | undefined;
  private commandTimeouts = 0;
  private current: PanelState;
  private readonly now: () => number;
  private disposed = false;
  /** A state was published that no view has confirmed showing yet. */
  private unacknowledged = false;
  /** Running, but waiting for `acknowledge` before the next poll. */
  private waitingForView = false;

  constructor(private readonly options: PollerOptions) {
    this.now = options.now ?? Date.now;
    this.current = { ...emptyState(options.targets), ...options.describe };
  }

  get state(): PanelState {
    return this.current;
  }
  get isRunning(): boolean {
    return this.running;
  }
  /** Running, but holding the next poll until a view acknowledges the last state. */
  get isWaitingForView(): boolean {
    return this.waitingForView;
  }

  /** The open connection, for on-demand work such as the key-space sample; undefined while unavailable. */
  get openConnection(): OpenConnection | undefined {
    return this.connection;
  }

  /** Starts polling now and then every interval after each poll returns. */
  start(): void {
    if (this.running || this.disposed) return;
    this.running = true;
    void this.tick();
  }

  /** Stops scheduling polls (the connection stays open for a quick restart). */
  stop(): void {
    this.running = false;
    this.waitingForView = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs one poll now unless one is in flight, in which case it waits for that one. */
  async pollNow(): Promise<void> {
    if (this.busy) return this.busy;
    await this.runOnce(false);
  }

  /** Drops the connection and connects again with the full retry policy (the Reconnect button). */
  async reconnect(): Promise<void> {
    if (this.busy) await this.busy;
    this.closeConnection();
    await this.runOnce(true);
  }

  /** The view has shown the latest state: polling resumes at once if it was waiting for that. */
  acknowledge(): void {
    this.unacknowledged = false;
    if (!this.waitingForView) return;
    this.waitingForView = false;
    if (this.running && !this.disposed) void this.tick();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.closeConnection();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    if (this.options.requireAcknowledgement && this.unacknowledged) {
      this.waitingForView = true;
      return;
    }
    await this.runOnce(false);
    if (this.running && !this.disposed && !this.timer)
      this.timer = setTimeout(() => void this.tick(), this.options.intervalMs);
  }

  private runOnce(fullRetry: boolean): Promise<void> {
    if (this.busy) return this.busy;
    this.busy = this.pollCycle(fullRetry).finally(() => {
      this.busy = undefined;
    });
    return this.busy;
  }

  /** Connects when needed, then polls; failures end in "unavailable" with the last figures kept and marked stale. */
  private async pollCycle(fullRetry: boolean): Promise<void> {
    try {
      if (!this.connection) await this.connect(fullRetry || this.current.status !== 'unavailable');
      if (!this.connection || this.disposed) return;
      await this.poll(this.connection);
    } catch (error) {
      if (this.disposed) return;
      if (classifyError(error).kind === 'timeout') this.commandTimeouts++;
      // the connection broke mid-poll: reconnect with the retry policy before giving up
      this.closeConnection();
      try {
        await this.connect(true);
        if (this.connection) await this.poll(this.connection);
      } catch (retryError) {
        this.closeConnection();
        this.markUnavailable(classifyError(retryError));
      }
    }
  }

  private async connect(withRetries: boolean): Promise<void> {
    this.update({ status: 'connecting' });
    try {
      const connection = await connectWithRetry(this.options.open, {
        attempts: withRetries ? (this.options.retry?.attempts ?? 3) : 1,
        initialDelayMs: this.options.retry?.initialDelayMs ?? 1_000,
      });
      if (this.disposed) {
        connection.close();
        return;
      }
      this.connection = connection;
    } catch (error) {
      this.markUnavailable((error as { reason?: UnavailableReason }).reason ?? classifyError(error));
    }
  }

  private markUnavailable(reason: UnavailableReason): void {
    this.update({ status: 'unavailable', reason, stale: this.current.combined !== null });
  }

  private async poll(connection: OpenConnection): Promise<void> {
    const sentBefore = connection.clients.reduce((n, c) => n + c.commandsSent, 0);
    const samples = await sampleAll(connection, this.options.slowlogEntries, this.now);
    const sentAfter = connection.clients.reduce((n, c) => n + c.commandsSent, 0);
    this.publish(samples, sentAfter - sentBefore);
  }

  private publish(samples: NodeSample[], commandsPerPoll: number): void {
    const nodes = samples.map((sample) => {
      const history = this.nodeHistory.get(sample.node);
      const figures = deriveFigures(history?.first ?? sample.counters, history?.previous, sample.counters);
      this.nodeHistory.set(sample.node, { first: history?.first ?? sample.counters, previous: sample.counters });
      return { node: sample.node, role: sample.role, figures };
    });
    const combinedCounters = samples.length === 1 ? samples[0].counters : sumCounters(samples.map((s) => s.counters));
    const previous = this.combinedHistory;
    const combined = deriveFigures(previous?.first ?? combinedCounters, previous?.previous, combinedCounters);
    this.combinedHistory = { first: previous?.first ?? combinedCounters, previous: combinedCounters };
    const point: HistoryPoint = {
      at: combinedCounters.at,
      hitRatio: combined.hitRatioInterval,
      opsPerSec: combined.opsPerSec,
      usedMemory: combined.usedMemory,
      evictionsPerSec: combined.evictionsPerSec,
    };
    const history = [...this.current.history, point].slice(-this.options.historyPoints);
    const slowlog = samples
      .flatMap((s) => s.slowlog)
      .sort((a, b) => b.timestamp - a.timestamp || b.id - a.id)
      .slice(0, this.options.slowlogEntries * samples.length);
    this.update({
      status: 'live',
      reason: null,
      stale: false,
      updatedAt: this.now(),
      combined,
      nodes: samples.length > 1 ? nodes : [],
      slowlog,
      latency: samples.flatMap((s) => s.latency),
      advice: adviseOn(combined, this.options.targets, this.commandTimeouts),
      history,
      commandsPerPoll,
    });
    this.commandTimeouts = 0;
  }

  private closeConnection(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private update(patch: Partial<PanelState>): void {
    this.current = { ...this.current, ...patch };
    this.unacknowledged = true;
    this.options.onState?.(this.current);
  }
}
