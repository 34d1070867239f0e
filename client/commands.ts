// Every command in one table of factories, registered in one loop; each says what it does when the server is not running.
import * as vscode from 'vscode';
import {
  AnalyzeWorkspaceRequest,
  FindingsSummaryRequest,
  SETTINGS_SECTION,
  type AnalyzeWorkspaceResult,
  type FindingsSummary,
} from '../server/protocol';
import type { EventLog } from './log';
import { loadTestCommand, profileCommand, type ProfilingDeps } from './profiling/commands';
import { ReportedError } from './profiling/common';
import { diagnoseCommand } from './profiling/diagnoseCommand';
import type { ReportView } from './report';
import type { ServerManager } from './serverManager';

export interface CommandContext {
  server: ServerManager;
  log: EventLog;
  report: ReportView;
  profiling: ProfilingDeps;
}

type CommandHandler = (...args: unknown[]) => Promise<unknown>;

/** Tells the user the server is down and offers a restart; the command then resolves to undefined. */
async function serverNotRunning(what: string): Promise<undefined> {
  const choice = await vscode.window.showWarningMessage(
    `Perf Advisor: cannot ${what}: the language server is not running.`,
    'Restart Server',
    'Show Output',
  );
  if (choice === 'Restart Server') await vscode.commands.executeCommand('perfAdvisor.restartServer');
  if (choice === 'Show Output') await vscode.commands.executeCommand('perfAdvisor.showOutput');
  return undefined;
}

export async function fetchSummary(server: ServerManager): Promise<FindingsSummary | undefined> {
  return server.running?.sendRequest(FindingsSummaryRequest, {});
}

/** Command id → factory. Return values are for tests and other extensions. */
export const commandFactories: Record<string, (ctx: CommandContext) => CommandHandler> = {
  'perfAdvisor.analyzeWorkspace': (ctx) => async (): Promise<AnalyzeWorkspaceResult | undefined> => {
    const client = ctx.server.running;
    if (!client) return serverNotRunning('analyse the workspace');
    // The server reports progress (files done / total, cancellable) itself.
    const result = await client.sendRequest(AnalyzeWorkspaceRequest, {});
    const how = result.cancelled ? 'cancelled after' : 'analysed';
    void vscode.window.setStatusBarMessage(
      `Perf Advisor: ${how} ${result.files} files, ${result.findings} finding(s) in ${(result.durationMs / 1000).toFixed(1)} s`,
      8000,
    );
    return result;
  },

  'perfAdvisor.showReport': (ctx) => async (): Promise<FindingsSummary | undefined> => {
    const summary = await fetchSummary(ctx.server);
    if (!summary) return serverNotRunning('show the report');
    ctx.report.show(summary);
    return summary;
  },

  'perfAdvisor.restartServer': (ctx) => async (): Promise<boolean> => {
    await ctx.server.restart();
    return ctx.server.isRunning;
  },

  'perfAdvisor.showOutput': (ctx) => async (): Promise<boolean> => {
    ctx.log.channel.show(true);
    return true;
  },

  // Behind the "Disable rule in settings" code action; needs no server (it edits settings only).
  // `uri` is the file of the diagnostic: settings are per folder, so the change goes where that file's value is
  // decided.
  'perfAdvisor.disableRule':
    () =>
    async (ruleId: unknown, uri?: unknown): Promise<boolean> => {
      if (typeof ruleId !== 'string' || !/^[a-z0-9-]+$/.test(ruleId)) return false;
      const resource = typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
      const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
      const key = `rules.${ruleId}.enabled`;
      const folderDecides = resource !== undefined && config.inspect(key)?.workspaceFolderValue !== undefined;
      const target = folderDecides
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : vscode.workspace.workspaceFolders?.length
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
      await config.update(key, false, target);
      void vscode.window.setStatusBarMessage(`Perf Advisor: ${ruleId} disabled (setting perfAdvisor.${key})`, 8000);
      return true;
    },

  // Profiling (trusted workspaces only; they need no language server, except Diagnose for its findings).
  // An argument object skips the prompts (see LoadTestArgs, ProfileArgs, DiagnoseArgs).
  'perfAdvisor.loadTest': (ctx) => (args?: unknown) => loadTestCommand(ctx.profiling, args),

  'perfAdvisor.profileScript': (ctx) => (args?: unknown) => profileCommand(ctx.profiling, args, 'script'),

  'perfAdvisor.attachProfiler': (ctx) => (args?: unknown) => profileCommand(ctx.profiling, args, 'attach'),

  'perfAdvisor.diagnose': (ctx) => async (args?: unknown) => {
    // without the server the tree still runs on measurements; the findings it would add are said to be missing
    if (!ctx.server.isRunning)
      ctx.profiling.note('diagnose: the language server is not running, so no static findings');
    return diagnoseCommand(ctx.profiling, args);
  },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, factory]) => {
    const handler = factory(ctx);
    return vscode.commands.registerCommand(id, (...args: unknown[]) =>
      ctx.log
        .timed(id, () => handler(...args))
        .catch((error: unknown) => {
          // already shown to the user and logged as `failed`: the command resolves to undefined
          if (error instanceof ReportedError) return undefined;
          throw error;
        }),
    );
  });
}
