// Entry of dist/server.js: the language server (IPC or --stdio), or, inside its worker thread, the analysis worker.
// Each role loads only its own modules (lazy requires), and the server starts its worker before loading its own.
import { isMainThread, workerData } from 'node:worker_threads';
import { prewarmAnalysisWorker } from './analysisHost';
import { WORKER_ROLE } from './workerProtocol';

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) {
  (require('./analysisWorker') as typeof import('./analysisWorker')).startAnalysisWorker();
} else {
  // The engine (TypeScript included) loads in the worker while this thread loads the LSP side.
  prewarmAnalysisWorker(__filename);
  const { ProposedFeatures, createConnection } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { PerfAdvisorServer } = require('./server') as typeof import('./server');
  // createConnection picks the transport from the command line: --node-ipc (VS Code), --stdio (tests, other editors).
  const connection = createConnection(ProposedFeatures.all);
  new PerfAdvisorServer(connection, __filename).listen();
}
