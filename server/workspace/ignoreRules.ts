// Gitignore semantics for the workspace walk: root and nested .gitignore files, config excludes and built-in skips.
import ignore, { type Ignore } from 'ignore';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Directories never walked into: dependencies, build output, caches and vendored code. */
export const SKIPPED_DIRECTORY_NAMES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'vendor',
  'vendors',
  'dist',
  'build',
  'out',
  'coverage',
  '.nyc_output',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.serverless',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.git',
  '.hg',
  '.svn',
  '.yarn',
  '.pnpm-store',
  '.perf-advisor-cache',
  // load-test results, CPU profiles and diagnoses saved by the profiling commands
  '.perf-advisor',
]);

/** Converts an OS path relative to a base into the posix form the `ignore` package expects. */
function toPosix(relativePath: string): string {
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

/** True when `child` is `parent` itself or lies below it. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/** Finds the enclosing git work tree (a directory holding `.git`), or undefined. */
export function findGitRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Answers "is this path ignored?" like git does: every .gitignore from the git root (or the
 * scan root when there is no repository) down to the path's directory applies, deeper files
 * overriding shallower ones; config `exclude` globs apply relative to the scan root.
 */
export class IgnoreRules {
  private readonly perDirectory = new Map<string, Ignore | null>();
  private readonly exclude: Ignore;
  private readonly root: string;
  private readonly gitRoots = new Map<string, string | undefined>();
  /** .gitignore files that could not be read or parsed; reported, never fatal. */
  readonly problems: { path: string; message: string }[] = [];

  constructor(root: string, excludeGlobs: readonly string[]) {
    this.root = root;
    this.exclude = ignore().add(excludeGlobs as string[]);
  }

  /** The rules of `dir/.gitignore`, loaded once; null when there is none. */
  private rulesOf(dir: string): Ignore | null {
    const cached = this.perDirectory.get(dir);
    if (cached !== undefined) return cached;
    let rules: Ignore | null = null;
    const file = join(dir, '.gitignore');
    try {
      if (existsSync(file) && statSync(file).isFile()) rules = ignore().add(readFileSync(file, 'utf8'));
    } catch (error) {
      this.problems.push({ path: file, message: `could not read .gitignore: ${(error as Error).message}` });
    }
    this.perDirectory.set(dir, rules);
    return rules;
  }

  /** The base from which .gitignore files apply to `path`: its git root, else the scan root or the path's own start. */
  private baseFor(path: string, walkStart: string): string {
    if (!this.gitRoots.has(walkStart)) this.gitRoots.set(walkStart, findGitRoot(walkStart));
    const gitRoot = this.gitRoots.get(walkStart);
    if (gitRoot && isInside(gitRoot, path)) return gitRoot;
    if (isInside(this.root, path)) return this.root;
    return walkStart;
  }

  /** Directories the user named although they are ignored: below them only their own .gitignore files apply. */
  private readonly namedDespiteIgnore = new Set<string>();

  /** Marks a directory the user named explicitly; called when it is itself ignored. */
  trustNamedDirectory(dir: string): void {
    this.namedDespiteIgnore.add(dir);
  }

  /** Whether `path` (absolute) is ignored by .gitignore or by the config's exclude globs. */
  ignores(path: string, isDirectory: boolean, walkStart: string): boolean {
    if (this.namedDespiteIgnore.has(walkStart)) return this.ignoredByGitignore(path, isDirectory, walkStart);
    if (isInside(this.root, path) && path !== this.root) {
      const rel = toPosix(relative(this.root, path)) + (isDirectory ? '/' : '');
      if (this.exclude.ignores(rel)) return true;
    }
    return this.ignoredByGitignore(path, isDirectory, this.baseFor(path, walkStart));
  }

  /** Applies the .gitignore files from `base` down to the path's directory, deeper ones overriding. */
  private ignoredByGitignore(path: string, isDirectory: boolean, base: string): boolean {
    if (path === base) return false;
    const chain: string[] = [];
    for (let dir = dirname(path); isInside(base, dir); dir = dirname(dir)) {
      chain.unshift(dir);
      if (dir === base) break;
    }
    let ignored = false;
    for (const dir of chain) {
      const rules = this.rulesOf(dir);
      if (!rules) continue;
      const rel = toPosix(relative(dir, path)) + (isDirectory ? '/' : '');
      const verdict = rules.test(rel);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}
