// The set of parsed files the engine sees at once, and module resolution between them and to libraries.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { Library } from '../knowledge/schema';
import type { Knowledge } from '../knowledge/loader';
import { lazilyParsedFile, parseFile, type FileModel } from './sourceFile';

export type { Knowledge };

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Parsed files keyed by normalised path; an unchanged text keeps its parse. */
export class FileSet {
  private readonly files = new Map<string, FileModel>();
  /** Paths without extension → path, for import resolution. */
  private readonly byStem = new Map<string, string>();
  private failedLazyParses = 0;

  /** `lazy`: new files are parsed on first use of their tree (see lazilyParsedFile); edits always parse at once. */
  constructor(private readonly options: { lazy?: boolean } = {}) {}

  /** Lazily parsed files whose parse threw when first needed (a file upserted eagerly throws from upsert instead). */
  get lazyParseFailures(): number {
    return this.failedLazyParses;
  }

  get size(): number {
    return this.files.size;
  }

  all(): IterableIterator<FileModel> {
    return this.files.values();
  }

  get(filePath: string): FileModel | undefined {
    return this.files.get(normalise(filePath));
  }

  /**
   * Adds or replaces a file; returns false when the content is unchanged. `change`, when the editor said what it
   * replaced, is the span of the previous text that changed (it must cover every difference).
   */
  upsert(filePath: string, text: string, change?: ts.TextChangeRange): boolean {
    const key = normalise(filePath);
    const existing = this.files.get(key);
    // Comparing the texts is a native memcmp; hashing every keystroke's text cost more than that (sha1 of 600 KiB:
    // milliseconds).
    if (existing && (change ? change.span.length === 0 && change.newLength === 0 : existing.text === text))
      return false;
    // A new file is parsed when first needed; an edit re-parses incrementally from the previous tree at once.
    this.files.set(
      key,
      existing
        ? parseFile(key, text, existing, undefined, change)
        : this.options.lazy
          ? lazilyParsedFile(key, text, () => this.failedLazyParses++)
          : parseFile(key, text),
    );
    this.byStem.set(stripExtension(key), key);
    return true;
  }

  /** Parses a file's current text from scratch (see REPARSE_BUDGET); false when it is unknown or already fresh. */
  reparse(filePath: string): boolean {
    const key = normalise(filePath);
    const existing = this.files.get(key);
    if (!existing || existing.incrementalChars === 0) return false;
    this.files.set(key, parseFile(key, existing.text));
    return true;
  }

  remove(filePath: string): void {
    const key = normalise(filePath);
    this.files.delete(key);
    if (this.byStem.get(stripExtension(key)) === key) this.byStem.delete(stripExtension(key));
  }

  /** Resolves a relative or aliased specifier from `fromFile` to a project file. */
  resolveModule(fromFile: string, specifier: string): FileModel | undefined {
    if (specifier.startsWith('.')) {
      const base = path.posix.join(path.posix.dirname(fromFile), specifier);
      return this.lookupStem(base);
    }
    // Path aliases (`@/lib/db`, `~/db`, `src/db`, `@scope/pkg/db`): a project file whose path ends with the tail; the
    // first tail that matches any file decides.
    for (const tail of aliasTails(specifier)) {
      const matches = new Map<string, string>();
      for (const [stem, key] of this.byStem) {
        if (stem.endsWith('/' + stripExtension(tail))) matches.set(key, stem.slice(0, -stripExtension(tail).length));
        else if (stem.endsWith('/' + tail + '/index')) matches.set(key, stem.slice(0, -(tail.length + 6)));
      }
      if (matches.size === 0) continue;
      const key = matches.size === 1 ? [...matches.keys()][0] : aliasRootMatch(fromFile, matches);
      return key ? this.files.get(key) : undefined;
    }
    return undefined;
  }

  /**
   * Importers of each file by a scan of the texts, without parsing: every quoted string that could name a project
   * file (with every file it could resolve to) is taken as an import. A superset of the real import edges, so the
   * files that can reach a function are among a file's importers here, and only the files asked about get parsed.
   */
  importersByText(): Map<string, Set<string>> {
    const stems = new Map<string, string[]>();
    for (const [stem, key] of [...this.files.keys()].map((key) => [stripExtension(key), key] as const))
      stems.set(stem, [...(stems.get(stem) ?? []), key]);
    const byLastSegment = new Map<string, string[]>();
    for (const stem of stems.keys()) {
      const last = stem.slice(stem.lastIndexOf('/') + 1);
      byLastSegment.set(last, [...(byLastSegment.get(last) ?? []), stem]);
    }
    const importers = new Map<string, Set<string>>();
    // An alias resolves the same from every file: each distinct one is matched against the paths once.
    const aliases = new Map<string, string[]>();
    for (const file of this.files.values()) {
      for (const specifier of quotedStrings(file.text)) {
        let targets = specifier.startsWith('.') ? undefined : aliases.get(specifier);
        if (!targets) {
          targets = this.candidatesFor(file.path, specifier, stems, byLastSegment);
          if (!specifier.startsWith('.')) aliases.set(specifier, targets);
        }
        for (const target of targets) {
          if (target === file.path) continue;
          const set = importers.get(target) ?? new Set<string>();
          set.add(file.path);
          importers.set(target, set);
        }
      }
    }
    return importers;
  }

