// Splitting a scan's files: how many threads to use, and a deterministic split into CI shards (`--shard i/n`).
import { availableParallelism } from 'node:os';

/** More threads than this gain nothing (each one parses every file) and cost memory. */
export const MAX_THREADS = 16;

/**
 * Threads for a scan of `files` files: `requested` when positive (at most MAX_THREADS and one per file), else one.
 * Automatic sizing stays on one thread for now: a helper parses and indexes only what its share reaches, but each
 * one loads and warms up the engine and the shares' reaches overlap, so 2 threads still took ~1.4x the CPU time of one
 * (LiteFarm, 2,392 files: 14-20 s against 10-11 s) and paid only with idle cores (docs/cli.md).
 */
export function scanThreads(requested: number, files: number, _cores = availableParallelism()): number {
  const wanted = requested > 0 ? requested : 1;
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

/**
 * A scan's files split into one contiguous range per helper, in the project's order: neighbouring files import each
 * other, and a helper parses (and indexes) only the files its share reaches, so contiguous shares overlap less than
 * interleaved ones (LiteFarm: each of 2 helpers reached ~85 % of the files with interleaved batches, ~60 % with
 * halves). A helper whose range is done takes from the end of the longest other, so the threads still finish together.
 */
export class RangeQueue {
  private readonly ranges: string[][];

  constructor(paths: readonly string[], count: number) {
    const size = Math.ceil(paths.length / Math.max(1, count));
    this.ranges = Array.from({ length: Math.max(1, count) }, (_, i) => paths.slice(i * size, (i + 1) * size));
  }

  get length(): number {
    return this.ranges.reduce((sum, range) => sum + range.length, 0);
  }

  /** Up to `count` files for helper `range`: the front of its own range, else the end of the longest other. */
  take(range: number, count: number): string[] {
    const own = this.ranges[range];
    if (own && own.length > 0) return own.splice(0, count);
    return this.steal(count);
  }

  /** Up to `count` files from the end of the longest range (the owner's share, or a helper with nothing left). */
  steal(count: number): string[] {
    let longest: string[] | undefined;
    for (const range of this.ranges) if (range.length > (longest?.length ?? 0)) longest = range;
    return longest ? longest.splice(Math.max(0, longest.length - count)) : [];
  }

  /** Files handed back (a helper failed): first in line for whoever takes from that range. */
  putBack(range: number, paths: readonly string[]): void {
    (this.ranges[range] ?? this.ranges[0]!).unshift(...paths);
  }

  /** Every file left, in order; the queue is empty afterwards. */
  drain(): string[] {
    return this.ranges.flatMap((range) => range.splice(0));
  }
}
