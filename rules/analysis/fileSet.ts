// The set of parsed files the engine sees at once, and module resolution between them and to libraries.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import type { Library } from '../knowledge/schema';
import type { Knowledge } from '../knowledge/loader';
import { parseFile, type FileModel } from './sourceFile';

export type { Knowledge };

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Parsed files keyed by normalised path; an unchanged text keeps its parse. */
export class FileSet {
  private readonly files = new Map<string, FileModel>();
  /** Paths without extension → path, for import resolution. */
  private readonly byStem = new Map<string, string>();

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
    this.files.set(key, parseFile(key, text, existing, undefined, existing ? change : undefined));
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
    // Path aliases (`@/lib/db`, `~/db`, `src/db`): accept a unique project file whose path ends with the tail.
    const tail = specifier.replace(/^(@|~|#)[^/]*\//, '').replace(/^(@|~|#)\//, '');
    if (tail === specifier && !specifier.startsWith('src/')) return undefined;
    let match: string | undefined;
    for (const [stem, key] of this.byStem) {
      if (stem.endsWith('/' + stripExtension(tail)) || stem.endsWith('/' + tail + '/index')) {
        if (match && match !== key) return undefined;
        match = key;
      }
    }
    return match ? this.files.get(match) : undefined;
  }

  private lookupStem(base: string): FileModel | undefined {
    const direct = this.files.get(base);
    if (direct) return direct;
    const stem = stripExtension(base);
    const byStem = this.byStem.get(stem) ?? this.byStem.get(base) ?? this.byStem.get(base + '/index');
    return byStem ? this.files.get(byStem) : undefined;
  }
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
