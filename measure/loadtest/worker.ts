// The load generator's worker thread: runs autocannon, records every response latency into an HdrHistogram, reports progress.
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createHistogram, encodeHistogram, recordLatency } from './histogram';
import {
  MAX_RAW_LATENCIES,
  PROGRESS_INTERVAL_MS,
  type FromWorker,
  type ToWorker,
  type WorkerJob,
} from './workerProtocol';

const job = workerData as WorkerJob;
const send = (message: FromWorker) => parentPort?.postMessage(message);

const corrected = createHistogram();
const uncorrected = job.rate ? createHistogram() : undefined;
const raw: number[] | null = job.keepRawLatencies ? [] : null;
let responses = 0;
const started = performance.now();
const eluBefore = performance.eventLoopUtilization();

const progress = setInterval(
  () => send({ type: 'progress', responses, elapsedMs: performance.now() - started }),
  PROGRESS_INTERVAL_MS,
);

/** autocannon rejects keys present with undefined values ("duration entered was in an invalid format"). */
const options: autocannon.Options = {
  url: job.url,
  method: job.method as autocannon.Request['method'],
  headers: job.headers,
  connections: job.connections,
  timeout: job.timeoutS,
};
if (job.body !== undefined) options.body = job.body;
if (job.requests !== undefined) options.amount = job.requests;
else options.duration = job.durationS ?? 10;
if (job.rate !== undefined) {
  options.overallRate = job.rate;
  // autocannon's own correction uses a 1 ms interval whatever the rate; its histogram is not read, so skip that work
  options.ignoreCoordinatedOmission = true;
}

const instance = autocannon(options, (error, result) => {
  clearInterval(progress);
  if (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  send({
    type: 'done',
    histogram: encodeHistogram(corrected),
    uncorrectedHistogram: uncorrected ? encodeHistogram(uncorrected) : null,
    expectedIntervalMs: job.rate ? (1000 * Math.min(job.connections, job.rate)) / job.rate : null,
    totals: {
      responses,
      errors: result.errors - result.timeouts,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes,
      durationS: (performance.now() - started) / 1000,
      bytes: (result as unknown as { totalBytes: number }).totalBytes,
      connections: Math.min(job.connections, job.rate ?? job.connections),
    },
    raw,
    busyShare: performance.eventLoopUtilization(eluBefore).utilization,
  });
});

// One event per response; the client's own rate gives its expected interval (autocannon spreads the rate over
// connections).
/** The instance's per-response event, which @types/autocannon does not declare. */
const responseEvents = instance as unknown as {
  on(event: 'response', listener: (client: { rate?: number }, status: number, bytes: number, ms: number) => void): void;
};
responseEvents.on('response', (client, _statusCode, _bytes, latencyMs) => {
  responses++;
  const rate = job.rate ? client.rate : undefined;
  recordLatency(corrected, latencyMs, rate ? 1000 / rate : undefined);
  if (uncorrected) recordLatency(uncorrected, latencyMs);
  if (raw && raw.length < MAX_RAW_LATENCIES) raw.push(latencyMs);
});

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'stop') instance.stop();
});
