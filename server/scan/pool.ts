// A pool of scan helper threads: each holds the whole project, and takes the next small batch of files when it is free.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  AnalysisResult,
  CancellationToken,
  Config,
  FolderConfig,
  SessionOptions,
  SourceInput,
  TypesSummary,
} from '../engine';
import { RangeQueue } from './partition';
import { SCAN_HELPER_ROLE, type FromHelper, type HelperSetup, type ToHelper } from './helperProtocol';

export interface PoolProject {
  /** Every file of the project, in the order a one-thread run adds them (cross-file facts come from all of them). */
  files: SourceInput[];
  config: Config;
  folders?: FolderConfig[];
  session?: SessionOptions;
}

export interface PoolRun {
  /** Called once per analysed file, in the order results arrive (not the order of `paths`). */
  onResult(path: string, result: AnalysisResult): void;
  /**
   * The owner's own share, one file at a time between its other work (the server's analysis worker keeps serving
   * edits); returns false when it stopped (cancelled). Without it only the helpers analyse.
   */
  local?: (path: string) => Promise<boolean>;
  /** Paths the owner must analyse itself (a helper would not give the same answer); they go to `local`. */
  localOnly?: (path: string) => boolean;
  token?: CancellationToken;
}

export interface PoolOutcome {
  /** Files no one analysed: the run was cancelled, or every helper failed (the owner analyses them itself). */
  unfinished: string[];
  /** With types on: the checker's work in all helpers, added up. */
  types?: TypesSummary;
  /** Why helpers stopped early (a crash, out of memory), for the log. */
  problems: string[];
}

/** Files per message: small enough that the last batches even out the threads, large enough that messages are few. */
const BATCH = 4;

interface Helper {
  worker: Worker;
  /** The batch it is working on. */
  busy: string[] | undefined;
  alive: boolean;
  types?: TypesSummary;
}

/** What the pool's event handlers do during a run (a helper can fail before any run, while it parses). */
interface RunHooks {
  results(helper: Helper, results: { path: string; result: AnalysisResult }[]): void;
  lost(helper: Helper): void;
}

export class ScanPool {
  private readonly helpers: Helper[] = [];
  private readonly cancel = new SharedArrayBuffer(4);
  private readonly problems: string[] = [];
  private hooks: RunHooks | undefined;

  /** Starts `size` helpers at once: they parse the project while the owner does other work. */
  constructor(size: number, project: PoolProject, heapMb?: number) {
    const setup: HelperSetup = {
      role: SCAN_HELPER_ROLE,
      files: project.files,
      config: project.config,
      folders: project.folders ?? [],
      session: project.session ?? {},
      cancel: this.cancel,
    };
    for (let i = 0; i < size; i++) {
      const helper: Helper = { worker: startHelper(setup, heapMb), busy: undefined, alive: true };
      helper.worker.on('message', (message: FromHelper) => {
        if (message.kind === 'failed')
          return this.lose(helper, `scan helper could not load the project: ${message.message}`);
        if (message.types) helper.types = message.types;
        this.hooks?.results(helper, message.results);
      });
      helper.worker.on('error', (error) => this.lose(helper, `scan helper failed: ${error.message}`));
      helper.worker.on('exit', (code) => this.lose(helper, `scan helper exited (code ${code})`));
      this.helpers.push(helper);
    }
  }

  get size(): number {
    return this.helpers.length;
  }

  /** Why helpers stopped early so far (a crash, out of memory), for the log. */
  get failures(): readonly string[] {
    return this.problems;
  }

  private lose(helper: Helper, why: string): void {
    if (!helper.alive) return;
    helper.alive = false;
    if (!this.closing) this.problems.push(why);
    this.hooks?.lost(helper);
  }

