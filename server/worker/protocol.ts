// Messages between the LSP thread and the analysis worker thread (which owns the engine session).
import type { CommandSiteQuery, Config, FolderConfig, LazyFix, Severity, TextChange } from '../engine';
import type { WireRange } from '../protocol';

/** A finding with every offset already turned into a line/character range, ready for LSP. */
export interface WireFinding {
  path: string;
  ruleId: string;
  message: string;
  severity: Severity;
  range: WireRange;
  related: { path: string; range: WireRange; message: string }[];
  fixes: {
    title: string;
    kind: 'fix' | 'suggestion';
    edits: WireEdit[];
    /** Built on request (`resolveFix`); `edits` is empty until then. */
    lazy?: LazyFix;
    /** An explanation-only action: the anchor of the rule's docs that says why no edit is offered. */
    explanation?: string;
  }[];
  docsUrl: string;
  /** The rule's one-sentence description (for the report; the LSP thread does not load the rules). */
  ruleDescription: string;
}

export interface WireEdit {
  path: string;
  range: WireRange;
  newText: string;
  createFile?: boolean;
}

/** What the worker knows about one file after analysing it (or taking it from the cache). */
export interface FileOutcome {
  path: string;
  findings: WireFinding[];
  /** Why the file was passed over (too large, minified, binary). */
  skipped?: string;
  /** The engine threw on this file: logged, no findings. */
  error?: string;
  fromCache?: boolean;
}

export interface ScanRequest {
  roots: string[];
  /** Cache file in the extension's storage folder; undefined = no persistent cache. */
  cacheFile?: string;
}

export interface ScanSummary {
  files: number;
  skipped: number;
  fromCache: number;
  cancelled: boolean;
  /** Files that were present before and are gone now (their diagnostics must be cleared). */
  removed: string[];
  warnings: string[];
}

export type ToWorker =
  /** `change`: the span of the previously sent text this one replaces (from the editor's change events), if known. */
  | { kind: 'upsert'; path: string; text: string; open: boolean; change?: TextChange }
  | { kind: 'close'; path: string }
  | { kind: 'config'; config: Config; folders: FolderConfig[] }
  /**
   * Files that leave the session, open or not (their workspace folder was removed, or they became excluded);
   * `outsideFolders`: also every closed file that no workspace folder contains any more (a folder was removed).
   */
  | { kind: 'remove'; paths: string[]; outsideFolders?: boolean }
  | { kind: 'analyze'; id: number; paths: string[]; cancel: SharedArrayBuffer }
  | { kind: 'scan'; id: number; request: ScanRequest; cancel: SharedArrayBuffer }
  | { kind: 'reload'; id: number; paths: string[] }
  | { kind: 'commandSites'; id: number; query: CommandSiteQuery }
  | { kind: 'dependents'; id: number; path: string }
  /** Builds a lazy fix's edits (`codeAction/resolve`); replies WireEdit[]. */
  | { kind: 'resolveFix'; id: number; path: string; lazy: LazyFix }
  /** The first fix of every finding in the file (of one rule, or exact fixes only); replies WireEdit[]. */
  | { kind: 'fixAll'; id: number; path: string; ruleId?: string; exactOnly: boolean };

export type FromWorker =
  | { kind: 'fileResult'; id: number; outcome: FileOutcome }
  | { kind: 'progress'; id: number; done: number; total: number; phase: 'reading' | 'analyzing' }
  | { kind: 'reply'; id: number; value: unknown }
  | { kind: 'failure'; id: number; message: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** workerData marker that makes the bundled server start as the analysis worker. */
export const WORKER_ROLE = 'perf-advisor-analysis-worker';

/**
 * Folds one more edit into the span changed since the text was last sent: `change` maps the sent text to the current
 * one; the edit replaces [start, end) of the current text with `newLength` characters. The result maps the sent text
 * to the text after the edit (it covers both spans and everything between them).
 */
export function mergeChange(change: TextChange | undefined, start: number, end: number, newLength: number): TextChange {
  if (!change) return { start, length: end - start, newLength };
  const low = Math.min(change.start, start);
  const highCurrent = Math.max(change.start + change.newLength, end);
  return {
    start: low,
    length: highCurrent - change.newLength + change.length - low,
    newLength: highCurrent + newLength - (end - start) - low,
  };
}
