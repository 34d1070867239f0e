// The content-hash cache of per-file results, kept in the extension's storage folder so a restarted scan resumes cheaply.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { FileOutcome } from './protocol';

const CACHE_VERSION = 1;

const CachedFile = z.object({
  hash: z.string(),
  outcome: z.custom<FileOutcome>((v) => typeof v === 'object' && v !== null && 'findings' in v),
});
const CacheFile = z.object({
  version: z.literal(CACHE_VERSION),
  /**
   * Digest of the engine build, the config and every file's content hash. Findings depend on
   * other files (cross-file "via" chains), so entries are trusted only under the same digest.
   */
  workspaceKey: z.string(),
  files: z.record(z.string(), CachedFile),
});
export type CacheFile = z.infer<typeof CacheFile>;

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function workspaceKeyOf(engineKey: string, config: unknown, hashes: Map<string, string>): string {
  const hash = createHash('sha1').update(engineKey).update(JSON.stringify(config));
  for (const path of [...hashes.keys()].sort()) hash.update(`${path}\0${hashes.get(path)}\n`);
  return hash.digest('hex');
}

/** Reads the cache; a missing, unreadable or outdated file is simply an empty cache. */
export function loadCache(file: string): CacheFile | undefined {
  try {
    const parsed = CacheFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename) so a crash never leaves half a cache behind. */
export function saveCache(file: string, cache: CacheFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(cache));
  renameSync(temp, file);
}
