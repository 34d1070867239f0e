// Messages between runLoadTest and the load generator's worker thread (autocannon runs there, off the caller's event loop).

/** What the worker is asked to run (workerData). */
export interface WorkerJob {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationS?: number;
  requests?: number;
  rate?: number;
  timeoutS: number;
  keepRawLatencies: boolean;
}

/** Responses counted so far, sent every PROGRESS_INTERVAL_MS. */
export interface WorkerProgress {
  type: 'progress';
  responses: number;
  elapsedMs: number;
}

export interface WorkerTotals {
  responses: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationS: number;
  bytes: number;
  connections: number;
}

export interface WorkerDone {
  type: 'done';
  /** The latency histogram (µs), HdrHistogram's compressed base64 form. */
  histogram: string;
  /** The same without correction, when the run was corrected (to show what the correction changed). */
  uncorrectedHistogram: string | null;
  /** Gap between two requests of one connection at the asked rate; null without a rate. */
  expectedIntervalMs: number | null;
  totals: WorkerTotals;
  /** Every response latency in ms, when asked for (capped at MAX_RAW_LATENCIES). */
  raw: number[] | null;
  /** Share of the run the worker's event loop was busy (its ELU): near 1, the load generator is the bottleneck. */
  busyShare: number;
}

export interface WorkerFailed {
  type: 'failed';
  message: string;
}

export type FromWorker = WorkerProgress | WorkerDone | WorkerFailed;
export type ToWorker = { type: 'stop' };

export const PROGRESS_INTERVAL_MS = 250;
export const MAX_RAW_LATENCIES = 1_000_000;
