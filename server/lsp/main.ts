// Entry of dist/server.js: the language server (IPC or --stdio), or, inside its worker thread, the analysis worker.
import { isMainThread, workerData } from 'node:worker_threads';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startAnalysisWorker } from './analysisWorker';
import { PerfAdvisorServer } from './server';
import { WORKER_ROLE } from './workerProtocol';

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === WORKER_ROLE) {
  startAnalysisWorker();
} else {
  // createConnection picks the transport from the command line: --node-ipc (VS Code), --stdio (tests, other editors).
  const connection = createConnection(ProposedFeatures.all);
  new PerfAdvisorServer(connection, __filename).listen();
}
