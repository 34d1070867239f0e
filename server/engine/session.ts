// An incremental analysis session: files are added/updated by content, parsing is cached by content hash.
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { loadKnowledge } from '../../rules/knowledge';
import { rules } from '../../rules';
import { ONE_OFF_FILE, SCRIPT_FILE, TEST_FILE } from '../../rules/knowledge/frameworks';
import { formatMessage, type FileContext, type Report, type Rule } from '../../rules/createRule';
import { ProjectAnalysis } from '../../rules/analysis/projectAnalysis';
import { CallerIndexParts } from '../../rules/analysis/callerIndexParts';
import { Config, defaultConfig, ruleOptions, type SeveritySetting } from '../../rules/analysis/config';
import { argumentsOf } from '../../rules/analysis/calls';
import { applyDirectives } from './directives';
import { FolderConfigs, type FolderConfig } from './folderConfigs';
import { FileSet, libraryForModule, normalise, type Knowledge } from '../../rules/analysis/fileSet';
import { staticText } from '../../rules/analysis/roundTrips';
import { positionAt, spanOf, type FileModel } from '../../rules/analysis/sourceFile';
import { resolveLazyFix } from '../../rules/fixes';
import { ProgramOracle } from './typeChecker';
import { libraryForPackage, type TypeOracle } from '../../rules/analysis/typeOracle';
import type {
  AnalysisResult,
  Finding,
  LazyFix,
  SessionOptions,
  Severity,
  SourceInput,
  Span,
  TextChange,
  TextEdit,
  TypesSummary,
  UnusedDirective,
} from './types';

/** Checked between files and between the rules of one file; a cancelled run returns what it has so far. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export type ProgressReporter = (done: number, total: number, path: string) => void;

/** Which code sites issue a Redis command (optionally on a key prefix) or a SQL statement. */
export interface CommandSiteQuery {
  command?: string;
  keyPrefix?: string;
  sql?: string;
}

interface FileResult {
  findings: Finding[];
  unusedDirectives: UnusedDirective[];
  error?: string;
}

const SEVERITY_ORDER: Severity[] = ['hint', 'info', 'warning', 'error'];

export class AnalysisSession {
  /** Per-folder settings; a file is analysed with those of its folder (`fallback` outside every folder). */
  private configs: FolderConfigs;
  private knowledge: Knowledge;
  private readonly files: FileSet;
  private analysis: ProjectAnalysis | undefined;
  /** Files the parser could not handle, with the reason; reported as per-file errors. */
  private readonly unparsable = new Map<string, string>();
  /** skipReasonFor per parsed text (a new text is a new model), with the config it was computed under. */
  private readonly skipReasons = new WeakMap<FileModel, { config: Config; reason: string | undefined }>();
  private graph: ImportGraph | undefined;
  /**
   * Importers by a scan of the texts (a superset of the import graph's, without parsing): bounds the files a caller
   * question indexes. Dropped with the import graph, whenever a real import edge can change.
   */
  private importersByText: Map<string, Set<string>> | undefined;
  /**
   * Each file's part of the caller and entry index, kept across edits: without it every keystroke in a file with a
   * finding re-indexed the whole workspace (seconds after a scan of thousands of files).
   */
  private indexParts = new CallerIndexParts();
  /** Results per file for the current project state; cleared whenever any file or the config changes. */
  private readonly results = new Map<string, FileResult>();

  /** With types on, the checker of the current analysis (rebuilt with it, since its programs hold the files' trees). */
  private oracle: TypeOracle | undefined;
  private readonly typesEnabled: boolean;
  private readonly typesRoot: string | undefined;

  constructor(config: Config = defaultConfig, options: SessionOptions = {}) {
    this.configs = new FolderConfigs(config);
    this.knowledge = loadKnowledge(config.libraries);
    this.typesEnabled = options.types ?? false;
    this.typesRoot = options.typesRoot;
    this.files = new FileSet({ lazy: options.lazyParse ?? false });
  }

