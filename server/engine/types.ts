// Public contract of the analysis engine: what goes in (files) and what comes out (findings, skipped files, errors).
// Nothing here knows about VS Code or LSP; the server, the CLI and the tests all speak these types.
import type { Finding, Span } from '../../rules/analysis/types';
import type { TypeOracleStats } from '../../rules/analysis/typeOracle';

export type * from '../../rules/analysis/types';

export interface SourceInput {
  /** Absolute or workspace-relative path; used for import resolution and reporting. */
  path: string;
  text: string;
}

/** A file the engine passed over and why (too large, minified, binary, unreadable). */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A `perf-advisor-ignore-next-line` directive that silenced nothing. */
export interface UnusedDirective {
  span: Span;
  rules: string[];
}

export interface AnalysisResult {
  findings: Finding[];
  skipped: SkippedFile[];
  unusedDirectives: UnusedDirective[];
  /** Files whose analysis threw: logged, given no findings, never fatal. */
  errors: { path: string; message: string }[];
  /** The token was cancelled before every requested file was analysed: the results are partial. */
  cancelled?: boolean;
  /** Present when the session runs with types: what the TypeScript checker was asked and resolved. */
  types?: TypesSummary;
}

/**
 * What an edit replaced, in offsets of the text before it: `length` characters from `start` became `newLength`
 * characters. Several edits since the last text merge into one span that covers them all.
 */
export interface TextChange {
  start: number;
  length: number;
  newLength: number;
}

export interface SessionOptions {
  /**
   * Ask the TypeScript checker (a program on each file's nearest tsconfig, built lazily) about calls whose receiver
   * syntax cannot place and whose method a knowledge table lists. Off by default.
   */
  types?: boolean;
  /** With types: no tsconfig above this directory is used (the workspace or CLI root). Default: none, up to `/`. */
  typesRoot?: string;
  /**
   * Parse a file when something first needs its tree (a scan helper holds every file but reaches only part of them).
   * A file the parser gives up on then fails where it is first used, not on upsert: see lazyParseFailed.
   */
  lazyParse?: boolean;
}

/** Whether an analysis ran with the TypeScript checker, and what it did. */
export type TypesSummary = { enabled: false } | ({ enabled: true } & TypeOracleStats);