  /** Every file `specifier` could resolve to from `fromFile` (what resolveModule picks is among them). */
  private candidatesFor(
    fromFile: string,
    specifier: string,
    stems: Map<string, string[]>,
    byLastSegment: Map<string, string[]>,
  ): string[] {
    if (specifier.startsWith('.')) {
      const base = path.posix.join(path.posix.dirname(fromFile), specifier);
      const out = [...(stems.get(stripExtension(base)) ?? []), ...(stems.get(base) ?? [])];
      out.push(...(stems.get(base + '/index') ?? []));
      if (this.files.has(base)) out.push(base);
      return out;
    }
    const out: string[] = [];
    // Only stems whose last segment is the tail's (or `index`) can end with it.
    const lastOf = (text: string) => text.slice(text.lastIndexOf('/') + 1);
    for (const tail of aliasTails(specifier)) {
      const named = stripExtension(tail);
      const indexed = tail + '/index';
      for (const stem of [...(byLastSegment.get(lastOf(named)) ?? []), ...(byLastSegment.get('index') ?? [])])
        if (stem.endsWith('/' + named) || stem.endsWith('/' + indexed)) out.push(...stems.get(stem)!);
    }
    return [...new Set(out)];
  }

  private lookupStem(base: string): FileModel | undefined {
    const direct = this.files.get(base);
    if (direct) return direct;
    const stem = stripExtension(base);
    const byStem = this.byStem.get(stem) ?? this.byStem.get(base) ?? this.byStem.get(base + '/index');
    return byStem ? this.files.get(byStem) : undefined;
  }
}

/**
 * Of several files an alias could name, the one under the alias's root: tsconfig maps an alias to a folder that holds
 * the importing file (`@/*` → the app's root), so only a match whose folder is an ancestor of the importer can be it,
 * and of those the outermost (an app's root, not a feature folder with its own `lib/`). Undefined when that is not one
 * file.
 */
function aliasRootMatch(fromFile: string, matches: Map<string, string>): string | undefined {
  const importerDir = path.posix.dirname(fromFile) + '/';
  const roots = [...matches].filter(([, root]) => importerDir.startsWith(root));
  if (roots.length === 0) return undefined;
  const shortest = Math.min(...roots.map(([, root]) => root.length));
  const outermost = roots.filter(([, root]) => root.length === shortest);
  return outermost.length === 1 ? outermost[0]![0] : undefined;
}

/**
 * The path tails an alias can stand for, in the order tried: what follows its prefix (`@/lib/db`, `~/db`, `#db`,
 * `@scope/pkg/db` → `pkg/db`, or `src/db` itself), then for a scoped package path the same inside the package's `src`
 * (`@gitroom/nestjs-libraries/database/x` → `nestjs-libraries/src/database/x`, the monorepo layout where tsconfig
 * `paths` maps `@scope/pkg/*` to `libs/pkg/src/*`; `@scope/pkg/lib/x` → `pkg/src/x`, a build folder's source). None: not an alias (a package name).
 */
function aliasTails(specifier: string): string[] {
  const tail = specifier.replace(/^(@|~|#)[^/]*\//, '').replace(/^(@|~|#)\//, '');
  if (tail === specifier && !specifier.startsWith('src/')) return [];
  const slash = tail.indexOf('/');
  if (!specifier.startsWith('@') || slash <= 0 || tail.startsWith('src/')) return [tail];
  const pkg = tail.slice(0, slash);
  const inside = tail.slice(slash + 1);
  // A package's build folder (`@vendure/common/lib/unique`) is compiled from its `src`.
  const built = /^(lib|dist|build)\//.exec(inside);
  return [tail, `${pkg}/src/${built ? inside.slice(built[0].length) : inside}`];
}

/**
 * The contents of every '…' and "…" string in a text that could name a project module (relative, or an alias such as
 * `@/db`, `~/db`, `#db`, `src/db`), read from each quote character on (so a stray apostrophe in a comment cannot hide
 * the specifier after it), with escapes also read as the characters they stand for.
 */
function quotedStrings(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const quote = text.charCodeAt(i);
    if (quote !== 39 && quote !== 34) continue;
    const first = text.charCodeAt(i + 1);
    // . @ ~ # s: every specifier resolveModule can resolve to a project file starts with one of them.
    if (first !== 46 && first !== 64 && first !== 126 && first !== 35 && first !== 115) continue;
    let end = i + 1;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (code === quote || code === 10 || code === 13) break;
      end++;
    }
    if (text.charCodeAt(end) !== quote) continue;
    const raw = text.slice(i + 1, end);
    out.add(raw);
    if (raw.includes('\\')) out.add(raw.replace(/\\(.)/g, '$1'));
  }
  return out;
}

export function normalise(filePath: string): string {
  return filePath.replace(/\\/g, '/');
}

function stripExtension(filePath: string): string {
  for (const extension of SOURCE_EXTENSIONS) {
    if (filePath.endsWith(extension)) return filePath.slice(0, -extension.length);
  }
  return filePath;
}

/** Finds the library a bare specifier loads, including subpaths (`mysql2/promise`, `@prisma/client/edge`). */
export function libraryForModule(knowledge: Knowledge, specifier: string): Library | undefined {
  const direct = knowledge.byModule.get(specifier) ?? knowledge.byModule.get(specifier.replace(/^node:/, ''));
  if (direct) return direct;
  const parts = specifier.split('/');
  const packageName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return knowledge.byModule.get(packageName);
}
