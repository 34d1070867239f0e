// Entry of dist/server.js: the language server (IPC or --stdio). The engine runs in the worker thread of dist/analysisWorker.js.
import { join } from 'node:path';
import { prewarmAnalysisWorker } from './analysisHost';

/** The worker bundle sits next to this one; this thread never loads the engine or TypeScript. */
const workerScript = join(__dirname, 'analysisWorker.js');
// The worker loads the engine while this thread loads the LSP side (lazy requires below keep that order).
prewarmAnalysisWorker(workerScript);
/* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: loaded after the worker has started */
const { ProposedFeatures, createConnection } =
  require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
const { PerfAdvisorServer } = require('./server') as typeof import('./server');
/* eslint-enable @typescript-eslint/no-require-imports */
// createConnection picks the transport from the command line: --node-ipc (VS Code), --stdio (tests, other editors).
const connection = createConnection(ProposedFeatures.all);
new PerfAdvisorServer(connection, workerScript).listen();
