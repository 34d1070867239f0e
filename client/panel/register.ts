// Registers the Redis panel view and its commands (password in SecretStorage, connection choice, refresh, find in code).
import * as vscode from 'vscode';
import type { FindQuery } from './messages';
import { passwordKey, RedisPanelProvider, VIEW_ID, type CodeSite } from './provider';

export interface RedisPanelDeps {
  /** Code sites issuing a Redis command, optionally on a static key prefix (LSP request `perfAdvisor/commandSites`). */
  findCommandSites(query: { command?: string; keyPrefix?: string }): Promise<CodeSite[]>;
  /** The skill's logging hooks; the detail never contains a password. */
  log(event: 'invoked' | 'completed' | 'failed', detail: string): void;
  /** Runs a command between `invoked` and `completed`/`failed` events with its duration (the output channel). */
  timed<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/** Picks a configured connection (directly when there is only one). */
async function pickConnection(provider: RedisPanelProvider, title: string): Promise<string | undefined> {
  const names = provider.connections.map((c) => c.name);
  if (names.length === 0) {
    void vscode.window.showWarningMessage(
      'Perf Advisor: no Redis connection configured (setting perfAdvisor.redis.connections).',
    );
    return undefined;
  }
  if (names.length === 1) return names[0];
  return vscode.window.showQuickPick(names, { title });
}

export function registerRedisPanel(context: vscode.ExtensionContext, deps: RedisPanelDeps): vscode.Disposable {
  const provider = new RedisPanelProvider(context, deps);
  // every command logs the skill's events with its duration, like the commands of client/commands.ts
  const registerCommand = (id: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, (...args: never[]) => deps.timed(id, async () => handler(...args)));
  const disposables: vscode.Disposable[] = [
    provider,
    vscode.window.registerWebviewViewProvider(VIEW_ID, provider, {
      webviewOptions: { retainContextWhenHidden: false },
    }),

    registerCommand('perfAdvisor.redis.setPassword', async () => {
      const name = await pickConnection(provider, 'Set the Redis password of…');
      if (!name) return;
      const password = await vscode.window.showInputBox({
        title: `Redis password for "${name}"`,
        password: true,
        ignoreFocusOut: true,
        prompt: 'Stored in VS Code SecretStorage, never in settings.',
      });
      if (password === undefined) return;
      await context.secrets.store(passwordKey(name), password);
      deps.log('completed', `redis password stored for ${name}`);
      if (name === provider.activeConnectionName) await provider.reconnect();
    }),

    registerCommand('perfAdvisor.redis.clearPassword', async () => {
      const name = await pickConnection(provider, 'Clear the Redis password of…');
      if (!name) return;
      await context.secrets.delete(passwordKey(name));
      deps.log('completed', `redis password cleared for ${name}`);
      void vscode.window.showInformationMessage(`Perf Advisor: Redis password of "${name}" cleared.`);
    }),

    registerCommand('perfAdvisor.redis.selectConnection', async () => {
      const name = await pickConnection(provider, 'Active Redis connection');
      if (!name) return;
      const config = vscode.workspace.getConfiguration('perfAdvisor.redis');
      const inspected = config.inspect('activeConnection');
      const target =
        inspected?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
      await config.update('activeConnection', name, target);
      provider.reload(); // also triggered by the configuration event; reload is idempotent
    }),

    registerCommand('perfAdvisor.redis.refresh', () => provider.refresh()),

    // Internal (hidden from the palette): used by the panel and the end-to-end tests.
    registerCommand('perfAdvisor.redis.findInCode', (query: FindQuery, label?: string) =>
      provider.findInCode(query, label ?? [query.command, query.keyPrefix].filter(Boolean).join(' ')),
    ),
    registerCommand('perfAdvisor.redis.analyzeKeyspace', () => provider.analyzeKeyspace()),
  ];
  return vscode.Disposable.from(...disposables);
}
