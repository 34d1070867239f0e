// Whether the workspace scan would leave one file out (built-in skipped directories, .gitignore, `exclude` globs, minified names): applied to files opened in an editor.
import { join, relative, sep } from 'node:path';
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

  /** `root` undefined: a file outside every folder, to which only the name checks apply. */
  constructor(
    private readonly root: string | undefined,
    exclude: readonly string[],
  ) {
    if (root === undefined) return;
    this.rules = new IgnoreRules(root, exclude);
    this.gitignoreOnly = new IgnoreRules(root, []);
    // The walk does the same for a named directory that is itself ignored (a folder inside an ignored path).
    for (const rules of [this.rules, this.gitignoreOnly]) if (rules.ignores(root, true, root)) rules.trustNamedDirectory(root);
  }

  /** Why the scan leaves `path` (absolute) out, or undefined when it analyses it. */
  reasonFor(path: string): string | undefined {
    const root = this.root;
    if (root !== undefined && this.rules && isInside(root, path) && path !== root) {
      const parts = relative(root, path).split(sep);
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        dir = join(dir, part);
        if (SKIPPED_DIRECTORY_NAMES.has(part)) return `it is inside "${part}" (dependencies, build output and caches are skipped)`;
        if (this.rules.ignores(dir, true, root)) return this.whoIgnores(dir, true);
      }
      if (this.rules.ignores(path, false, root)) return this.whoIgnores(path, false);
    }
    const byName = skipByName(path);
    return byName ? `it is ${byName.reason}` : undefined;
  }

  private whoIgnores(path: string, isDirectory: boolean): string {
    const what = isDirectory ? `its folder ${relative(this.root!, path)}` : 'it';
    return this.gitignoreOnly!.ignores(path, isDirectory, this.root!) ? `${what} is ignored by .gitignore` : `${what} matches perfAdvisor.exclude`;
  }
}
