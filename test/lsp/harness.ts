// Typed LSP test client: forks dist/server.js --stdio, plays the editor (documents, settings, progress) and records what the server sends.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExecuteCommandRequest,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  CancellationTokenSource,
  DiagnosticRefreshRequest,
  DidChangeWorkspaceFoldersNotification,
  DidChangeWatchedFilesNotification,
  type FileEvent,
  LogMessageNotification,
  type CodeAction,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type ProgressToken,
  type ProtocolConnection,
  type Range,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalyzeWorkspaceRequest,
  FindingsSummaryRequest,
  CommandSitesRequest,
  StatusNotification,
  type CommandSitesParams,
} from '../../server/protocol';

export const SERVER_SCRIPT = resolve(__dirname, '../../dist/server.js');
const DEFAULT_TIMEOUT_MS = 60_000;

export type ProgressEvent = {
  token: ProgressToken;
  value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;
};

export interface StartOptions {
  /** Workspace folder (absolute); omitted = no folder, no scan. */
  workspace?: string;
  /** Several workspace folders (absolute), instead of `workspace`. */
  folders?: string[];
  /** Folder-level `perfAdvisor` sections, keyed by folder path; a folder without one gets `settings`. */
  folderSettings?: Record<string, Record<string, unknown>>;
  /** The raw `perfAdvisor` settings section the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /**
   * false: the client cannot pull diagnostics (no textDocument.diagnostic), so the server pushes them for open files
   * too.
   */
  pullDiagnostics?: boolean;
  /** The client resolves code actions' edits lazily (`codeAction/resolve`), as VS Code does. */
  resolveSupport?: boolean;
  /** false: the client announces no `workspace/configuration` (settings only arrive through didChangeConfiguration). */
  pullSettings?: boolean;
  /** The client's `window.showDocument.support` (true unless told). */
  showDocument?: boolean;
}

