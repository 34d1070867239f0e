// The analysing half of a workspace scan on several threads: helper threads hold a copy of the project, the analysis
// worker analyses its share between serving edits, and each result reaches the LSP thread as soon as it is known.
import type { AnalysisResult, Config, FolderConfig } from '../engine';
import { ScanPool } from '../scan/pool';
import { scanThreads } from '../scan/partition';
import type { FileOutcome } from './protocol';

/** Heap limit of each helper (the analysis worker's own): a runaway analysis kills a helper, not the server. */
const HELPER_HEAP_MB = 3072;

export interface ParallelScanState {
  /** The session's files in the order they were added (cross-file facts depend on it), with their texts. */
  files: { path: string; text: string }[];
  config: Config;
  folders: FolderConfig[];
}

/**
 * Starts the helpers for a scan that will analyse `misses` files (before the worker reads them into its own session,
 * so both parse at once); undefined when one thread is enough (the setting, the cores, a small workspace).
 */
export function startScanHelpers(
  setting: number,
  misses: number,
  state: ParallelScanState,
  log: (message: string) => void,
): ScanPool | undefined {
  const threads = scanThreads(setting, misses);
  if (threads <= 1) return undefined;
  try {
    const project = { files: state.files, config: state.config, folders: state.folders };
    return new ScanPool(threads - 1, project, HELPER_HEAP_MB);
  } catch (error) {
    log(`workspace scan: could not start helper threads (${(error as Error).message}); scanning on one thread`);
    return undefined;
  }
}

export interface ParallelScanRun {
  paths: string[];
  token: { readonly isCancellationRequested: boolean };
  /** The worker's own analysis of one file (undefined when cancelled midway). */
  analyzeHere(path: string): FileOutcome | undefined;
  /**
   * A helper's result as the worker reports it; the worker re-analyses when its state moved since the helpers started.
   */
  fromHelper(path: string, result: AnalysisResult): FileOutcome;
  /** Files only the worker can answer for (it could not parse them, or does not hold them). */
  hereOnly(path: string): boolean;
  outcome(outcome: FileOutcome): void;
  yieldToMessages(): Promise<void>;
  log(message: string): void;
}

/** Analyses `run.paths` on the helpers and the worker; resolves with whether the scan was cancelled. */
export async function analyzeInParallel(pool: ScanPool, run: ParallelScanRun): Promise<{ cancelled: boolean }> {
  const started = performance.now();
  try {
    const outcome = await pool.analyze(run.paths, {
      onResult: (path, result) => run.outcome(run.fromHelper(path, result)),
      localOnly: run.hereOnly,
      token: run.token,
      local: async (path) => {
        const outcome = run.analyzeHere(path);
        if (!outcome) return false;
        run.outcome(outcome);
        await run.yieldToMessages();
        return true;
      },
    });
    for (const problem of outcome.problems) run.log(`workspace scan: ${problem}; its files were analysed here`);
    // Left by helpers that failed, or by cancellation: the worker finishes them (it stops at once when cancelled).
    for (const path of outcome.unfinished) {
      if (run.token.isCancellationRequested) return { cancelled: true };
      const here = run.analyzeHere(path);
      if (!here) return { cancelled: true };
      run.outcome(here);
      await run.yieldToMessages();
    }
    run.log(
      `workspace scan: analysed ${run.paths.length} files on ${pool.size + 1} threads in ${Math.round(performance.now() - started)} ms`,
    );
    return { cancelled: run.token.isCancellationRequested };
  } finally {
    await pool.close();
  }
}

/** Whether the session holds exactly `files` (same paths, same texts): the helpers' copy is still the project. */
export function sameTexts(
  files: readonly { path: string; text: string }[],
  texts: ReadonlyMap<string, string>,
): boolean {
  return files.length === texts.size && files.every((f) => texts.get(f.path) === f.text);
}
