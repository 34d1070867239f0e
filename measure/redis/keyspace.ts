// On-demand key-space analysis: a bounded SCAN sample with pipelined TYPE/PTTL/MEMORY USAGE, cancellable, never KEYS.
import type { ReadOnlyClient } from './connection';
import { keyPrefix } from './keys';
import type { KeyspaceAnalysis, PrefixStats } from './model';

export interface KeyspaceOptions {
  /** At most this many keys are sampled in total (split evenly over a cluster's primaries). */
  sampleSize: number;
  /** SCAN COUNT hint per round trip. */
  scanCount?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { sampled: number; target: number }) => void;
  /** How many entries the top lists keep. */
  top?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface SampledKey {
  key: string;
  type: string;
  ttlMs: number;
  memory: number;
}

/** Samples up to `quota` keys of one node: SCAN pages, then one pipeline of TYPE, PTTL, MEMORY USAGE per page. */
async function sampleNode(
  client: ReadOnlyClient,
  quota: number,
  options: KeyspaceOptions,
  out: SampledKey[],
  report: () => void,
): Promise<boolean> {
  let cursor = '0';
  let taken = 0;
  do {
    if (options.signal?.aborted) return false;
    const reply = (await client.send('SCAN', cursor, 'COUNT', options.scanCount ?? 250)) as [string, string[]];
    cursor = String(reply[0]);
    const keys = reply[1].slice(0, quota - taken);
    if (keys.length === 0) continue;
    if (options.signal?.aborted) return false;
    const replies = await client.pipeline(
      keys.flatMap(
        (key) =>
          [
            ['TYPE', key],
            ['PTTL', key],
            ['MEMORY', 'USAGE', key],
          ] as const,
      ),
    );
    keys.forEach((key, i) => {
      const type = String(replies[i * 3].value ?? 'none');
      if (type === 'none') return; // expired or deleted between SCAN and TYPE
      out.push({
        key,
        type,
        ttlMs: Number(replies[i * 3 + 1].value ?? -1),
        memory: Number(replies[i * 3 + 2].value ?? 0),
      });
      taken++;
    });
    report();
  } while (cursor !== '0' && taken < quota);
  return true;
}

function summarisePrefixes(keys: readonly SampledKey[]): PrefixStats[] {
  const byPrefix = new Map<string, PrefixStats & { types: Map<string, number> }>();
  for (const k of keys) {
    const prefix = keyPrefix(k.key);
    const stats = byPrefix.get(prefix) ?? {
      prefix,
      count: 0,
      memory: 0,
      noTtl: 0,
      type: k.type,
      types: new Map<string, number>(),
    };
    stats.count++;
    stats.memory += k.memory;
    if (k.ttlMs === -1) stats.noTtl++;
    stats.types.set(k.type, (stats.types.get(k.type) ?? 0) + 1);
    byPrefix.set(prefix, stats);
  }
  return [...byPrefix.values()].map(({ types, ...stats }) => ({
    ...stats,
    type: [...types.entries()].sort((a, b) => b[1] - a[1])[0][0],
  }));
}

/** Analyses a bounded sample of the key space of every client (one per primary). */
export async function analyzeKeyspace(
  clients: readonly ReadOnlyClient[],
  options: KeyspaceOptions,
): Promise<KeyspaceAnalysis> {
  const top = options.top ?? 10;
  const keys: SampledKey[] = [];
  let totalKeys = 0;
  for (const client of clients) totalKeys += Number(await client.send('DBSIZE'));
  const target = Math.min(options.sampleSize, totalKeys);
  const quota = Math.ceil(options.sampleSize / Math.max(1, clients.length));
  const report = () => options.onProgress?.({ sampled: keys.length, target });
  let cancelled = false;
  for (const client of clients) {
    if (!(await sampleNode(client, quota, options, keys, report))) {
      cancelled = true;
      break;
    }
  }
  const sampled = keys.slice(0, options.sampleSize);
  const prefixes = summarisePrefixes(sampled);
  const buckets = { none: 0, underHour: 0, hourToDay: 0, overDay: 0 };
  for (const k of sampled) {
    if (k.ttlMs < 0) buckets.none++;
    else if (k.ttlMs < HOUR_MS) buckets.underHour++;
    else if (k.ttlMs <= DAY_MS) buckets.hourToDay++;
    else buckets.overDay++;
  }
  return {
    sampled: sampled.length,
    totalKeys,
    prefixesByCount: [...prefixes].sort((a, b) => b.count - a.count).slice(0, top),
    prefixesByMemory: [...prefixes].sort((a, b) => b.memory - a.memory).slice(0, top),
    ttlBuckets: buckets,
    biggestKeys: [...sampled]
      .sort((a, b) => b.memory - a.memory)
      .slice(0, top)
      .map(({ key, type, memory, ttlMs }) => ({ key, type, memory, ttlMs })),
    cancelled,
  };
}
