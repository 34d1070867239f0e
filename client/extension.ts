// Extension entry: activation only — output channel, status bar, language server, commands, report, profiling results and the Redis panel.
import * as vscode from 'vscode';
import { CommandSitesRequest } from '../server/protocol';
import { fetchSummary, registerCommands } from './commands';
import { EventLog } from './log';
import { registerRedisPanel } from './panel/register';
import { HotLines } from './profiling/hotLines';
import { ResultPanel } from './profiling/resultPanel';
import { ReportView } from './report';
import { ServerManager } from './serverManager';
import { StatusBar } from './statusBar';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = new EventLog();
  const server = new ServerManager(context, log);
  const statusBar = new StatusBar();
  const report = new ReportView(context.extensionUri, () => fetchSummary(server));
  context.subscriptions.push(log, server, statusBar, report);
  context.subscriptions.push(
    server.onState((state) => statusBar.showServerState(state)),
    server.onStatus((status) => statusBar.showStatus(status)),
  );
  const resultPanel = new ResultPanel(context.extensionUri);
  const hotLines = new HotLines();
  context.subscriptions.push(resultPanel, hotLines);
  const profiling = { context, panel: resultPanel, hotLines, note: (detail: string) => log.channel.info(detail) };
  context.subscriptions.push(...registerCommands({ server, log, report, profiling }));
  context.subscriptions.push(
    registerRedisPanel(context, {
      findCommandSites: async (query) => {
        const client = server.running;
        if (!client) throw new Error('the Perf Advisor language server is not running');
        return client.sendRequest(CommandSitesRequest, query);
      },
      log: (event, detail) => log.event(event, `redis panel: ${detail}`),
      timed: (name, work) => log.timed(name, work),
    }),
  );
  await log
    .timed('start language server', () => server.start())
    .catch((error: unknown) => {
      void vscode.window
        .showErrorMessage(
          `Perf Advisor: the language server did not start: ${error instanceof Error ? error.message : String(error)}`,
          'Show Output',
        )
        .then((choice) => {
          if (choice) log.channel.show();
        });
    });
}

export function deactivate(): void {
  // Disposables registered in activate() stop the server.
}
