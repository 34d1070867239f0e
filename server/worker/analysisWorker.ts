// The analysis worker thread: owns the engine session, reads the workspace, analyses files in small steps so new messages are served between files.
import { readFileSync } from 'node:fs';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import {
  AnalysisSession,
  defaultConfig,
  FolderConfigs,
  ruleCatalog,
  type AnalysisResult,
  type Config,
  type Finding,
  type FolderConfig,
  type TextChange,
  type TextEdit,
} from '../engine';
import { discoverFiles } from '../workspace';
import { readSource } from '../workspace/fileChecks';
import { warmUpSession } from './warmUp';
import { analyzeInParallel, sameTexts, startScanHelpers, type ParallelScanState } from './parallelScan';
import { loadCache, saveCache, sha1, workspaceKeyOf, type CacheFile } from './scanCache';
import type { FileOutcome, FromWorker, ScanRequest, ScanSummary, ToWorker, WireEdit, WireFinding } from './protocol';
import type { WireRange } from '../protocol';

/**
 * Quiet time after which open files with much incrementally re-parsed text are parsed from scratch (see
 * REPARSE_BUDGET).
 */
const COMPACT_AFTER_IDLE_MS = 2000;
const COMPACT_MIN_CHARS = 16 * 1024 * 1024;

/** Lets queued messages (an edit, a pull for an open file) run between two files of a long job. */
const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

class AnalysisWorker {
  private session = new AnalysisSession(defaultConfig);
  private configs = new FolderConfigs(defaultConfig);
  /** Texts the session holds, for turning fix offsets in any file into positions. */
  private readonly texts = new Map<string, string>();
  private readonly open = new Set<string>();
  /** Files whose parse threw, with the error. */
  private readonly unparsable = new Map<string, string>();
  /** Bumped by every change; a scan whose state moved under it does not write the cache. */
  private generation = 0;
  /** Identifies this build for the scan cache; computed on the first scan (it hashes the whole bundle). */
  private engineKey: string | undefined;

  constructor(private readonly post: (message: FromWorker) => void) {}

  /** Compiles the parser's and the rules' code with a built-in file, before any real file is loaded. */
  warmUp(): void {
    const started = performance.now();
    try {
      warmUpSession(this.session);
    } catch (error) {
      this.post({ kind: 'log', level: 'warn', message: `warm-up failed: ${(error as Error).message}` });
    }
    this.post({
      kind: 'log',
      level: 'info',
      message: `analysis worker ready (warm-up ${Math.round(performance.now() - started)} ms)`,
    });
  }

  handle(message: ToWorker): void {
    this.scheduleCompaction();
    switch (message.kind) {
      case 'upsert':
        if (message.open) this.open.add(message.path);
        this.setText(message.path, message.text, message.change);
        return;
      case 'close':
        this.open.delete(message.path);
        this.reloadFromDisk(message.path);
        return;
      case 'config':
        this.applyConfig(message.config, message.folders);
        return;
      case 'remove':
        for (const path of message.paths) {
          this.open.delete(path);
          this.removeText(path);
        }
        if (message.outsideFolders && this.configs.hasFolders) {
          for (const path of [...this.texts.keys()])
            if (!this.open.has(path) && this.configs.folderOf(path) === undefined) this.removeText(path);
        }
        return;
      case 'analyze':
        this.run(message.id, () => this.analyze(message.id, message.paths, tokenOf(message.cancel)));
        return;
      case 'scan':
        this.run(message.id, () => this.scan(message.id, message.request, tokenOf(message.cancel)));
        return;
      case 'reload':
        this.run(message.id, async () => message.paths.filter((path) => this.reloadFromDisk(path)));
        return;
      case 'commandSites':
        this.run(message.id, async () =>
          this.session.commandSites(message.query).map((span) => ({ path: span.file, range: span.range })),
        );
        return;
      case 'dependents':
        this.run(message.id, async () => this.session.dependentsOf(message.path));
        return;
      case 'resolveFix':
        this.run(message.id, async () => this.toWireEdits(this.session.resolveFix(message.path, message.lazy)));
        return;
      case 'fixAll':
        this.run(message.id, async () => this.toWireEdits(this.session.fixAll(message.path, message).edits));
        return;
    }
  }

  private compactTimer: NodeJS.Timeout | undefined;

