// The language server: documents, pull diagnostics for open files, pushed results for closed ones, code actions, custom requests.
import { createHash } from 'node:crypto';
import {
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  FileChangeType,
  ResponseError,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  AnalyzeWorkspaceRequest,
  CommandSitesParams,
  CommandSitesRequest,
  DISABLE_RULE_COMMAND,
  FindingsSummaryRequest,
  InitializationOptions,
  SHOW_DOCUMENTATION_COMMAND,
} from '../protocol';
import { isInside } from '../workspace';
import { AnalysisHost, type CancelSignal } from './analysisHost';
import { clientFeaturesOf, initializeResult, type ClientFeatures } from './clientFeatures';
import { codeActionsFor, resolveAll, resolveCodeAction, type FixResolver } from './codeActions';
import { diagnosticsFor, summarize } from './diagnostics';
import { EditScheduler } from './editScheduler';
import { WorkspaceFolderSet } from './folders';
import { OpenFiles } from './openFiles';
import { Results } from './results';
import { SettingsReader } from './settings';
import { StatusReporter } from './status';
import { WorkspaceScan } from './workspaceScan';
import type { FileOutcome } from '../worker/protocol';

export class PerfAdvisorServer {
  private readonly openFiles: OpenFiles;
  private readonly host: AnalysisHost;
  /** Latest outcome per file (open and closed), for the summary and for pushing. */
  private readonly results: Results;
  private readonly edits: EditScheduler;
  private options: InitializationOptions = InitializationOptions.parse({});
  private readonly folders = new WorkspaceFolderSet((message) => this.log('info', message));
  /** Folder changes are handled one at a time, in order. */
  private folderChanges: Promise<void> = Promise.resolve();
  private client: ClientFeatures = clientFeaturesOf({});
  /** Settles once the first settings are read: pulls wait for it, so no file is judged with the defaults by mistake. */
  private readonly settingsRead: Promise<void>;
  private markSettingsRead!: () => void;
  private settings!: SettingsReader;
  private scan!: WorkspaceScan;
  private readonly status: StatusReporter;

