// A scan helper thread: parses the whole project into its own session, then analyses the batches of files it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisSession, type AnalysisResult } from '../engine';
import { SCAN_HELPER_ROLE, type FromHelper, type HelperSetup, type ToHelper } from './helperProtocol';

/** True in a thread a scan pool started (the bundles check this before doing anything else). */
export function isScanHelperThread(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === SCAN_HELPER_ROLE;
}

export function startScanHelper(): void {
  const port = parentPort;
  if (!port) throw new Error('a scan helper must run in a worker thread');
  const setup = workerData as HelperSetup;
  const post = (message: FromHelper) => port.postMessage(message);
  const flag = new Int32Array(setup.cancel);
  const token = {
    get isCancellationRequested() {
      return Atomics.load(flag, 0) !== 0;
    },
  };
  let session: AnalysisSession;
  try {
    // Lazily parsed: a helper parses only the files its share reaches (imports, importers), not the whole project.
    session = new AnalysisSession(setup.config, { ...setup.session, lazyParse: true });
    if (setup.folders.length > 0) session.setConfig(setup.config, setup.folders);
    // Every file, in the order the pool's owner added them: the same project state as a one-thread run.
    for (const file of setup.files) session.upsertFile(file.path, file.text);
  } catch (error) {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: ToHelper) => {
    const results: { path: string; result: AnalysisResult }[] = [];
    for (const path of message.paths) {
      if (token.isCancellationRequested) break;
      const result = session.analyzeFile(path, token);
      if (session.lazyParseFailed()) {
        // A file the parser gives up on is absent from a one-thread run: this helper's answers could differ from
        // that, so it stops and its batch goes to the others (in the end to the owner, which parses every file).
        post({ kind: 'failed', message: `a file could not be parsed here (${path} reached it)` });
        process.exit(0);
      }
      if (result.cancelled) break;
      results.push({ path, result });
    }
    post({
      kind: 'results',
      results,
      ...(setup.session.types ? { types: session.typesSummary() } : {}),
    });
  });
}
