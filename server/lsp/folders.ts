// The workspace folders the server serves: their roots, their settings, and which files their scan leaves out (also when opened in an editor).
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Direct imports, not the engine's index: the LSP thread must not load the rules (and TypeScript with them).
import { defaultConfig } from '../../rules/analysis/config';
import { FolderConfigs } from '../engine/folderConfigs';
import { FolderExclusions, isInside } from '../workspace';
import type { FolderRef, Settings } from './settings';

/** Folder as the client names it (LSP WorkspaceFolder). */
export interface ClientFolder {
  uri: string;
  name: string;
}

export class WorkspaceFolderSet {
  private folders: FolderRef[] = [];
  private configs = new FolderConfigs(defaultConfig);
  private readonly exclusions = new Map<string, FolderExclusions>();
  /** Verdict per file path: why it is left out, or null when it is analysed. */
  private readonly verdicts = new Map<string, string | null>();
  /** The reason last logged per excluded file, so each is explained once. */
  private readonly noted = new Map<string, string>();

  constructor(private readonly note: (message: string) => void) {}

  get all(): readonly FolderRef[] {
    return this.folders;
  }

  get roots(): string[] {
    return this.folders.map((f) => f.root);
  }

  /** Adds the folders not served yet (only file: URIs); returns those added. */
  add(folders: readonly ClientFolder[]): FolderRef[] {
    const added: FolderRef[] = [];
    for (const folder of folders) {
      if (!folder.uri.startsWith('file:')) continue;
      const root = rootOf(folder.uri);
      if (this.folders.some((f) => f.root === root)) continue;
      const ref = { uri: folder.uri, name: folder.name || basename(root), root };
      this.folders.push(ref);
      added.push(ref);
    }
    if (added.length > 0) this.invalidate();
    return added;
  }

  /** Removes folders; returns those that were served. */
  remove(folders: readonly ClientFolder[]): FolderRef[] {
    const roots = new Set(folders.filter((f) => f.uri.startsWith('file:')).map((f) => rootOf(f.uri)));
    const removed = this.folders.filter((f) => roots.has(f.root));
    this.folders = this.folders.filter((f) => !roots.has(f.root));
    if (removed.length > 0) this.invalidate();
    return removed;
  }

  /** New settings (per folder): exclusion verdicts are recomputed. */
  setSettings(settings: Settings): void {
    this.configs = new FolderConfigs(settings.config, settings.folders);
    this.invalidate();
  }

  /** A .gitignore changed: verdicts are recomputed. */
  invalidate(): void {
    this.exclusions.clear();
    this.verdicts.clear();
  }

  /** The deepest folder that contains `path`, if any. */
  folderOf(path: string): FolderRef | undefined {
    let best: FolderRef | undefined;
    for (const folder of this.folders) {
      if (isInside(folder.root, path) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    return best;
  }

  /**
   * True when the scan of its folder leaves `path` out; the reason is logged once per file (and again when it changes).
   */
  isExcluded(path: string): boolean {
    const reason = this.exclusionOf(path);
    if (!reason) {
      this.noted.delete(path);
      return false;
    }
    if (this.noted.get(path) !== reason) {
      this.noted.set(path, reason);
      this.note(`${path} is not analysed: ${reason}`);
    }
    return true;
  }

  /** Why the scan of its folder leaves `path` out (the same rules as the CLI's walk), or undefined. */
  exclusionOf(path: string): string | undefined {
    const cached = this.verdicts.get(path);
    if (cached !== undefined) return cached ?? undefined;
    const folder = this.folderOf(path);
    const key = folder?.root ?? '';
    let rules = this.exclusions.get(key);
    if (!rules) {
      rules = new FolderExclusions(folder?.root, folder ? this.configs.configFor(folder.root).exclude : []);
      this.exclusions.set(key, rules);
    }
    const reason = rules.reasonFor(path);
    this.verdicts.set(path, reason ?? null);
    return reason;
  }
}

/** A folder URI as a directory path, without the trailing separator some editors send. */
function rootOf(uri: string): string {
  return resolve(fileURLToPath(uri));
}
