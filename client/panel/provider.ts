// The Redis panel's WebviewViewProvider: owns the poller (running only while visible), the key-space job and the messages.
import * as vscode from 'vscode';
import { DOCS_BASE_URL } from '../../server/protocol';
import {
  activeConnection,
  describeTarget,
  parseRedisPanelSettings,
  type RedisConnection,
  type RedisPanelSettings,
} from '../../measure/redis/config';
import { openConnection } from '../../measure/redis/connection';
import { analyzeKeyspace } from '../../measure/redis/keyspace';
import { KEY_COMMANDS } from '../../measure/redis/keys';
import { emptyState, type PanelState } from '../../measure/redis/model';
import { RedisPoller } from '../../measure/redis/poller';
import { createNonce, panelHtml } from './html';
import { HostMessage, idleKeyspace, WebviewMessage, type FindQuery, type KeyspaceView } from './messages';

export const VIEW_ID = 'perfAdvisor.redisPanel';

export interface CodeSite {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface PanelDeps {
  findCommandSites(query: FindQuery): Promise<CodeSite[]>;
  log(event: 'invoked' | 'completed' | 'failed', detail: string): void;
}

/** SecretStorage key of a connection's password. */
export const passwordKey = (connectionName: string) => `perfAdvisor.redis.password:${connectionName}`;

/** Reads `perfAdvisor.redis.*` into the zod-parsed settings (bad values fall back to defaults). */
export function readSettings(): { settings: RedisPanelSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration('perfAdvisor.redis');
  const raw: Record<string, unknown> = {};
  for (const key of [
    'connections',
    'activeConnection',
    'pollIntervalSeconds',
    'connectTimeoutMs',
    'slowlogEntries',
    'keyspaceSampleSize',
    'hitRatioTarget',
    'memoryUseTarget',
    'historyPoints',
  ]) {
    raw[key] = config.get(key);
  }
  const { settings, problems } = parseRedisPanelSettings(raw);
  return { settings, problems: problems.map((p) => `${p.key}: ${p.message}`) };
}

export class RedisPanelProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private poller: RedisPoller | undefined;
  private settings: RedisPanelSettings;
  private keyspace: KeyspaceView;
  private keyspaceJob: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private reportedProblems = new Set<string>();
  private state: PanelState;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: PanelDeps,
  ) {
    this.settings = this.loadSettings();
    this.keyspace = idleKeyspace(this.settings.keyspaceSampleSize);
    this.state = emptyState(this.targets());
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perfAdvisor.redis')) this.reload();
      }),
    );
  }

  private targets() {
    return { hitRatio: this.settings.hitRatioTarget, memoryUse: this.settings.memoryUseTarget };
  }

  private loadSettings(): RedisPanelSettings {
    const { settings, problems } = readSettings();
    for (const problem of problems) {
      if (this.reportedProblems.has(problem)) continue;
      this.reportedProblems.add(problem); // reported once, the rest of the settings stay in use
      void vscode.window.showWarningMessage(`Perf Advisor: invalid setting, using the default: ${problem}`);
    }
    return settings;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const roots = [
      vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel'),
      vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'panel'),
    ];
    view.webview.options = { enableScripts: true, localResourceRoots: roots };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      nonce: createNonce(),
      scriptUri: view.webview
        .asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'panel', 'main.js'))
        .toString(),
      styleUri: view.webview
        .asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'panel', 'panel.css'))
        .toString(),
    });
    view.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw), undefined, this.disposables);
    view.onDidChangeVisibility(() => this.syncPolling(), undefined, this.disposables);
    view.onDidDispose(
      () => {
        this.view = undefined;
        this.syncPolling();
      },
      undefined,
      this.disposables,
    );
    this.syncPolling();
  }

  /** Polls only while the view is visible (and, through acknowledgements, only while its webview shows the figures). */
  private syncPolling(): void {
    const visible = this.view?.visible ?? false;
    if (visible) this.ensurePoller()?.start();
    else this.poller?.stop();
  }

  private ensurePoller(): RedisPoller | undefined {
    if (this.poller) return this.poller;
    const connection = activeConnection(this.settings);
    if (!connection) {
      this.state = emptyState(
        this.targets(),
        'No Redis connection configured: add one to the setting perfAdvisor.redis.connections.',
      );
      this.postState();
      return undefined;
    }
    this.poller = new RedisPoller({
      open: async () => {
        this.deps.log('invoked', `redis connect ${connection.name} (${describeTarget(connection)})`);
        const password = await this.context.secrets.get(passwordKey(connection.name));
        try {
          const open = await openConnection(connection, { password, connectTimeoutMs: this.settings.connectTimeoutMs });
          this.deps.log('completed', `redis connected ${connection.name}`);
          return open;
        } catch (error) {
          this.deps.log('failed', `redis connect ${connection.name}: ${(error as Error).message}`); // ioredis errors carry no password
          throw error;
        }
      },
      intervalMs: this.settings.pollIntervalSeconds * 1000,
      slowlogEntries: this.settings.slowlogEntries,
      targets: this.targets(),
      historyPoints: this.settings.historyPoints,
      requireAcknowledgement: true,
      describe: { connectionName: connection.name, mode: connection.mode, target: describeTarget(connection) },
      onState: (state) => {
        this.state = state;
        this.postState();
      },
    });
    this.state = this.poller.state;
    return this.poller;
  }

  /** Settings changed (or the active connection): drop the poller and start over. */
  reload(): void {
    this.settings = this.loadSettings();
    this.cancelKeyspace();
    this.poller?.dispose();
    this.poller = undefined;
    this.keyspace = idleKeyspace(this.settings.keyspaceSampleSize);
    this.postKeyspace();
    this.syncPolling();
    if (!this.poller) this.postState();
  }

  /** "Refresh Redis Panel": one poll now, visible or not; returns the state (used by the end-to-end tests). */
  async refresh(): Promise<PanelState> {
    const poller = this.ensurePoller();
    if (poller) await poller.pollNow();
    return this.state;
  }

  async reconnect(): Promise<PanelState> {
    const poller = this.ensurePoller();
    if (poller) await poller.reconnect();
    return this.state;
  }

  get activeConnectionName(): string | undefined {
    return activeConnection(this.settings)?.name;
  }
  get connections(): readonly RedisConnection[] {
    return this.settings.connections;
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(HostMessage.parse(message));
  }
  private postState(): void {
    this.post({ type: 'state', state: this.state });
  }
  private postKeyspace(): void {
    this.post({ type: 'keyspace', keyspace: this.keyspace });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = WebviewMessage.safeParse(raw);
    if (!parsed.success) return; // a webview is untrusted input: drop anything malformed
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.postState();
        this.postKeyspace();
        this.poller?.acknowledge();
        return;
      case 'stateShown':
        this.poller?.acknowledge();
        return;
      case 'reconnect':
        await this.reconnect();
        return;
      case 'selectConnection':
        await vscode.commands.executeCommand('perfAdvisor.redis.selectConnection');
        return;
      case 'setPassword':
        await vscode.commands.executeCommand('perfAdvisor.redis.setPassword');
        return;
      case 'analyzeKeyspace':
        await this.analyzeKeyspace();
        return;
      case 'cancelKeyspace':
        this.cancelKeyspace();
        return;
      case 'findInCode':
        await this.findInCode(message.query, message.label);
        return;
      case 'openRuleDocs':
        await this.openRuleDocs(message.ruleId);
        return;
    }
  }

  /** Runs the bounded key-space sample with progress; a second request while one runs is ignored. */
  async analyzeKeyspace(): Promise<KeyspaceView> {
    const connection = this.poller?.openConnection;
    if (this.keyspaceJob) return this.keyspace;
    if (!connection) {
      this.keyspace = {
        ...this.keyspace,
        phase: 'error',
        error: 'Not connected: the key-space analysis needs a live connection.',
      };
      this.postKeyspace();
      return this.keyspace;
    }
    const job = new AbortController();
    this.keyspaceJob = job;
    const sampleSize = this.settings.keyspaceSampleSize;
    this.keyspace = {
      phase: 'running',
      sampleSize,
      sampled: 0,
      target: sampleSize,
      result: this.keyspace.result,
      error: null,
    };
    this.postKeyspace();
    let lastPost = 0;
    try {
      const result = await analyzeKeyspace(connection.clients, {
        sampleSize,
        signal: job.signal,
        onProgress: ({ sampled, target }) => {
          this.keyspace = { ...this.keyspace, sampled, target };
          if (Date.now() - lastPost > 100) {
            lastPost = Date.now();
            this.postKeyspace();
          }
        },
      });
      this.keyspace = {
        phase: 'done',
        sampleSize,
        sampled: result.sampled,
        target: result.sampled,
        result,
        error: null,
      };
    } catch (error) {
      this.keyspace = {
        ...this.keyspace,
        phase: 'error',
        error: `Key-space analysis failed: ${(error as Error).message}`,
      };
    } finally {
      this.keyspaceJob = undefined;
    }
    this.postKeyspace();
    return this.keyspace;
  }

  private cancelKeyspace(): void {
    this.keyspaceJob?.abort();
  }

  /** Asks the language server for the code sites, lets the user pick one (directly when there is one), opens it. */
  async findInCode(query: FindQuery, label: string): Promise<vscode.Location | undefined> {
    let sites: CodeSite[];
    try {
      // a prefix without a command: ask per key-taking command (the request matches one command at a time)
      const queries = query.command
        ? [query]
        : KEY_COMMANDS.map((command) => ({ command, keyPrefix: query.keyPrefix }));
      const results = await Promise.all(queries.map((q) => this.deps.findCommandSites(q)));
      const seen = new Set<string>();
      sites = results.flat().filter((site) => {
        const id = `${site.uri}#${site.range.start.line}:${site.range.start.character}`;
        return !seen.has(id) && Boolean(seen.add(id));
      });
    } catch (error) {
      this.post({ type: 'status', message: `Find in code failed: ${(error as Error).message}` });
      return undefined;
    }
    if (sites.length === 0) {
      this.post({ type: 'status', message: `No code site found for ${label}.` });
      return undefined;
    }
    this.post({ type: 'status', message: `${sites.length} code site${sites.length === 1 ? '' : 's'} for ${label}.` });
    const items = sites.map((site) => {
      const uri = vscode.Uri.parse(site.uri);
      return {
        label: `${vscode.workspace.asRelativePath(uri)}:${site.range.start.line + 1}`,
        description: label,
        site,
        uri,
      };
    });
    const picked =
      items.length === 1
        ? items[0]
        : await vscode.window.showQuickPick(items, { title: `Code sites for ${label}`, matchOnDescription: true });
    if (!picked) return undefined;
    const { start, end } = picked.site.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    await vscode.window.showTextDocument(picked.uri, { selection: range, preview: true });
    return new vscode.Location(picked.uri, range);
  }

  /** The rule's page: the local file in a development checkout, else the published docs URL (as diagnostics link). */
  private async openRuleDocs(ruleId: string): Promise<void> {
    const local = vscode.Uri.joinPath(this.context.extensionUri, 'rules', 'docs', `${ruleId}.md`);
    const exists = await Promise.resolve(vscode.workspace.fs.stat(local)).then(
      () => true,
      () => false,
    );
    if (exists) await vscode.commands.executeCommand('markdown.showPreview', local);
    else await vscode.env.openExternal(vscode.Uri.parse(`${DOCS_BASE_URL}${ruleId}.md`));
  }

  dispose(): void {
    this.cancelKeyspace();
    this.poller?.dispose();
    this.poller = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
