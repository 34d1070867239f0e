// Splitting a scan's files: how many threads to use, and a deterministic split into CI shards (`--shard i/n`).
import { availableParallelism } from 'node:os';

/** More threads than this gain nothing (each one parses every file) and cost memory. */
export const MAX_THREADS = 16;

/**
 * With automatic sizing, files each thread should have at least: a thread starts by loading the engine and parsing
 * every file, which a small project does not win back (16 files: 1.6 s CPU on one thread, 3.2 s on two).
 */
export const AUTO_FILES_PER_THREAD = 100;

/**
 * Threads for a scan of `files` files: `requested` when positive, else one per available core as long as each gets
 * AUTO_FILES_PER_THREAD files; never more than MAX_THREADS or than files.
 */
export function scanThreads(requested: number, files: number, cores = availableParallelism()): number {
  const wanted = requested > 0 ? requested : Math.min(cores, Math.floor(files / AUTO_FILES_PER_THREAD));
  return Math.max(1, Math.min(wanted, MAX_THREADS, files));
}

/** Shard `index` (1-based) of `count`, as `--shard 2/4` writes it. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n); the error says what was wrong in the user's terms. */
export function parseShard(text: string): Shard | { error: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return { error: `--shard must look like i/n, for example 2/4 (got "${text}")` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) return { error: `--shard: the number of shards must be at least 1 (got "${text}")` };
  if (index < 1 || index > count) return { error: `--shard: i must be between 1 and ${count} (got "${text}")` };
  return { index, count };
}

export interface SizedPath {
  /** The path as every shard names it (relative to the checkout), so machines with different roots agree. */
  key: string;
  size: number;
}

/**
 * Which shard each file belongs to, the same on every machine that sees the same files: largest files first, each to
 * the shard with the fewest bytes so far (ties: the lower shard), equal sizes in path order. Returns 1-based shards.
 */
export function assignShards(files: readonly SizedPath[], count: number): Map<string, number> {
  const order = [...files].sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const file of order) {
    let best = 0;
    for (let shard = 1; shard < count; shard++) if (load[shard]! < load[best]!) best = shard;
    load[best]! += file.size;
    out.set(file.key, best + 1);
  }
  return out;
}