  /**
   * With lazyParse: whether a file's parse threw when first needed. Results computed since may differ from an eager
   * session's (there the file is simply absent), so a scan helper hands its files back instead of answering.
   */
  lazyParseFailed(): boolean {
    return this.files.lazyParseFailures > 0;
  }

  /** Whether the TypeScript checker is consulted, and what it did in the current analysis. */
  typesSummary(): TypesSummary {
    if (!this.typesEnabled) return { enabled: false };
    const stats = this.oracle?.stats();
    return { enabled: true, ...(stats ?? { asked: 0, resolved: 0, programs: 0, projects: [], problems: [] }) };
  }

  /**
   * Replaces the configuration: `config` for files outside every folder, `folders` per workspace folder.
   * Throws a KnowledgeError (naming the field) when `libraries` is invalid.
   */
  setConfig(config: Config, folders: readonly FolderConfig[] = []): void {
    const configs = new FolderConfigs(config, folders);
    this.knowledge = loadKnowledge(configs.libraries());
    this.configs = configs;
    this.invalidate();
  }

  /** The settings `path` is analysed with: those of the deepest folder containing it. */
  configFor(path: string): Config {
    return this.configs.configFor(path);
  }

  /**
   * Adds or replaces a file (re-parsed incrementally); unchanged content keeps its parse and its results. `change`,
   * from
   * an editor, says which span of the previous text was replaced, so the texts need not be compared; one that does not
   * fit the two texts is ignored.
   */
  upsertFile(path: string, text: string, change?: TextChange): void {
    const previous = this.files.get(path);
    const isNew = !previous;
    this.unparsable.delete(normalise(path));
    let changed: boolean;
    try {
      changed = this.files.upsert(
        path,
        text,
        previous && change ? fittingChange(previous.text, text, change) : undefined,
      );
    } catch (error) {
      // The parser recurses per nesting level: absurdly nested input can exhaust the stack. Never fatal.
      this.files.remove(path);
      this.unparsable.set(
        normalise(path),
        `could not parse: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.invalidate();
      return;
    }
    if (!changed) return;
    // The import graph stays as long as the set of files and each file's module specifiers do (most keystrokes).
    if (!previous || moduleSpecifiers(previous).join('\n') !== moduleSpecifiers(this.files.get(path)!).join('\n'))
      this.dropImportGraphs();
    // A new file may satisfy imports anywhere; an edit changes only its own and its importers' results.
    if (isNew) this.invalidate();
    else this.invalidateFrom(path);
  }

  /** Text re-parsed incrementally since the file's last full parse (0 for an unknown file). */
  incrementalCharsOf(path: string): number {
    return this.files.get(path)?.incrementalChars ?? 0;
  }

  /**
   * Parses a file from scratch to release what incremental parsing keeps of earlier versions. The text is the same, so
   * every result stays valid; only caches keyed by the old tree's nodes go.
   */
  compactFile(path: string): void {
    if (!this.files.reparse(path)) return;
    this.analysis = undefined;
    this.indexParts.forget([], normalise(path), this.files.all());
  }

  removeFile(path: string): void {
    this.unparsable.delete(normalise(path));
    if (this.files.get(path)) {
      this.files.remove(path);
      this.invalidate();
    }
  }

  /** Drops the results of `path` and of the files that import it, transitively; keeps the others. */
  private invalidateFrom(path: string): void {
    this.analysis = undefined;
    const key = normalise(path);
    this.results.delete(key);
    // One import graph per edit (this runs on every keystroke), walked both ways.
    const graph = this.importGraph();
    const related = [...closure(key, graph.importers), ...closure(key, graph.imports)];
    // Their calls may resolve differently now; parts naming the file's old nodes are stale.
    this.indexParts.forget(
      related.map((p) => this.files.get(p)),
      key,
      this.files.all(),
    );
    for (const file of related) this.results.delete(file);
  }

  hasFile(path: string): boolean {
    return this.files.get(path) !== undefined;
  }

  private dropImportGraphs(): void {
    this.graph = undefined;
    this.importersByText = undefined;
  }

  private invalidate(): void {
    this.analysis = undefined;
    this.indexParts = new CallerIndexParts();
    this.dropImportGraphs();
    this.results.clear();
  }

  private currentAnalysis(): ProjectAnalysis {
    if (!this.analysis) {
      const files = this.files;
      this.oracle = this.typesEnabled
        ? new ProgramOracle(
            () => [...files.all()].map((file) => file.path),
            (path) => files.get(path)?.sourceFile,
            (packageName) => libraryForPackage(this.knowledge, packageName) !== undefined,
            this.typesRoot,
          )
        : undefined;
      // With types, a new program may place receivers anywhere differently: every file is indexed again.
      this.analysis = new ProjectAnalysis(
        files,
        this.knowledge,
        this.configs.fallback,
        this.oracle,
        this.typesEnabled ? undefined : this.indexParts,
        // Without types, calls cross files only through imports: a question about a function's callers needs the
        // parts of its file's importers, not of the whole workspace (an opened file's first diagnostics, a helper's
        // share of a scan).
        this.typesEnabled
          ? undefined
          : (path) => closure(path, (this.importersByText ??= this.files.importersByText())),
      );
    }
    return this.analysis;
  }

  /** Files whose findings may change when `path` changes through what they import: its importers, transitively. */
  dependentsOf(path: string): string[] {
    return closure(normalise(path), this.importGraph().importers);
  }

  /**
   * Files `path` imports, transitively: their caller-based findings (factories, handlers reaching them) may change with
   * it.
   */
  dependenciesOf(path: string): string[] {
    return closure(normalise(path), this.importGraph().imports);
  }

  /**
   * Import edges between project files, both ways; rebuilt only after a file is added or removed, its imports change,
   * or the config does.
   */
  private importGraph(): ImportGraph {
    this.graph ??= this.buildImportGraph();
    return this.graph;
  }

  private buildImportGraph(): ImportGraph {
    const imports = new Map<string, Set<string>>();
    const importers = new Map<string, Set<string>>();
    for (const file of this.files.all()) {
      for (const specifier of moduleSpecifiers(file)) {
        if (libraryForModule(this.knowledge, specifier)) continue;
        const resolved = this.files.resolveModule(file.path, specifier);
        if (!resolved) continue;
        addEdge(imports, file.path, resolved.path);
        addEdge(importers, resolved.path, file.path);
      }
    }
    return { imports, importers };
  }

  /** Why a file is not analysed (too large, minified), or undefined. */
  skipReason(path: string): string | undefined {
    const file = this.files.get(path);
    return file ? this.skipReasonOf(file) : undefined;
  }

  /** skipReasonFor, once per parsed text and config (it splits the whole text into lines). */
  private skipReasonOf(file: FileModel): string | undefined {
    const config = this.configFor(file.path);
    const known = this.skipReasons.get(file);
    if (known && known.config === config) return known.reason;
    const reason = skipReasonFor(file.text, config, newlineCount(file));
    this.skipReasons.set(file, { config, reason });
    return reason;
  }

  /** Line and character of an offset in a file of the session; undefined for a file it does not hold. */
  positionOf(path: string, offset: number): { line: number; character: number } | undefined {
    const file = this.files.get(path);
    return file ? positionAt(file, offset) : undefined;
  }

  /** Findings for one file, using what the session knows of the other files. A cancelled token stops between rules. */
  analyzeFile(path: string, token?: CancellationToken): AnalysisResult {
    const file = this.files.get(path);
    const parseError = this.unparsable.get(normalise(path));
    if (parseError)
      return {
        findings: [],
        skipped: [],
        unusedDirectives: [],
        errors: [{ path: normalise(path), message: parseError }],
      };
    if (!file) return { findings: [], skipped: [], unusedDirectives: [], errors: [] };
    const reason = this.skipReasonOf(file);
    if (reason) return { findings: [], skipped: [{ path: file.path, reason }], unusedDirectives: [], errors: [] };
    const result = this.fileResult(file, token);
    if (!result) return { findings: [], skipped: [], unusedDirectives: [], errors: [], cancelled: true };
    return {
      findings: result.findings,
      skipped: [],
      unusedDirectives: result.unusedDirectives,
      errors: result.error ? [{ path: file.path, message: result.error }] : [],
    };
  }

  /** Findings for every file in the session. */
  analyzeAll(token?: CancellationToken, progress?: ProgressReporter): AnalysisResult {
    const out: AnalysisResult = { findings: [], skipped: [], unusedDirectives: [], errors: [] };
    const all = [...this.files.all()];
    for (const [path, message] of this.unparsable) out.errors.push({ path, message });
    let done = 0;
    for (const file of all) {
      const one = token?.isCancellationRequested ? undefined : this.analyzeFile(file.path, token);
      if (!one || one.cancelled) {
        out.cancelled = true;
        break;
      }
      out.findings.push(...one.findings);
      out.skipped.push(...one.skipped);
      out.unusedDirectives.push(...one.unusedDirectives);
      out.errors.push(...one.errors);
      progress?.(++done, all.length, file.path);
    }
    if (this.typesEnabled) out.types = this.typesSummary();
    return out;
  }

  /**
   * The file's results, from the cache or computed; undefined when the token was cancelled midway (nothing is cached).
   */
  private fileResult(file: FileModel, token?: CancellationToken): FileResult | undefined {
    const cached = this.results.get(file.path);
    if (cached) return cached;
    let result: FileResult;
    try {
      const computed = this.runRules(file, token);
      if (!computed) return undefined;
      result = computed;
    } catch (error) {
      // One file's failure never stops the others: it gets no findings and the error is reported.
      result = {
        findings: [],
        unusedDirectives: [],
        error: error instanceof Error ? `${error.message}` : String(error),
      };
    }
    this.results.set(file.path, result);
    return result;
  }

  private runRules(file: FileModel, token?: CancellationToken): FileResult | undefined {
    const fileContext = contextOf(file.path);
    if (fileContext === 'test') return { findings: [], unusedDirectives: [] };
    const analysis = this.currentAnalysis();
    const config = this.configFor(file.path);
    const findings: Finding[] = [];
    for (const rule of rules) {
      // A superseded request (the user typed again) stops here; the partial findings are dropped, not cached.
      if (token?.isCancellationRequested) return undefined;
      const severity = severityFor(rule, config);
      if (severity === 'off') continue;
      const options = rule.meta.options.parse(ruleOptions(config, rule.id));
      rule.create({
        file,
        fileContext,
        analysis,
        config,
        options,
        report: (report) => findings.push(toFinding(file, rule, report, severity, fileContext)),
      });
    }
    findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
    // Lazy fixes carry the fingerprint of the text they were found in: resolving one after an edit is refused.
    const lazyFixes = findings.flatMap((f) => f.fixes.flatMap((fix) => (fix.lazy ? [fix.lazy] : [])));
    if (lazyFixes.length > 0) {
      const hash = textHash(file.text);
      for (const lazy of lazyFixes) lazy.textHash = hash;
    }
    const { findings: kept, unused } = applyDirectives(file, findings);
    return { findings: kept, unusedDirectives: unused };
  }

  /** A file's text: the analysed one, else the disk's (`package.json`, which is not analysed); undefined: none. */
  readFile(path: string): string | undefined {
    const held = this.files.get(path);
    if (held) return held.text;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * The edits of a lazy fix found in `path`, built now. Throws when the file is unknown or changed since the finding
   * (the fingerprint differs): the client asks again with fresh diagnostics.
   */
  resolveFix(path: string, lazy: LazyFix): TextEdit[] {
    const file = this.files.get(path);
    if (!file) throw new Error(`${path} is not in the analysis`);
    if (lazy.textHash !== undefined && lazy.textHash !== textHash(file.text))
      throw new Error(`${path} changed since this fix was offered; ask for code actions again`);
    return resolveLazyFix(
      {
        path: file.path,
        textOf: (p) => this.files.get(p)?.text,
        knowledge: this.knowledge,
        config: this.configFor(path),
        analysis: () => this.currentAnalysis(),
        readFile: (p) => this.readFile(p),
        root: this.configs.folderOf(path),
      },
      lazy,
    );
  }

  /**
   * The first fix of every finding in `path` (of `ruleId`, or of every rule), merged into one set of edits; with
   * `exactOnly`, only fixes that keep behaviour exactly (`source.fixAll`). A fix whose edits overlap one already taken
   * is left for the next run; `applied` counts the fixes taken.
   */
  fixAll(path: string, options: { ruleId?: string; exactOnly: boolean }): { edits: TextEdit[]; applied: number } {
    const findings = this.analyzeFile(path).findings.filter((f) => !options.ruleId || f.ruleId === options.ruleId);
    const taken: TextEdit[] = [];
    let applied = 0;
    for (const finding of findings) {
      const fix = finding.fixes.find((f) => f.explanation === undefined && (!options.exactOnly || f.kind === 'fix'));
      if (!fix) continue;
      let edits: TextEdit[];
      try {
        edits = fix.lazy ? this.resolveFix(path, fix.lazy) : fix.edits;
      } catch {
        continue; // a fix that cannot be built here is skipped, never half-applied
      }
      const fresh = edits.filter((e) => !taken.some((t) => sameEdit(t, e)));
      if (fresh.some((e) => taken.some((t) => overlaps(t, e)))) continue;
      taken.push(...fresh);
      applied++;
    }
    return { edits: taken, applied };
  }

  /**
   * Code sites that send a Redis command (on a static key prefix) or a SQL statement, for linking live data to code.
   */
  commandSites(query: CommandSiteQuery): Span[] {
    const analysis = this.currentAnalysis();
    const command = query.command?.toLowerCase();
    const sql = query.sql ? normaliseSql(query.sql) : undefined;
    const out: Span[] = [];
    for (const file of this.files.all()) {
      if (this.skipReasonOf(file)) continue;
      for (const trip of analysis.roundTrips.inFile(file)) {
        if (command || query.keyPrefix) {
          // A key prefix alone matches every command on those keys (a TTL-less or hot prefix in the panel).
          if (trip.library.roundTripNoun !== 'command' || (command && trip.method.toLowerCase() !== command)) continue;
          if (query.keyPrefix) {
            const key = staticText(argumentsOf(trip.call)[trip.spec.keyArg ?? 0]);
            if (
              key === undefined ||
              !(key.startsWith(query.keyPrefix) || query.keyPrefix.startsWith(key.split('?')[0]!))
            )
              continue;
          }
          out.push(spanOf(file, trip.call));
        } else if (sql && trip.sql && normaliseSql(trip.sql).includes(sql.slice(0, 80))) {
          out.push(spanOf(file, trip.call));
        }
      }
    }
    return out;
  }
}

/** The change as TypeScript's change range, when it can describe `before` → `after`; undefined otherwise. */
function fittingChange(before: string, after: string, change: TextChange): ts.TextChangeRange | undefined {
  const { start, length, newLength } = change;
  const fits =
    Number.isInteger(start) &&
    Number.isInteger(length) &&
    Number.isInteger(newLength) &&
    start >= 0 &&
    length >= 0 &&
    newLength >= 0 &&
    start + length <= before.length &&
    before.length - length + newLength === after.length;
  return fits ? ts.createTextChangeRange(ts.createTextSpan(start, length), newLength) : undefined;
}

/** A cheap fingerprint of a text (FNV-1a over its UTF-16 units, plus its length). */
function textHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${text.length.toString(36)}-${(hash >>> 0).toString(36)}`;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** Two edits of one file that touch the same text, or insert at the same place (their order would be ambiguous). */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  if (a.createFile || b.createFile) return true;
  return a.start < b.end && b.start < a.end ? true : a.start === b.start;
}

function severityFor(rule: Rule, config: Config): SeveritySetting {
  const setting = config.rules[rule.id];
  if (setting?.enabled === false) return 'off';
  return setting?.severity ?? rule.meta.defaultSeverity;
}

interface ImportGraph {
  imports: Map<string, Set<string>>;
  importers: Map<string, Set<string>>;
}

/** Every module a file names in an import, a require, an `export * from` or a re-export. */
function moduleSpecifiers(file: FileModel): string[] {
  return [
    ...[...file.imports.values()].map((b) => b.module),
    ...file.starExports,
    ...[...file.exports.values()].flatMap((e) => (e.kind === 'reexport' ? [e.module] : [])),
  ];
}

function addEdge(graph: Map<string, Set<string>>, from: string, to: string): void {
  const set = graph.get(from) ?? new Set<string>();
  set.add(to);
  graph.set(from, set);
}

/** Every node reachable from `start` (itself excluded). */
function closure(start: string, graph: Map<string, Set<string>>): string[] {
  const out = new Set<string>();
  const queue = [start];
  while (queue.length) {
    for (const next of graph.get(queue.shift()!) ?? []) {
      if (!out.has(next) && next !== start) {
        out.add(next);
        queue.push(next);
      }
    }
  }
  return [...out];
}

function normaliseSql(text: string): string {
  return text
    .replace(/\$\d+|\?/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function contextOf(path: string): FileContext {
  if (TEST_FILE.test(path)) return 'test';
  if (ONE_OFF_FILE.test(path)) return 'one-off';
  if (SCRIPT_FILE.test(path)) return 'script';
  return 'source';
}

/** Very large files and minified bundles are not hand-written service code: skip them with a reason. */
export function skipReasonFor(text: string, config: Config, knownLines?: number): string | undefined {
  const kb = Buffer.byteLength(text, 'utf8') / 1024;
  if (kb > config.thresholds.maxFileSizeKb)
    return `larger than ${config.thresholds.maxFileSizeKb} KiB (${Math.round(kb)} KiB)`;
  if (text.includes('\u0000')) return 'binary content';
  const lines = text.length === 0 ? 1 : (knownLines ?? lineCount(text));
  if (text.length > 2000 && text.length / lines > config.thresholds.minifiedLineLength)
    return 'looks minified (very long lines)';
  return undefined;
}

/**
 * lineCount from the parsed file's line starts (those after a \n), without searching the text: the search was the
 * largest cost per keystroke in the worker's profile on a 600 KiB file.
 */
function newlineCount(file: FileModel): number {
  let count = 1;
  const { lineStarts, text } = file;
  for (let i = 1; i < lineStarts.length; i++) if (text.charCodeAt(lineStarts[i]! - 1) === 10) count++;
  return count;
}

/** Number of \n-separated lines (as `text.split('\n').length`, without building the array). */
function lineCount(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function capSeverity(severity: Severity, cap: Severity): Severity {
  return SEVERITY_ORDER.indexOf(severity) > SEVERITY_ORDER.indexOf(cap) ? cap : severity;
}

function toFinding(
  file: FileModel,
  rule: Rule,
  report: Report<string>,
  configured: Severity,
  fileContext: FileContext,
): Finding {
  let severity = report.severity ? capSeverity(configured, report.severity) : configured;
  // Scripts, migrations and seeds run rarely: report at most as information.
  if (fileContext !== 'source') severity = capSeverity(severity, 'info');
  return {
    ruleId: rule.id,
    messageId: report.messageId,
    message: formatMessage(rule.meta.messages[report.messageId] ?? report.messageId, report.data),
    severity,
    span: spanOf(file, report.node),
    related: (report.related ?? []).map((r) => ({ span: spanOf(r.file ?? file, r.node), message: r.message })),
    fixes: report.fixes ?? [],
    data: { ...report.facts, messageId: report.messageId },
    docsUrl: rule.docsUrl,
  };
}

/** One-shot analysis of a set of files. */
export function analyzeFiles(
  inputs: SourceInput[],
  config: Config = defaultConfig,
  token?: CancellationToken,
  options: SessionOptions = {},
): AnalysisResult {
  const session = new AnalysisSession(config, options);
  for (const input of inputs) session.upsertFile(input.path, input.text);
  return session.analyzeAll(token);
}