  /**
   * Analyses `paths` on the helpers (and the owner's `local` share); resolves when every file is done or abandoned.
   * One run at a time.
   */
  analyze(paths: readonly string[], run: PoolRun): Promise<PoolOutcome> {
    if (this.hooks) throw new Error('a scan pool runs one analysis at a time');
    const queue = new RangeQueue(
      paths.filter((p) => !run.localOnly?.(p)),
      this.helpers.length,
    );
    const localQueue = paths.filter((p) => run.localOnly?.(p) ?? false);
    const abandoned: string[] = [];
    const cancelled = () => run.token?.isCancellationRequested ?? false;
    return new Promise<PoolOutcome>((resolve) => {
      let localRunning = false;
      let localStopped = run.local === undefined;
      let settled = false;
      const finishIfDone = () => {
        if (settled || localRunning || this.helpers.some((h) => h.alive && h.busy)) return;
        const someoneLeft = !localStopped || this.helpers.some((h) => h.alive);
        if (!cancelled() && someoneLeft && (queue.length > 0 || localQueue.length > 0)) return;
        settled = true;
        this.hooks = undefined;
        resolve({
          unfinished: [...abandoned, ...localQueue.splice(0), ...queue.drain()],
          types: sumTypes(this.helpers.map((h) => h.types)),
          problems: [...this.problems],
        });
      };
      const feed = (helper: Helper) => {
        if (cancelled()) Atomics.store(new Int32Array(this.cancel), 0, 1);
        helper.busy = undefined;
        if (helper.alive && !cancelled() && queue.length > 0) {
          helper.busy = queue.take(this.helpers.indexOf(helper), BATCH);
          helper.worker.postMessage({ kind: 'analyze', paths: helper.busy } satisfies ToHelper);
        }
        finishIfDone();
      };
      // The owner takes its own files first, then ordinary ones: it has the project loaded already.
      const startLocal = () => {
        if (localStopped || localRunning) return;
        localRunning = true;
        void (async () => {
          for (;;) {
            const next = cancelled() ? undefined : (localQueue.shift() ?? queue.steal(1)[0]);
            if (next === undefined) break;
            if (!(await run.local!(next))) {
              abandoned.push(next);
              localStopped = true;
              break;
            }
          }
          localRunning = false;
          finishIfDone();
        })();
      };
      this.hooks = {
        results: (helper, results) => {
          for (const { path, result } of results) run.onResult(path, result);
          // A cancelled helper answers with fewer files than it was sent.
          abandoned.push(...(helper.busy ?? []).slice(results.length));
          feed(helper);
        },
        lost: (helper) => {
          // Its batch goes back to the front of the queue, for the others (or the owner) to take.
          if (helper.busy) queue.putBack(this.helpers.indexOf(helper), helper.busy);
          helper.busy = undefined;
          // Helpers that went idle meanwhile take it (else the run waited for them forever).
          for (const other of this.helpers) if (other.alive && !other.busy) feed(other);
          startLocal();
          finishIfDone();
        },
      };
      for (const helper of this.helpers) feed(helper);
      startLocal();
      finishIfDone();
    });
  }

  private closing = false;

  /** Stops the helpers (they hold a copy of the whole project: never keep them after a scan). */
  async close(): Promise<void> {
    this.closing = true;
    Atomics.store(new Int32Array(this.cancel), 0, 1);
    await Promise.all(this.helpers.map((h) => h.worker.terminate().catch(() => undefined)));
  }
}

/**
 * Starts a helper from this very bundle (dist/cli.js or dist/analysisWorker.js), or from source through tsx (tests).
 */
function startHelper(setup: HelperSetup, heapMb: number | undefined): Worker {
  const options = {
    workerData: setup,
    ...(heapMb ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
  };
  if (__filename.endsWith('.js')) return new Worker(__filename, options);
  const source = join(__dirname, 'helperMain.ts');
  if (!existsSync(source)) throw new Error(`scan helper entry ${source} is missing`);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { ...options, eval: true });
}

/** The checker's work over several helpers, added up. */
function sumTypes(all: (TypesSummary | undefined)[]): TypesSummary | undefined {
  let total: TypesSummary | undefined;
  for (const one of all) {
    if (!one) continue;
    if (!one.enabled || !total?.enabled) {
      total = total?.enabled ? total : one;
      continue;
    }
    total = {
      enabled: true,
      asked: total.asked + one.asked,
      resolved: total.resolved + one.resolved,
      programs: total.programs + one.programs,
      projects: [...new Set([...total.projects, ...one.projects])],
      problems: [...new Set([...total.problems, ...one.problems])],
    };
  }
  return total;
}
