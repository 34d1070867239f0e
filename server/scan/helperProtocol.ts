// Messages between a scan pool and its helper threads; each helper holds every file and analyses the ones it is sent.
import type { AnalysisResult, Config, FolderConfig, SessionOptions, SourceInput, TypesSummary } from '../engine';

/** workerData role that makes a bundle (dist/cli.js, dist/analysisWorker.js) start as a scan helper. */
export const SCAN_HELPER_ROLE = 'perf-advisor-scan-helper';

/** What a helper starts with: the whole project (cross-file facts need every file), its settings, a cancel flag. */
export interface HelperSetup {
  role: typeof SCAN_HELPER_ROLE;
  files: SourceInput[];
  config: Config;
  folders: FolderConfig[];
  session: SessionOptions;
  /** Int32 flag set by the pool to stop between files (and between rules of a file). */
  cancel: SharedArrayBuffer;
}

export type ToHelper = { kind: 'analyze'; paths: string[] };

export type FromHelper =
  | {
      kind: 'results';
      results: { path: string; result: AnalysisResult }[];
      /** With types on: the checker's work in this helper so far (summed over helpers by the pool). */
      types?: TypesSummary;
    }
  | { kind: 'failed'; message: string };