export class LspTestClient {
  readonly events = new EventEmitter();
  readonly messages: { type: number; message: string }[] = [];
  /** window/logMessage lines (the output channel in VS Code). */
  readonly logs: { type: number; message: string }[] = [];
  readonly progress: ProgressEvent[] = [];
  readonly published = new Map<string, Diagnostic[]>();
  readonly shownDocuments: string[] = [];
  refreshCount = 0;
  settings: Record<string, unknown>;
  /** Folder-level sections by folder URI (workspace/configuration items with that scopeUri). */
  readonly folderSettings = new Map<string, Record<string, unknown>>();
  private readonly documents = new Map<string, TextDocument>();
  private stderr = '';

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [SERVER_SCRIPT, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspTestClient(child, connection, options.settings ?? {});
    for (const [path, settings] of Object.entries(options.folderSettings ?? {}))
      client.folderSettings.set(pathToFileURL(path).href, settings);
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    client.wire();
    connection.listen();
    const paths = options.folders ?? (options.workspace ? [options.workspace] : []);
    const folder = paths.length > 0 ? paths.map(workspaceFolder) : null;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder?.[0]?.uri ?? null,
      workspaceFolders: folder,
      initializationOptions: { clientCommands: ['perfAdvisor.disableRule'], ...options.initializationOptions },
      capabilities: {
        textDocument: {
          ...(options.pullDiagnostics === false
            ? {}
            : { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }),
          codeAction: {
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite', 'source.fixAll'] },
            },
            ...(options.resolveSupport ? { dataSupport: true, resolveSupport: { properties: ['edit'] } } : {}),
          },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        },
        workspace: {
          configuration: options.pullSettings !== false,
          workspaceFolders: true,
          diagnostics: { refreshSupport: true },
          didChangeConfiguration: { dynamicRegistration: true },
        },
        window: { workDoneProgress: true, showDocument: { support: options.showDocument !== false } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wire(): void {
    const c = this.connection;
    c.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) =>
        item.section === 'perfAdvisor'
          ? ((item.scopeUri && this.folderSettings.get(item.scopeUri)) ?? this.settings)
          : null,
      ),
    );
    c.onRequest(RegistrationRequest.type, () => undefined);
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    c.onRequest(DiagnosticRefreshRequest.type, () => {
      this.refreshCount++;
      this.events.emit('refresh');
    });
    c.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params.uri);
      return { success: true };
    });
    c.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params);
      this.events.emit('message', params);
      return null;
    });
    c.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
      this.events.emit('message', params);
    });
    c.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      this.events.emit('log', params);
    });
    c.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, params.diagnostics);
      this.events.emit('publish', params);
    });
    c.onNotification('$/progress', (params: ProgressEvent) => {
      this.progress.push(params);
      this.events.emit('progress', params);
    });
    c.onNotification(StatusNotification, (params) => {
      this.events.emit('status', params);
    });
  }

  /** Resolves when `check` returns a value for an event (or already does now); rejects after the timeout. */
  waitFor<T>(event: string, check: (payload: unknown) => T | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const initial = check(undefined);
      if (initial !== undefined) return resolvePromise(initial);
      const timer = setTimeout(() => {
        this.events.off(event, listener);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for "${event}"; server stderr:\n${this.stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const listener = (payload: unknown) => {
        const value = check(payload);
        if (value === undefined) return;
        clearTimeout(timer);
        this.events.off(event, listener);
        resolvePromise(value);
      };
      this.events.on(event, listener);
    });
  }

  open(path: string, text: string, languageId = 'typescript'): string {
    const uri = pathToFileURL(path).href;
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return uri;
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  private document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    return document;
  }

  /** Applies incremental edits to the open document and sends them, as an editor does while typing. */
  edit(uri: string, edits: { range: Range; text: string }[]): void {
    const document = this.document(uri);
    const version = document.version + 1;
    TextDocument.update(
      document,
      edits.map((e) => ({ range: e.range, text: e.text })),
      version,
    );
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: edits,
    });
  }

  close(uri: string): void {
    this.documents.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async pull(uri: string, token?: CancellationTokenSource): Promise<Diagnostic[]> {
    const report = await this.connection.sendRequest(
      DocumentDiagnosticRequest.type,
      { textDocument: { uri } },
      token?.token,
    );
    return (report as FullDocumentDiagnosticReport).items;
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    }) as Promise<CodeAction[]>;
  }

  /** `codeAction/resolve`: the server fills in the action's edit. */
  resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest(CodeActionResolveRequest.type, action) as Promise<CodeAction>;
  }

  /**
   * Applies a workspace edit's text edits (`changes` or `documentChanges`; ranges refer to the text before the edit)
   * to the open documents, each as one full-text change.
   */
  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    const perUri = new Map<string, { range: Range; newText: string }[]>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.set(uri, [...edits]);
    for (const change of edit.documentChanges ?? [])
      if ('textDocument' in change)
        perUri.set(change.textDocument.uri, [
          ...(perUri.get(change.textDocument.uri) ?? []),
          ...change.edits.map((e) => ({ range: e.range, newText: 'newText' in e ? e.newText : '' })),
        ]);
    for (const [uri, edits] of perUri) {
      const document = this.documents.get(uri);
      if (!document) continue;
      const text = TextDocument.applyEdits(document, edits);
      this.edit(uri, [
        { range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) }, text },
      ]);
    }
  }

  /** Applies a workspace edit's changes to the open documents (and tells the server), as the editor would. */
  applyEdit(edit: WorkspaceEdit): void {
    for (const [uri, edits] of Object.entries(edit.changes ?? {}))
      this.edit(
        uri,
        edits.map((e) => ({ range: e.range, text: e.newText })),
      );
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  changeSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /**
   * Pushes the settings in `workspace/didChangeConfiguration` (`{ perfAdvisor: … }`), as Neovim, Emacs and Sublime do.
   */
  pushSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { perfAdvisor: settings },
    });
  }

  /** Adds and removes workspace folders (absolute paths), as the editor does when the user edits the workspace. */
  changeFolders(change: { added?: string[]; removed?: string[] }): void {
    void this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: (change.added ?? []).map(workspaceFolder), removed: (change.removed ?? []).map(workspaceFolder) },
    });
  }

  /** Files changed on disk, as the editor's file watcher reports them. */
  changeWatchedFiles(changes: FileEvent[]): void {
    void this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  cancelProgress(token: ProgressToken): void {
    void this.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
  }

  analyzeWorkspace(token?: CancellationTokenSource) {
    return this.connection.sendRequest(AnalyzeWorkspaceRequest, {}, token?.token);
  }

  summary() {
    return this.connection.sendRequest(FindingsSummaryRequest, {});
  }

  commandSites(query: CommandSitesParams) {
    return this.connection.sendRequest(CommandSitesRequest, query);
  }

  get stderrText(): string {
    return this.stderr;
  }

  /** Shuts the server down cleanly and waits for the process to exit. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    if (this.child.exitCode === null) {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

function workspaceFolder(path: string): { uri: string; name: string } {
  return { uri: pathToFileURL(path).href, name: basename(path) };
}
