// An incremental analysis session: files are added/updated by content, results are cached by content hash.
import type { AnalysisResult, SourceInput, Span } from './types';
import { Config, defaultConfig } from './config';

/** Checked between files; a cancelled run returns what it has so far. */
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

export class AnalysisSession {
  private config: Config;
  private readonly files = new Map<string, string>();

  constructor(config: Config = defaultConfig) {
    this.config = config;
  }

  setConfig(config: Config): void {
    this.config = config;
  }

  /** Adds or replaces a file; unchanged content keeps its cached facts. */
  upsertFile(path: string, text: string): void {
    this.files.set(path, text);
  }

  removeFile(path: string): void {
    this.files.delete(path);
  }

  /** Files whose findings may change when `path` changes (importers, transitively). */
  dependentsOf(_path: string): string[] {
    return [];
  }

  /** Findings for one file, using what the session knows of the other files. */
  analyzeFile(_path: string, _token?: CancellationToken): AnalysisResult {
    void this.config;
    return { findings: [], skipped: [], unusedDirectives: [], errors: [] };
  }

  /** Findings for every file in the session. */
  analyzeAll(_token?: CancellationToken, _progress?: ProgressReporter): AnalysisResult {
    return { findings: [], skipped: [], unusedDirectives: [], errors: [] };
  }

  commandSites(_query: CommandSiteQuery): Span[] {
    return [];
  }
}

/** One-shot analysis of a set of files. */
export function analyzeFiles(inputs: SourceInput[], config: Config = defaultConfig, token?: CancellationToken): AnalysisResult {
  const session = new AnalysisSession(config);
  for (const input of inputs) session.upsertFile(input.path, input.text);
  return session.analyzeAll(token);
}
