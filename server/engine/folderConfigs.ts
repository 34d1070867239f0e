// Settings per workspace folder: a file is analysed with the Config of the deepest folder that contains it.
import type { Library } from '../../rules/knowledge/schema';
import type { Config } from '../../rules/analysis/config';

/** The settings of one workspace folder; `root` is an absolute directory path. */
export interface FolderConfig {
  root: string;
  config: Config;
}

/** Forward slashes, no trailing slash: paths compare the same on every platform. */
function normalisePath(path: string): string {
  const forward = path.replace(/\\/g, '/');
  return forward.length > 1 && forward.endsWith('/') ? forward.slice(0, -1) : forward;
}

/** True when `path` is `root` itself or lies below it. */
function isUnder(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

export class FolderConfigs {
  /** Deepest roots first, so nested folders win over the folders around them. */
  private readonly folders: FolderConfig[];

  constructor(
    /** Settings for files outside every folder (the window-level settings). */
    readonly fallback: Config,
    folders: readonly FolderConfig[] = [],
  ) {
    this.folders = folders
      .map((f) => ({ root: normalisePath(f.root), config: f.config }))
      .sort((a, b) => b.root.length - a.root.length);
  }

  get hasFolders(): boolean {
    return this.folders.length > 0;
  }

  /** Root of the deepest folder containing `path`, or undefined when no folder does. */
  folderOf(path: string): string | undefined {
    return this.folderContaining(path)?.root;
  }

  configFor(path: string): Config {
    return this.folderContaining(path)?.config ?? this.fallback;
  }

  private folderContaining(path: string): FolderConfig | undefined {
    const normal = normalisePath(path);
    return this.folders.find((f) => isUnder(f.root, normal));
  }

  /**
   * Extra libraries of every folder together: library facts describe packages, not folders, and the receiver tracing is
   * project-wide.
   */
  libraries(): Library[] {
    const seen = new Set<string>();
    const out: Library[] = [];
    for (const library of [this.fallback, ...this.folders.map((f) => f.config)].flatMap((c) => c.libraries)) {
      const key = JSON.stringify(library);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(library);
    }
    return out;
  }

  /** The same folders with their extra libraries dropped (after an invalid `libraries` entry). */
  withoutLibraries(): FolderConfigs {
    return new FolderConfigs(
      { ...this.fallback, libraries: [] },
      this.folders.map((f) => ({ root: f.root, config: { ...f.config, libraries: [] } })),
    );
  }

  /** Everything the analysis depends on, for cache keys. */
  toJSON(): { fallback: Config; folders: FolderConfig[] } {
    return { fallback: this.fallback, folders: this.folders };
  }
}