  /** Once the worker has been idle a while, re-parses edited open files from scratch to release old versions' texts. */
  private scheduleCompaction(): void {
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      for (const path of this.open)
        if (this.session.incrementalCharsOf(path) >= COMPACT_MIN_CHARS) this.session.compactFile(path);
    }, COMPACT_AFTER_IDLE_MS);
    this.compactTimer.unref();
  }

  private run(id: number, job: () => Promise<unknown>): void {
    job().then(
      (value) => this.post({ kind: 'reply', id, value }),
      (error: unknown) =>
        this.post({
          kind: 'failure',
          id,
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
    );
  }

  /** `change` (from the editor) spares comparing the whole previous text with the new one. */
  private setText(path: string, text: string, change?: TextChange): void {
    const previous = this.texts.get(path);
    if (change && previous !== undefined) {
      if (change.length === 0 && change.newLength === 0) return;
    } else if (previous === text) return;
    this.texts.set(path, text);
    this.generation++;
    try {
      this.session.upsertFile(path, text, previous === undefined ? undefined : change);
      this.unparsable.delete(path);
    } catch (error) {
      // The parser itself gave up (a stack overflow on absurd nesting): the file gets no findings, the rest go on.
      this.session.removeFile(path);
      this.unparsable.set(path, error instanceof Error ? error.message : String(error));
      this.post({ kind: 'log', level: 'error', message: `could not parse ${path}: ${this.unparsable.get(path)}` });
    }
  }

  private removeText(path: string): void {
    this.unparsable.delete(path);
    if (!this.texts.delete(path)) return;
    this.generation++;
    this.session.removeFile(path);
  }

  /** Re-reads a closed file from disk; returns true when it changed (or disappeared). */
  private reloadFromDisk(path: string): boolean {
    if (this.open.has(path)) return false;
    const read = readSource(path, this.configs.configFor(path).thresholds);
    if ('text' in read) {
      const changed = this.texts.get(path) !== read.text;
      this.setText(path, read.text);
      return changed;
    }
    const had = this.texts.has(path);
    this.removeText(path);
    return had;
  }

  private applyConfig(config: Config, folders: FolderConfig[]): void {
    this.generation++;
    try {
      this.session.setConfig(config, folders);
      this.configs = new FolderConfigs(config, folders);
    } catch (error) {
      // An invalid `libraries` entry: keep the rest of the settings, drop the extra libraries.
      this.post({ kind: 'log', level: 'warn', message: `perfAdvisor.libraries rejected: ${(error as Error).message}` });
      this.configs = new FolderConfigs(config, folders).withoutLibraries();
      this.session.setConfig(this.configs.fallback, this.configs.toJSON().folders);
    }
  }

  private async analyze(id: number, paths: string[], token: Token): Promise<number> {
    let done = 0;
    for (const path of paths) {
      const outcome = token.isCancellationRequested ? undefined : this.analyzeOne(path, token);
      if (!outcome) break; // superseded: the analysis stopped between two rules, nothing is reported
      this.post({ kind: 'fileResult', id, outcome });
      done++;
      if (paths.length > 1) await yieldToMessages();
    }
    return done;
  }

  /** The file's outcome, or undefined when the token was cancelled while its rules ran. */
  private analyzeOne(path: string, token?: Token): FileOutcome | undefined {
    const parseError = this.unparsable.get(path);
    if (parseError) return { path, findings: [], error: `could not parse: ${parseError}` };
    if (!this.session.hasFile(path)) return { path, findings: [], skipped: 'not loaded' };
    try {
      const result = this.session.analyzeFile(path, token);
      return result.cancelled ? undefined : this.outcomeOf(path, result);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.post({ kind: 'log', level: 'error', message: `analysis of ${path} failed: ${message}` });
      return { path, findings: [], error: message };
    }
  }

  /** What the LSP thread is told of a file, from the engine's result (here or in a scan helper). */
  private outcomeOf(path: string, result: AnalysisResult): FileOutcome {
    const outcome: FileOutcome = { path, findings: result.findings.map((f) => this.toWire(f)) };
    if (result.skipped[0]) outcome.skipped = result.skipped[0].reason;
    if (result.errors[0]) {
      outcome.error = result.errors[0].message;
      this.post({ kind: 'log', level: 'error', message: `analysis of ${path} failed: ${outcome.error}` });
    }
    return outcome;
  }

  private async scan(id: number, request: ScanRequest, token: Token): Promise<ScanSummary> {
    const summary: ScanSummary = { files: 0, skipped: 0, fromCache: 0, cancelled: false, removed: [], warnings: [] };
    const found = new Map<string, string>();
    for (const root of request.roots) {
      const config = this.configs.configFor(root);
      const result = discoverFiles([root], {
        root,
        exclude: config.exclude,
        maxFileSizeKb: config.thresholds.maxFileSizeKb,
        minifiedLineLength: config.thresholds.minifiedLineLength,
      });
      // A file inside a nested workspace folder belongs to that folder's scan (its excludes and limits).
      const folder = this.configs.folderOf(root);
      for (const file of result.files) if (this.configs.folderOf(file.path) === folder) found.set(file.path, file.text);
      summary.skipped += result.skipped.length;
      summary.warnings.push(
        ...result.warnings.map((w) => `${w.path}: ${w.message}`),
        ...result.pathErrors.map((e) => `${e.path}: ${e.message}`),
      );
    }
    // Files of the scanned folders gone since the last scan (deleted, newly excluded) leave the session, unless open in
    // an editor.
    const scanned = new Set(request.roots.map((root) => this.configs.folderOf(root)));
    for (const path of [...this.texts.keys()]) {
      if (!found.has(path) && !this.open.has(path) && scanned.has(this.configs.folderOf(path))) {
        this.removeText(path);
        summary.removed.push(path);
      }
    }
    const paths = [...found.keys()];
    summary.files = paths.length;
    // Hashes first (an unchanged workspace is answered from the cache), then helper threads for a real scan, started
    // before this thread parses so that they parse at the same time.
    const hashes = new Map(
      paths.map((path) => [path, sha1(this.open.has(path) ? this.texts.get(path)! : found.get(path)!)]),
    );
    this.engineKey ??= engineBuildKey();
    const workspaceKey = workspaceKeyOf(this.engineKey, this.configs, hashes);
    const cached = request.cacheFile ? loadCache(request.cacheFile) : undefined;
    const trusted = cached?.workspaceKey === workspaceKey ? cached : undefined;
    const helperState = trusted ? undefined : this.stateAfterReading(found);
    let pool =
      helperState &&
      startScanHelpers(this.configs.fallback.scan.threads, paths.length, helperState, (message) =>
        this.post({ kind: 'log', level: 'warn', message }),
      );
    try {
      let done = 0;
      for (const path of paths) {
        if (token.isCancellationRequested) return { ...summary, cancelled: true };
        if (!this.open.has(path)) this.setText(path, found.get(path)!);
        found.delete(path); // the session holds the text now; drop the scan's copy
        this.post({ kind: 'progress', id, done: ++done, total: paths.length, phase: 'reading' });
        await yieldToMessages();
      }
      // An edit while reading: the helpers' copy is not this state any more, so this thread analyses alone.
      if (pool && !sameTexts(helperState!.files, this.texts)) {
        void pool.close();
        pool = undefined;
      }

      const generationAtStart = this.generation;
      const next: CacheFile = { version: 1, workspaceKey, files: {} };
      done = 0;
      const report = (outcome: FileOutcome) => {
        if (!outcome.error)
          next.files[outcome.path] = { hash: hashes.get(outcome.path)!, outcome: { ...outcome, fromCache: undefined } };
        this.post({ kind: 'fileResult', id, outcome });
        this.post({ kind: 'progress', id, done: ++done, total: paths.length, phase: 'analyzing' });
      };
      if (pool) {
        const { cancelled } = await analyzeInParallel(pool, {
          paths,
          token,
          analyzeHere: (path) => this.analyzeOne(path, token),
          // After an edit, cross-file facts may have moved: this thread answers with the current state.
          fromHelper: (path, result) =>
            this.generation === generationAtStart
              ? this.outcomeOf(path, result)
              : (this.analyzeOne(path) ?? this.outcomeOf(path, result)),
          hereOnly: (path) => this.unparsable.has(path) || !this.session.hasFile(path),
          outcome: report,
          yieldToMessages,
          log: (message) => this.post({ kind: 'log', level: 'info', message }),
        });
        summary.cancelled = cancelled;
      } else
        for (const path of paths) {
          if (token.isCancellationRequested) {
            summary.cancelled = true;
            break;
          }
          const hit = trusted?.files[path];
          let outcome: FileOutcome;
          if (hit && hit.hash === hashes.get(path)) {
            outcome = { ...hit.outcome, fromCache: true };
            summary.fromCache++;
          } else {
            const analysed = this.analyzeOne(path, token);
            if (!analysed) {
              summary.cancelled = true;
              break;
            }
            outcome = analysed;
            await yieldToMessages();
          }
          report(outcome);
        }
      this.saveScanCache(request, next, trusted, generationAtStart);
    } finally {
      void pool?.close();
    }
    return summary;
  }

  /** The session's files in order, as they will be once the scan's files are read (the helpers' copy). */
  private stateAfterReading(found: Map<string, string>): ParallelScanState {
    const files: { path: string; text: string }[] = [];
    for (const [path, text] of this.texts)
      files.push({ path, text: found.has(path) && !this.open.has(path) ? found.get(path)! : text });
    for (const [path, text] of found) if (!this.texts.has(path)) files.push({ path, text });
    return { files, config: this.configs.fallback, folders: this.configs.toJSON().folders };
  }

  private saveScanCache(
    request: ScanRequest,
    next: CacheFile,
    trusted: CacheFile | undefined,
    generationAtStart: number,
  ): void {
    // Partial results are kept too, so a scan cancelled (or a server stopped) midway resumes where it was.
    if (request.cacheFile && this.generation === generationAtStart) {
      if (trusted) for (const [path, entry] of Object.entries(trusted.files)) next.files[path] ??= entry;
      try {
        saveCache(request.cacheFile, next);
      } catch (error) {
        this.post({
          kind: 'log',
          level: 'warn',
          message: `could not write the analysis cache: ${(error as Error).message}`,
        });
      }
    }
  }

  private toWire(finding: Finding): WireFinding {
    return {
      path: finding.span.file,
      ruleId: finding.ruleId,
      message: finding.message,
      severity: finding.severity,
      range: finding.span.range,
      related: finding.related.map((r) => ({ path: r.span.file, range: r.span.range, message: r.message })),
      fixes: finding.fixes.map((fix) => ({
        title: fix.title,
        kind: fix.kind,
        edits: this.toWireEdits(fix.edits),
        ...(fix.lazy ? { lazy: fix.lazy } : {}),
        ...(fix.explanation !== undefined ? { explanation: fix.explanation } : {}),
      })),
      docsUrl: finding.docsUrl,
      ruleDescription: RULE_DESCRIPTIONS.get(finding.ruleId) ?? '',
    };
  }

  private toWireEdits(edits: TextEdit[]): WireEdit[] {
    return edits.map((edit) => ({
      path: edit.file,
      range: this.rangeOf(edit.file, edit.start, edit.end),
      newText: edit.newText,
      ...(edit.createFile ? { createFile: true } : {}),
    }));
  }

  /**
   * Offsets → positions in any file the session knows (from its line starts), else in the text on disk (a fix's
   * `package.json` edit); a file a fix creates starts empty.
   */
  private rangeOf(path: string, start: number, end: number): WireRange {
    let text: string | undefined;
    const at = (offset: number) =>
      this.session.positionOf(path, offset) ??
      positionAt((text ??= this.texts.get(path) ?? this.session.readFile(path) ?? ''), offset);
    return { start: at(start), end: at(end) };
  }
}

const RULE_DESCRIPTIONS = new Map(ruleCatalog.map((rule) => [rule.id, rule.description]));

type Token = { readonly isCancellationRequested: boolean };

function tokenOf(buffer: SharedArrayBuffer): Token {
  const flag = new Int32Array(buffer);
  return {
    get isCancellationRequested() {
      return Atomics.load(flag, 0) !== 0;
    },
  };
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: Math.max(0, offset - lineStart) };
}

/** Identifies this build of the engine: results cached by another build are not trusted. */
function engineBuildKey(): string {
  try {
    return sha1(readFileSync(__filename, 'utf8'));
  } catch {
    return 'unknown-build';
  }
}

export function startAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('the analysis worker must run in a worker thread');
  const worker = new AnalysisWorker((message) => port.postMessage(message));
  // Messages that arrived while this thread loaded wait in the port's queue. A file sent already (one the editor opened
  // at start-up) is analysed at once: warming up on the built-in service first only delays its first diagnostics.
  const queued: ToWorker[] = [];
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port))
    queued.push(next.message as ToWorker);
  if (!queued.some((message) => message.kind === 'upsert' || message.kind === 'scan')) worker.warmUp();
  else
    port.postMessage({ kind: 'log', level: 'info', message: 'analysis worker ready (no warm-up: files were waiting)' });
  for (const message of queued) worker.handle(message);
  port.on('message', (message: ToWorker) => worker.handle(message));
}
