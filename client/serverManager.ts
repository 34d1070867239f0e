// Starts, stops and restarts the language server over IPC; restarts it after a crash and tells the user when it keeps crashing.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DISABLE_RULE_COMMAND, SETTINGS_SECTION, StatusNotification, type StatusParams } from '../server/protocol';
import type { EventLog } from './log';

/** More crashes than this within the window stop the automatic restarts. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

const DOCUMENT_SELECTOR = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'].map((language) => ({
  scheme: 'file',
  language,
}));

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly crashes: number[] = [];
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  private readonly stateEmitter = new vscode.EventEmitter<'running' | 'starting' | 'stopped'>();
  /** Server status updates (analysis state, finding count). */
  readonly onStatus = this.statusEmitter.event;
  /** Whether the server process is running. */
  readonly onState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: EventLog,
  ) {}

  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  /** The running client, or undefined: callers decide what "not running" means for them. */
  get running(): LanguageClient | undefined {
    return this.isRunning ? this.client : undefined;
  }

  async start(): Promise<void> {
    if (this.client) return;
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.log.channel,
      // Sources changed on disk, and .gitignore files (they decide which files the scan and the open-file checks leave
      // out).
      synchronize: {
        fileEvents: [
          vscode.workspace.createFileSystemWatcher('**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'),
          vscode.workspace.createFileSystemWatcher('**/.gitignore'),
        ],
      },
      initializationOptions: {
        storagePath: this.context.storageUri?.fsPath,
        globalStoragePath: this.context.globalStorageUri.fsPath,
        clientCommands: [DISABLE_RULE_COMMAND],
      },
      diagnosticPullOptions: { onChange: true, onSave: true },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => this.onClosed(),
      },
    };
    const client = new LanguageClient(SETTINGS_SECTION, 'Perf Advisor', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      this.stateEmitter.fire(
        event.newState === State.Running ? 'running' : event.newState === State.Starting ? 'starting' : 'stopped',
      );
    });
    client.onNotification(StatusNotification, (params) => this.statusEmitter.fire(params));
    this.stateEmitter.fire('starting');
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      this.stateEmitter.fire('stopped');
      throw error;
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.dispose(5000).catch(() => undefined);
    this.stateEmitter.fire('stopped');
  }

  async restart(): Promise<void> {
    this.crashes.length = 0;
    await this.stop();
    await this.start();
  }

  private onClosed(): { action: CloseAction; handled: boolean } {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0]! > CRASH_WINDOW_MS) this.crashes.shift();
    this.log.event(
      'failed',
      `language server stopped unexpectedly (${this.crashes.length} time(s) in the last 3 minutes)`,
    );
    if (this.crashes.length <= MAX_CRASHES) return { action: CloseAction.Restart, handled: true };
    void vscode.window
      .showErrorMessage(
        `Perf Advisor: the language server crashed ${this.crashes.length} times in 3 minutes and was not restarted.`,
        'Show Output',
        'Restart Server',
      )
      .then((choice) => {
        if (choice === 'Show Output') this.log.channel.show();
        if (choice === 'Restart Server') void vscode.commands.executeCommand('perfAdvisor.restartServer');
      });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
    this.stateEmitter.dispose();
  }
}
