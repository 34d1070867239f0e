// Finds the TS/JS files to analyse under the given paths: .gitignore, excludes, built-in skips, size/minified/binary checks, symlink loops.
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { IgnoreRules, SKIPPED_DIRECTORY_NAMES, isInside } from './ignoreRules';
import { isSourceFileName, readSource, skipByName, skipBySize, type ContentLimits, type SkipKind } from './fileChecks';

export interface DiscoverOptions {
  /** Absolute directory that relative paths, `exclude` globs and reports are relative to (the CLI's cwd). */
  root: string;
  /** Gitignore-syntax globs, relative to `root`. */
  exclude?: readonly string[];
  maxFileSizeKb?: number;
  minifiedLineLength?: number;
}

export interface DiscoveredFile {
  /** Absolute path as reached from the given paths (symlinks not resolved). */
  path: string;
  text: string;
}

export interface DiscoverySkip {
  path: string;
  kind: SkipKind | 'not-source';
  reason: string;
}

/** A path the caller named that cannot be scanned (missing, broken link, not a file or directory). */
export interface PathError {
  path: string;
  message: string;
}

export interface DiscoveryResult {
  files: DiscoveredFile[];
  skipped: DiscoverySkip[];
  pathErrors: PathError[];
  /** Non-fatal problems, such as an unreadable .gitignore. */
  warnings: { path: string; message: string }[];
}

const DEFAULT_LIMITS: ContentLimits = { maxFileSizeKb: 1024, minifiedLineLength: 500 };

/** One scan; holds the visited sets that make symlink loops and duplicates harmless. */
class Walker {
  readonly result: DiscoveryResult = { files: [], skipped: [], pathErrors: [], warnings: [] };
  private readonly visitedDirectories = new Set<string>();
  private readonly visitedFiles = new Set<string>();
  private readonly ignoreRules: IgnoreRules;
  private readonly limits: ContentLimits;

  constructor(root: string, exclude: readonly string[], limits: ContentLimits) {
    this.ignoreRules = new IgnoreRules(root, exclude);
    this.limits = limits;
  }

  /** Scans one path the user named. */
  start(path: string, given: string): void {
    let link: Stats;
    try {
      link = lstatSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.result.pathErrors.push({
        path: given,
        message:
          code === 'ENOENT' ? 'no such file or directory' : `cannot access (${code ?? (error as Error).message})`,
      });
      return;
    }
    let target: Stats = link;
    if (link.isSymbolicLink()) {
      try {
        target = statSync(path);
      } catch {
        this.result.pathErrors.push({ path: given, message: 'broken symbolic link' });
        return;
      }
    }
    if (target.isDirectory()) {
      if (this.ignoreRules.ignores(path, true, path)) this.ignoreRules.trustNamedDirectory(path);
      this.walkDirectory(path, path, []);
    } else if (target.isFile()) this.visitFile(path, target, true);
    else this.result.pathErrors.push({ path: given, message: 'not a regular file or directory' });
  }

  private skip(path: string, kind: DiscoverySkip['kind'], reason: string): void {
    this.result.skipped.push({ path, kind, reason });
  }

  /** Walks a directory; `stack` holds the real paths of the directories above it on this walk. */
  private walkDirectory(dir: string, walkStart: string, stack: string[]): void {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (error) {
      this.skip(dir, 'unreadable', `unreadable directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    if (stack.some((above) => isInside(real, above))) {
      this.skip(dir, 'symlink-loop', `symbolic link loop (points back to ${real})`);
      return;
    }
    if (this.visitedDirectories.has(real)) return; // reached twice through links: scanned once
    this.visitedDirectories.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      this.skip(dir, 'unreadable', `unreadable directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const below = [...stack, real];
    for (const entry of entries) {
      const full = join(dir, entry.name);
      try {
        this.visitEntry(entry, full, walkStart, below);
      } catch (error) {
        this.skip(full, 'unreadable', `unreadable (${(error as Error).message})`);
      }
    }
  }

  private visitEntry(entry: Dirent, full: string, walkStart: string, stack: string[]): void {
    let stats: Stats | undefined;
    if (entry.isSymbolicLink()) {
      try {
        stats = statSync(full);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') this.skip(full, 'symlink-loop', 'symbolic link loop (the link resolves to itself)');
        else if (!this.ignoreRules.ignores(full, false, walkStart))
          this.skip(full, 'broken-symlink', 'broken symbolic link');
        return;
      }
    }
    const isDirectory = stats ? stats.isDirectory() : entry.isDirectory();
    const isFile = stats ? stats.isFile() : entry.isFile();
    if (isDirectory) {
      if (SKIPPED_DIRECTORY_NAMES.has(entry.name)) return;
      if (this.ignoreRules.ignores(full, true, walkStart)) return;
      this.walkDirectory(full, walkStart, stack);
      return;
    }
    if (!isSourceFileName(entry.name)) return;
    if (this.ignoreRules.ignores(full, false, walkStart)) return;
    if (!isFile) {
      this.skip(full, 'not-a-file', 'not a regular file');
      return;
    }
    this.visitFile(full, stats ?? statSync(full), false);
  }

  /**
   * Checks and reads one file; `explicit` when the user named it (then ignore rules do not apply, the extension check
   * is reported).
   */
  private visitFile(path: string, stats: Stats, explicit: boolean): void {
    if (explicit && !isSourceFileName(basename(path))) {
      return this.skip(
        path,
        'not-source',
        'not a TS/JS source file (.d.ts files and other extensions are not analysed)',
      );
    }
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      /* keep the given path */
    }
    if (this.visitedFiles.has(real)) return;
    this.visitedFiles.add(real);
    const verdict = skipByName(path) ?? skipBySize(stats.size, this.limits);
    if (verdict) return this.skip(path, verdict.kind, verdict.reason);
    const read = readSource(path, this.limits);
    if ('kind' in read) return this.skip(path, read.kind, read.reason);
    this.result.files.push({ path, text: read.text });
  }

  finish(): DiscoveryResult {
    this.result.warnings.push(...this.ignoreRules.problems);
    this.result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return this.result;
  }
}

/**
 * Collects the source files under `paths` (files or directories, relative to `root` or absolute).
 * Never throws: paths that cannot be scanned come back in `pathErrors` for the caller to report.
 */
export function discoverFiles(paths: readonly string[], options: DiscoverOptions): DiscoveryResult {
  const root = resolve(options.root);
  const limits: ContentLimits = {
    maxFileSizeKb: options.maxFileSizeKb ?? DEFAULT_LIMITS.maxFileSizeKb,
    minifiedLineLength: options.minifiedLineLength ?? DEFAULT_LIMITS.minifiedLineLength,
  };
  const walker = new Walker(root, options.exclude ?? [], limits);
  for (const given of paths.length > 0 ? paths : ['.']) {
    try {
      walker.start(isAbsolute(given) ? resolve(given) : resolve(root, given), given);
    } catch (error) {
      walker.result.pathErrors.push({ path: given, message: (error as Error).message });
    }
  }
  return walker.finish();
}
