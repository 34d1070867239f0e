// The LSP thread's handle on the analysis worker: typed requests, cancellation through shared memory, restart after a crash.
import { Worker } from 'node:worker_threads';
import type { CommandSiteQuery, Config, FolderConfig, LazyFix, TextChange } from '../engine';
import type { WireRange } from '../protocol';
import {
  WORKER_ROLE,
  type FileOutcome,
  type FromWorker,
  type ScanRequest,
  type ScanSummary,
  type ToWorker,
  type WireEdit,
} from '../worker/protocol';

export interface CancelSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onFile?: (outcome: FileOutcome) => void;
  onProgress?: (done: number, total: number, phase: 'reading' | 'analyzing') => void;
}

export interface HostEvents {
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** The worker died (out of memory, a crash in the engine) and a fresh one was started. */
  restarted(): void;
}

/** Heap limit of the worker: a runaway analysis kills the worker, not the server. */
const WORKER_HEAP_MB = 3072;

function startWorker(script: string): Worker {
  return new Worker(script, {
    workerData: { role: WORKER_ROLE },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}

/** A worker started before the server's own modules load, so the engine loads meanwhile; the first host adopts it. */
let prewarmed: { script: string; worker: Worker; exited: boolean } | undefined;

export function prewarmAnalysisWorker(script: string): void {
  const entry = { script, worker: startWorker(script), exited: false };
  entry.worker.once('exit', () => (entry.exited = true));
  prewarmed = entry;
}

function adoptPrewarmed(script: string): Worker | undefined {
  const entry = prewarmed;
  prewarmed = undefined;
  return entry && entry.script === script && !entry.exited ? entry.worker : undefined;
}

export class AnalysisHost {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;

  constructor(
    private readonly script: string,
    private readonly events: HostEvents,
  ) {
    this.spawn();
  }

  private spawn(): void {
    this.worker = adoptPrewarmed(this.script) ?? startWorker(this.script);
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) =>
      this.events.log('error', `analysis worker failed: ${error.stack ?? error.message}`),
    );
    this.worker.on('exit', (code) => {
      const error = new Error(`analysis worker exited (code ${code})`);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      if (this.stopping) return;
      this.events.log('error', `${error.message}; starting a new one`);
      this.spawn();
      this.events.restarted();
    });
  }

  private receive(message: FromWorker): void {
    if (message.kind === 'log') return this.events.log(message.level, message.message);
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case 'fileResult':
        pending.onFile?.(message.outcome);
        return;
      case 'progress':
        pending.onProgress?.(message.done, message.total, message.phase);
        return;
      case 'reply':
        this.pending.delete(message.id);
        pending.resolve(message.value);
        return;
      case 'failure':
        this.pending.delete(message.id);
        pending.reject(new Error(message.message));
        return;
    }
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private request<T>(
    build: (id: number, cancel: SharedArrayBuffer) => ToWorker,
    token?: CancelSignal,
    hooks: Omit<Pending, 'resolve' | 'reject'> = {},
  ): Promise<T> {
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancel);
    const subscription = token?.onCancellationRequested(() => Atomics.store(flag, 0, 1));
    if (token?.isCancellationRequested) Atomics.store(flag, 0, 1);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { ...hooks, resolve: (v) => resolve(v as T), reject });
      this.send(build(id, cancel));
    }).finally(() => subscription?.dispose());
  }

  /** `change`: the span of the previously sent text this one replaces, when the editor said so. */
  upsert(path: string, text: string, open: boolean, change?: TextChange): void {
    this.send({ kind: 'upsert', path, text, open, ...(change ? { change } : {}) });
  }

  close(path: string): void {
    this.send({ kind: 'close', path });
  }

  /** `config` applies outside every folder, `folders` per workspace folder. */
  setConfig(config: Config, folders: FolderConfig[] = []): void {
    this.send({ kind: 'config', config, folders });
  }

  remove(paths: string[]): void {
    if (paths.length > 0) this.send({ kind: 'remove', paths });
  }

  /**
   * Drops every closed file outside the workspace folders, including files a cancelled scan read but never analysed.
   */
  removeOutsideFolders(): void {
    this.send({ kind: 'remove', paths: [], outsideFolders: true });
  }

  /** Analyses the files one by one; each outcome arrives through `onFile` as soon as it is ready. */
  analyze(paths: string[], onFile: (outcome: FileOutcome) => void, token?: CancelSignal): Promise<number> {
    return this.request((id, cancel) => ({ kind: 'analyze', id, paths, cancel }), token, { onFile });
  }

  async analyzeOne(path: string, token?: CancelSignal): Promise<FileOutcome | undefined> {
    let result: FileOutcome | undefined;
    await this.analyze([path], (outcome) => (result = outcome), token);
    return result;
  }

  scan(
    request: ScanRequest,
    onFile: (outcome: FileOutcome) => void,
    onProgress: Pending['onProgress'],
    token?: CancelSignal,
  ): Promise<ScanSummary> {
    return this.request((id, cancel) => ({ kind: 'scan', id, request, cancel }), token, { onFile, onProgress });
  }

  /** Re-reads closed files from disk; returns those whose content changed. */
  reload(paths: string[]): Promise<string[]> {
    return this.request((id) => ({ kind: 'reload', id, paths }));
  }

  commandSites(query: CommandSiteQuery): Promise<{ path: string; range: WireRange }[]> {
    return this.request((id) => ({ kind: 'commandSites', id, query }));
  }

  /** The edits of a lazy fix, built by the worker now. */
  resolveFix(path: string, lazy: LazyFix): Promise<WireEdit[]> {
    return this.request((id) => ({ kind: 'resolveFix', id, path, lazy }));
  }

  /** The first fix of every finding in the file (of `ruleId`; `exactOnly`: only fixes that keep behaviour). */
  fixAll(path: string, options: { ruleId?: string; exactOnly: boolean }): Promise<WireEdit[]> {
    return this.request((id) => ({ kind: 'fixAll', id, path, ...options }));
  }

  dependentsOf(path: string): Promise<string[]> {
    return this.request((id) => ({ kind: 'dependents', id, path }));
  }

  async dispose(): Promise<void> {
    this.stopping = true;
    await this.worker.terminate();
  }
}
