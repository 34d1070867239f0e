// What every profiling command shares: the trusted-workspace gate, cancellable progress, the results folder, the Redis to watch.
import * as vscode from 'vscode';
import { activeConnection, describeTarget } from '../../measure/redis/config';
import { connectWithRetry, openConnection, type OpenConnection } from '../../measure/redis/connection';
import { CancelledError } from '../../measure/retry';
import { passwordKey, readSettings } from '../panel/provider';

/** A failure already shown to the user: the command logs `failed` and resolves to undefined instead of throwing on. */
export class ReportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedError';
  }
}

/** Profiling runs the workspace's code or sends it traffic: only in a trusted workspace. */
export function requireTrust(what: string): void {
  if (vscode.workspace.isTrusted) return;
  void vscode.window.showWarningMessage(
    `Perf Advisor: ${what} runs or loads your code, so it needs a trusted workspace (Workspaces: Manage Workspace Trust).`,
  );
  throw new ReportedError(`${what} needs a trusted workspace`);
}

/** Shows `message` as an error notification and fails the command with it. */
export function reportFailure(message: string): never {
  void vscode.window.showErrorMessage(`Perf Advisor: ${message}`);
  throw new ReportedError(message);
}

export interface Reporter {
  signal: AbortSignal;
  report(message: string, fraction: number | null): void;
}

/** Runs `work` with a cancellable notification; progress fractions become the bar's increments. */
export function withCancellableProgress<T>(title: string, work: (reporter: Reporter) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Perf Advisor: ${title}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        let done = 0;
        try {
          return await work({
            signal: controller.signal,
            report: (message, fraction) => {
              const increment = fraction === null ? undefined : Math.max(0, fraction * 100 - done);
              if (increment !== undefined) done += increment;
              progress.report({ message, increment });
            },
          });
        } finally {
          subscription.dispose();
        }
      },
    ),
  );
}

/** Cancellation is the user's choice: a short status message, and the command fails as cancelled. */
export function cancelled(what: string): never {
  void vscode.window.setStatusBarMessage(`Perf Advisor: ${what} cancelled`, 5000);
  throw new ReportedError(`${what} cancelled`);
}

export const isCancelled = (error: unknown) => error instanceof CancelledError;

/** Where results are kept: the first workspace folder, else the extension's global storage. */
export function resultsRoot(context: vscode.ExtensionContext): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? context.globalStorageUri.fsPath;
}

/**
 * The active Redis connection of the panel's settings, opened read-only (password from SecretStorage) to watch during
 * a run; undefined when none is configured, a note when it cannot be reached.
 */
export async function openWatchedRedis(
  context: vscode.ExtensionContext,
  signal: AbortSignal,
): Promise<{ connection: OpenConnection; target: string } | { error: string; target: string } | undefined> {
  const { settings } = readSettings();
  const connection = activeConnection(settings);
  if (!connection) return undefined;
  const target = `${connection.name} (${describeTarget(connection)})`;
  try {
    const password = await context.secrets.get(passwordKey(connection.name));
    const open = await connectWithRetry(
      () => openConnection(connection, { password, connectTimeoutMs: settings.connectTimeoutMs }),
      { signal },
    );
    return { connection: open, target };
  } catch (error) {
    return { error: `Redis ${target} unavailable: ${(error as Error).message}`, target };
  }
}