  constructor(
    private readonly connection: Connection,
    workerScript: string,
  ) {
    this.status = new StatusReporter(connection, () => this.results.findingCount());
    this.settingsRead = new Promise<void>((resolve) => (this.markSettingsRead = resolve));
    this.host = new AnalysisHost(workerScript, {
      log: (level, message) => this.log(level, message),
      restarted: () => void this.afterWorkerRestart(),
    });
    this.openFiles = new OpenFiles(this.host, (path) => this.isExcluded(path));
    this.results = new Results(
      connection,
      this.openFiles,
      () => this.client.pullDiagnostics,
      () => this.status.schedule(),
    );
    this.edits = new EditScheduler({
      pushMode: () => !this.client.pullDiagnostics,
      flush: (document, path) => this.openFiles.flush(document, path),
      analyzeAndPush: (paths, token) => this.analyzeAndPush(paths, token),
      dependentsOf: (path) => this.host.dependentsOf(path),
      isOpen: (path) => this.openFiles.isSent(path),
      refreshOpen: () => this.refreshOpen(),
      log: (message) => this.log('error', message),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.initialized());
    c.onShutdown(() => {
      this.edits.dispose();
      return this.host.dispose();
    });
    c.onDidChangeConfiguration((params) => {
      this.settings.receivePushed(params.settings);
      void this.configurationChanged();
    });
    c.onDidChangeWatchedFiles((params) => void this.filesChangedOnDisk(params.changes));
    c.languages.diagnostics.on(async (params, token) => {
      await this.settingsRead;
      const document = this.openFiles.documents.get(params.textDocument.uri);
      const path = document && this.openFiles.pathOf(document.uri);
      if (!document || !path || this.isExcluded(path)) return { kind: 'full', items: [] };
      const outcome = await this.analyzeOpen(document, path, token);
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      const items = diagnosticsFor(outcome, this.openFiles.uriOf, true);
      const resultId = createHash('sha1').update(JSON.stringify(items)).digest('hex');
      if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
      return { kind: 'full', resultId, items };
    });
    c.onCodeAction((params) => {
      const document = this.openFiles.documents.get(params.textDocument.uri);
      if (!document) return [];
      const actions = codeActionsFor(document, params.context.diagnostics, {
        canDisableRule: this.options.clientCommands.includes(DISABLE_RULE_COMMAND),
        canShowDocuments: this.client.showDocuments,
        only: params.context.only,
      });
      return this.client.resolveEdits ? actions : resolveAll(actions, this.fixResolver());
    });
    c.onCodeActionResolve((action) => resolveCodeAction(action, this.fixResolver()));
    c.onExecuteCommand(async (params) => {
      if (params.command !== SHOW_DOCUMENTATION_COMMAND || !this.client.showDocuments) return;
      const url = params.arguments?.[0];
      if (typeof url === 'string' && /^https?:\/\//.test(url))
        await c.window.showDocument({ uri: url, external: true });
    });
    c.onRequest(FindingsSummaryRequest, () =>
      summarize(this.results.values(), this.openFiles.uriOf, this.status.state, this.status.progress),
    );
    c.onRequest(CommandSitesRequest, async (params) => {
      const query = CommandSitesParams.safeParse(params ?? {});
      if (!query.success)
        throw new ResponseError(
          ErrorCodes.InvalidParams,
          `perfAdvisor/commandSites: ${query.error.issues[0]?.message}`,
        );
      this.openFiles.flushAll();
      const sites = await this.host.commandSites(query.data);
      return sites.map((site) => ({ uri: this.openFiles.uriOf(site.path), range: site.range }));
    });
    c.onRequest(AnalyzeWorkspaceRequest, async (_params, token) => {
      const result = await this.scan.run(token);
      return { ...result, findings: this.results.findingCount() };
    });

    // TextDocuments fires the open event, then a content change with the same event object: the open handles that one.
    const openEvents = new WeakSet<object>();
    this.openFiles.documents.onDidOpen(async (event) => {
      openEvents.add(event);
      const document = event.document;
      await this.settingsRead; // judged with the real settings, never the defaults of the first moments
      const path = this.openFiles.pathOf(document.uri);
      if (!path || this.openFiles.documents.get(document.uri) !== document || this.isExcluded(path)) return;
      this.openFiles.flush(document, path);
      // Open files are pulled; drop what was pushed for the file while it was closed.
      if (this.client.pullDiagnostics) this.results.clearPushed(path);
      if (!this.client.pullDiagnostics) void this.analyzeAndPush([path]);
    });
    this.openFiles.documents.onDidChangeContent(async (event) => {
      const document = event.document;
      const opened = openEvents.has(event);
      await this.settingsRead;
      const path = this.openFiles.pathOf(document.uri);
      if (path && !this.isExcluded(path)) this.edits.changed(document, path, { opened });
    });
    this.openFiles.documents.onDidClose(({ document }) => {
      const path = this.openFiles.pathOf(document.uri);
      if (!path || !this.openFiles.unsend(path)) return; // never sent: excluded
      if (this.folders.roots.length > 0 && !this.folders.folderOf(path)) {
        // Outside every workspace folder: the file was in the session only while open.
        this.forget([path]);
        return;
      }
      this.host.close(path); // the worker goes back to the text on disk
      void this.analyzeAndPush([path]);
    });
    this.openFiles.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const options = InitializationOptions.safeParse(params.initializationOptions ?? {});
    if (options.success) this.options = options.data;
    this.folders.add(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []));
    this.client = clientFeaturesOf(params.capabilities);
    this.settings = new SettingsReader(this.connection, this.client.pullSettings);
    this.scan = new WorkspaceScan(
      this.connection,
      this.host,
      {
        roots: () => this.folders.roots,
        storagePath: this.options.storagePath ?? this.options.globalStoragePath,
        canShowProgress: this.client.workDoneProgress,
      },
      {
        fileDone: (outcome) => this.results.store(outcome, true),
        fileRemoved: (path) => {
          this.results.delete(path);
        },
        progress: (done, total) => this.status.setProgress(done, total),
        finished: (result) => {
          this.log(
            'info',
            `workspace scan: ${result.files} files (${result.fromCache} from cache, ${result.skipped} skipped) in ${result.durationMs} ms${result.cancelled ? ', cancelled' : ''}`,
          );
          this.status.setState('idle');
          this.refreshOpen();
        },
      },
    );
    return initializeResult(this.client);
  }

  /** Fixes are built by the worker on the text it holds: open documents are sent first. */
  private fixResolver(): FixResolver {
    return {
      resolveFix: (path, lazy) => {
        this.openFiles.flushAll();
        return this.host.resolveFix(path, lazy);
      },
      fixAll: (path, options) => {
        this.openFiles.flushAll();
        return this.host.fixAll(path, options);
      },
      pathOf: (uri) => this.openFiles.pathOf(uri),
      uriOf: (path) => this.openFiles.uriOf(path),
    };
  }

  private async initialized(): Promise<void> {
    if (this.client.watchSettings)
      void this.connection.client.register(DidChangeConfigurationNotification.type, undefined);
    if (this.client.watchFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        this.folderChanges = this.folderChanges.then(() => this.foldersChanged(event));
      });
    }
    await this.applySettings().finally(() => this.markSettingsRead());
    this.settings.warnIfNoneArrive();
    if (this.options.scanOnStartup && this.folders.roots.length > 0) void this.runScan();
    else this.status.setState('idle');
  }

  /** Reads the settings of the window and of every folder and hands them to the worker and the exclusion checks. */
  private async applySettings(): Promise<void> {
    const settings = await this.settings.read(this.folders.all);
    this.folders.setSettings(settings);
    this.host.setConfig(settings.config, settings.folders);
    this.dropExcluded();
  }

  /**
   * Files the settings now exclude leave the session and the Problems panel (open ones included: they are not
   * analysed).
   */
  private dropExcluded(): void {
    const open = this.openFiles.paths().filter((path) => this.openFiles.isSent(path) && this.isExcluded(path));
    for (const path of open) this.openFiles.unsend(path);
    // Closed files: the rescan that follows a change drops what it no longer finds; without scans, judge them here.
    const closed = this.scansRun()
      ? []
      : this.results
          .paths()
          .filter(
            (path) => !this.openFiles.isSent(path) && this.folders.folderOf(path) && this.folders.exclusionOf(path),
          );
    this.forget([...open, ...closed]);
  }

  /** Removes files from the worker's session and from the results, clearing what was pushed for them. */
  private forget(paths: string[]): void {
    this.host.remove(paths);
    for (const path of paths) {
      this.results.delete(path);
    }
    if (paths.length > 0) this.status.schedule();
  }

  /**
   * Workspace folders added or removed: settings are re-read per folder; a removed folder's files
   * leave the session (unless open) and their diagnostics are cleared; an added folder is scanned.
   */
  private async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    try {
      const removed = this.folders.remove(event.removed);
      const added = this.folders.add(event.added);
      if (removed.length === 0 && added.length === 0) return;
      const wasScanning = this.scan.isRunning;
      if (wasScanning) await this.scan.cancel();
      await this.applySettings();
      const open = new Set(this.openFiles.paths());
      const gone = this.results
        .paths()
        .filter(
          (path) => !open.has(path) && !this.folders.folderOf(path) && removed.some((f) => isInside(f.root, path)),
        );
      this.forget(gone);
      if (removed.length > 0) this.host.removeOutsideFolders();
      this.log(
        'info',
        `workspace folders: ${added
          .map((f) => `+${f.name}`)
          .concat(removed.map((f) => `-${f.name}`))
          .join(' ')}; ${gone.length} files of removed folders dropped`,
      );
      // A scan cut short restarts over every folder; otherwise only the added folders are read.
      if (wasScanning && this.folders.roots.length > 0) void this.runScan();
      else if (added.length > 0 && this.scansRun()) void this.runScan(added.map((f) => f.root));
      this.reanalyzeOpen();
    } catch (error) {
      this.log('error', `workspace folder change failed: ${(error as Error).message}`);
    }
  }

  private async runScan(roots?: string[]): Promise<void> {
    this.status.setState('scanning');
    try {
      await this.scan.run(undefined, roots);
    } catch (error) {
      this.log('error', `workspace scan failed: ${(error as Error).message}`);
      this.status.setState('idle');
    }
  }

  private async configurationChanged(): Promise<void> {
    await this.applySettings();
    this.reanalyzeOpen();
    if (this.scansRun()) void this.runScan();
  }

  /**
   * Closed files changed on disk (git checkout, another tool): re-read them and re-analyse them and their dependents.
   */
  private async filesChangedOnDisk(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    await this.settingsRead;
    if (changes.some((c) => c.uri.endsWith('/.gitignore'))) this.gitignoreChanged();
    // Like the scan: files outside the folders, or that the folder's scan leaves out (a build writing dist/), are not
    // read.
    const inScope = (p: string) =>
      (this.folders.roots.length === 0 || this.folders.folderOf(p) !== undefined) && !this.folders.exclusionOf(p);
    const paths = changes
      .map((c) => this.openFiles.pathOf(c.uri))
      .filter((p): p is string => p !== undefined && !this.openFiles.isSent(p) && inScope(p));
    if (paths.length === 0) return;
    const changed = await this.host.reload(paths);
    const deleted = new Set(
      changes.filter((c) => c.type === FileChangeType.Deleted).map((c) => this.openFiles.pathOf(c.uri)),
    );
    for (const path of changed.filter((p) => deleted.has(p))) {
      this.results.delete(path);
    }
    const dependents = new Set<string>();
    for (const path of changed) for (const dependent of await this.host.dependentsOf(path)) dependents.add(dependent);
    await this.analyzeAndPush(
      [...changed.filter((p) => !deleted.has(p)), ...dependents].filter((p) => !this.openFiles.isSent(p)),
    );
    if (dependents.size > 0) this.refreshOpen();
  }

  private async afterWorkerRestart(): Promise<void> {
    await this.applySettings();
    for (const document of this.openFiles.documents.all()) {
      const path = this.openFiles.pathOf(document.uri);
      if (path && !this.isExcluded(path)) this.host.upsert(path, document.getText(), true);
    }
    if (this.folders.roots.length > 0) void this.runScan();
    this.refreshOpen();
  }

  private async analyzeOpen(
    document: TextDocument,
    path: string,
    token: { isCancellationRequested: boolean; onCancellationRequested(l: () => void): { dispose(): void } },
  ): Promise<FileOutcome | undefined> {
    this.openFiles.flush(document, path);
    try {
      const outcome = await this.host.analyzeOne(path, token);
      if (outcome) this.results.store(outcome, false);
      return outcome;
    } catch (error) {
      this.log('error', `analysis of ${path} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async analyzeAndPush(paths: string[], token?: CancelSignal): Promise<void> {
    if (paths.length === 0) return;
    try {
      await this.host.analyze(paths, (outcome) => this.results.store(outcome, true), token);
    } catch (error) {
      this.log('error', `analysis failed: ${(error as Error).message}`);
    }
  }

  private refreshOpen(): void {
    if (this.client.pullDiagnostics && this.client.refreshDiagnostics)
      void this.connection.languages.diagnostics.refresh().catch(() => undefined);
  }

  /** Settings or folders changed: open files get new diagnostics (pulled again, or analysed and pushed). */
  private reanalyzeOpen(): void {
    if (this.client.pullDiagnostics) return this.refreshOpen();
    this.openFiles.flushAll(); // a file no longer excluded reaches the worker
    void this.analyzeAndPush(this.openFiles.paths().filter((path) => !this.isExcluded(path)));
  }

  /** True when the scan of the file's folder leaves it out (exclude, .gitignore, built-in skips). */
  private isExcluded(path: string): boolean {
    return this.folders.isExcluded(path);
  }

  /** Whether workspace scans run: at start-up unless turned off, or since one was asked for. */
  private scansRun(): boolean {
    return (
      this.folders.roots.length > 0 &&
      (this.options.scanOnStartup || this.scan.isRunning || this.status.progress.total > 0)
    );
  }

  /**
   * A .gitignore changed: open files are judged again, and a scan (when scans run) picks up what it now includes or
   * leaves out.
   */
  private gitignoreChanged(): void {
    this.folders.invalidate();
    this.dropExcluded();
    this.reanalyzeOpen();
    if (this.scansRun()) void this.runScan();
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.connection.console[level === 'warn' ? 'warn' : level](message);
  }
}
