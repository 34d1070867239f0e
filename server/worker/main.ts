// Entry of dist/analysisWorker.js: the analysis worker thread the language server starts (the engine and TypeScript load here only).
import { isMainThread, workerData } from 'node:worker_threads';
import { startAnalysisWorker } from './analysisWorker';
import { WORKER_ROLE } from './protocol';
import { isScanHelperThread, startScanHelper } from '../scan/helper';

// The analysis worker starts its workspace-scan helpers from this same bundle.
if (isScanHelperThread()) startScanHelper();
else if (isMainThread || (workerData as { role?: string } | undefined)?.role !== WORKER_ROLE) {
  throw new Error('dist/analysisWorker.js is started by the language server (dist/server.js) as its worker thread');
} else startAnalysisWorker();
