// Whether the workspace scan would leave one file out (built-in skipped directories, .gitignore, `exclude` globs, minified names): applied to files opened in an editor.
import { basename, dirname, relative } from 'node:path';
import { skipByName } from './fileChecks';
import { IgnoreRules, SKIPPED_DIRECTORY_NAMES, isInside } from './ignoreRules';

/**
 * Answers "would the scan of this folder analyse this file?" for single files, with the walk's
 * own rules and in the walk's order. One instance per folder and settings: .gitignore files are
 * read once.
 */
export class FolderExclusions {
  /** .gitignore and `exclude` together, exactly as the walk applies them. */
  private readonly rules: IgnoreRules | undefined;
  /** .gitignore alone, to tell the user which of the two left a file out. */
  private readonly gitignoreOnly: IgnoreRules | undefined;
  /** Verdict per directory (null: walked into), shared by the files below it. */
  private readonly directories = new Map<string, string | null>();

  /** `root` undefined: a file outside every folder, to which only the name checks apply. */
  constructor(
    private readonly root: string | undefined,
    exclude: readonly string[],
  ) {
    if (root === undefined) return;
    this.rules = new IgnoreRules(root, exclude);
    this.gitignoreOnly = new IgnoreRules(root, []);
    // The walk does the same for a named directory that is itself ignored (a folder inside an ignored path).
    for (const rules of [this.rules, this.gitignoreOnly])
      if (rules.ignores(root, true, root)) rules.trustNamedDirectory(root);
  }

  /** Why the scan leaves `path` (absolute) out, or undefined when it analyses it. */
  reasonFor(path: string): string | undefined {
    const root = this.root;
    if (root !== undefined && this.rules && isInside(root, path) && path !== root) {
      const directory = this.directoryReason(dirname(path));
      if (directory) return directory;
      if (this.rules.ignores(path, false, root)) return this.whoIgnores(path, false);
    }
    const byName = skipByName(path);
    return byName ? `it is ${byName.reason}` : undefined;
  }

  /** Why the walk would not enter `dir` (or a directory above it, up to the root); memoised per directory. */
  private directoryReason(dir: string): string | undefined {
    if (dir === this.root) return undefined;
    const cached = this.directories.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const name = basename(dir);
    const reason =
      this.directoryReason(dirname(dir)) ??
      (SKIPPED_DIRECTORY_NAMES.has(name)
        ? `it is inside "${name}" (dependencies, build output and caches are skipped)`
        : undefined) ??
      (this.rules!.ignores(dir, true, this.root!) ? this.whoIgnores(dir, true) : undefined);
    this.directories.set(dir, reason ?? null);
    return reason;
  }

  private whoIgnores(path: string, isDirectory: boolean): string {
    const what = isDirectory ? `its folder ${relative(this.root!, path)}` : 'it';
    return this.gitignoreOnly!.ignores(path, isDirectory, this.root!)
      ? `${what} is ignored by .gitignore`
      : `${what} matches perfAdvisor.exclude`;
  }
}
