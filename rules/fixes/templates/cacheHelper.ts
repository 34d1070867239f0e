// The caching helper module the missing-cache suggestions add to a project once: the skill's four patterns on Redis.
import { helperSourceFor } from '../helperModule';

export const CACHE_HELPER_BASENAME = 'perfAdvisorCache';

/** The helper's functions, one per pattern; a suggestion imports the one it uses. */
export const CACHE_FUNCTIONS = {
  'cache-aside': 'cached',
  'write-through': 'writeThrough',
  'write-behind': 'writeBehind',
  'refresh-ahead': 'cachedRefreshAhead',
} as const;
export type CachePattern = keyof typeof CACHE_FUNCTIONS;

export interface CacheHelperSettings {
  jitterRatio: number;
  lockMs: number;
  refreshAheadRatio: number;
  writeBehindFlushMs: number;
  writeBehindMaxQueue: number;
}

const SOURCE = `// Caching helpers added by Perf Advisor: the performance skill's four patterns on Redis (ioredis), with a TTL plus
// jitter on every entry and a lock against cache stampedes. Only JSON values are cached (never a Response object).
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';

/** perfAdvisor.rules.missing-cache.options when this file was created. */
const JITTER_RATIO = __JITTER__;
const LOCK_MS = __LOCK__;
const REFRESH_AHEAD_RATIO = __REFRESH__;
const WRITE_BEHIND_FLUSH_MS = __FLUSH__;
const WRITE_BEHIND_MAX_QUEUE = __QUEUE__;

let client: Redis | undefined;

/** One shared Redis connection (REDIS_URL), created on first use; 3 attempts per command, back-off from 1 s. */
function redis(): Redis {
  client ??= new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => Math.min(1000 * 2 ** (times - 1), 30_000),
  });
  return client;
}

/** For a graceful shutdown: runs the queued writes, then closes the connection this module opened. */
export async function closeCache(): Promise<void> {
  await flushWrites();
  const open = client;
  client = undefined;
  await open?.quit();
}

/** Use an existing client instead of the one created from REDIS_URL. */
export function setCacheClient(existing: Redis): void {
  client = existing;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Loaders of the keys read in this process, so a write can refresh what it changed. */
const loaders = new Map<string, { ttlSeconds: number; load: () => Promise<unknown> }>();
/** Fills under way in this process: concurrent misses of one key share one load. */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * The JSON text to cache, or undefined for a value JSON would not give back (a Response, a class with no data, a
 * cycle).
 */
function serialise(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null && Object.keys(value).length === 0) return undefined;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

async function store(key: string, ttlSeconds: number, value: unknown): Promise<void> {
  const text = serialise(value);
  if (text === undefined) return;
  const jitter = Math.floor(ttlSeconds * JITTER_RATIO * Math.random());
  await redis().set(key, text, 'EX', ttlSeconds + jitter);
}

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** Loads and stores a missing entry once: one caller per process, and one process at a time through SET NX PX. */
function fill<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key);
  if (running) return running as Promise<T>;
  const filling = (async () => {
    const r = redis();
    const lockKey = \`\${key}:lock\`;
    const token = randomUUID();
    const locked = (await r.set(lockKey, token, 'PX', LOCK_MS, 'NX')) === 'OK';
    if (!locked) {
      // Another process is filling it: wait for its value rather than loading the same data again.
      for (const deadline = Date.now() + LOCK_MS; Date.now() < deadline; ) {
        await wait(25);
        const filled = await r.get(key);
        if (filled !== null) return JSON.parse(filled) as T;
      }
    }
    try {
      const value = await load();
      await store(key, ttlSeconds, value);
      return value;
    } finally {
      if (locked) await r.eval(RELEASE, 1, lockKey, token);
    }
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, filling);
  return filling;
}

/**
 * Cache-aside (read-heavy data that may be a little stale; eventual consistency): the cached value of \`key\`, or
 * \`load()\` stored for \`ttlSeconds\` plus jitter. When Redis cannot be reached, the value is loaded directly.
 */
export async function cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  loaders.set(key, { ttlSeconds, load });
  let hit: string | null;
  try {
    hit = await redis().get(key);
  } catch {
    return load();
  }
  if (hit !== null) return JSON.parse(hit) as T;
  return fill(key, ttlSeconds, load);
}

/**
 * Refresh-ahead (predictable reads): like \`cached\`, and a read in the last part of an entry's life reloads it in the
 * background, so readers keep getting a value while the next one is loaded and steady traffic never sees a miss.
 */
export async function cachedRefreshAhead<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  loaders.set(key, { ttlSeconds, load });
  let hit: string | null;
  let left: number;
  try {
    const r = redis();
    [hit, left] = await Promise.all([r.get(key), r.pttl(key)]);
  } catch {
    return load();
  }
  if (hit === null) return fill(key, ttlSeconds, load);
  if (left >= 0 && left < ttlSeconds * 1000 * REFRESH_AHEAD_RATIO && !inFlight.has(key)) {
    const refreshing = (async () => {
      const token = randomUUID();
      const lockKey = \`\${key}:lock\`;
      if ((await redis().set(lockKey, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return;
      try {
        await store(key, ttlSeconds, await load());
      } finally {
        await redis().eval(RELEASE, 1, lockKey, token);
      }
    })()
      .catch(() => undefined)
      .finally(() => inFlight.delete(key));
    inFlight.set(key, refreshing);
  }
  return JSON.parse(hit) as T;
}

/** Reloads a key from the loader that read it in this process, or drops it so the next read loads it. */
async function refresh(key: string): Promise<void> {
  const entry = loaders.get(key);
  try {
    if (entry) await store(key, entry.ttlSeconds, await entry.load());
    else await redis().del(key);
  } catch {
    await redis()
      .del(key)
      .catch(() => undefined);
  }
}

/**
 * Write-through (data that must read back what was written; strong consistency): runs the write, then refreshes the
 * cached \`keys\` before it returns, so every read after the write sees it.
 */
export async function writeThrough<R>(keys: string[], write: () => Promise<R>): Promise<R> {
  const result = await write();
  await Promise.all(keys.map(refresh));
  return result;
}

const queue: { keys: string[]; write: () => Promise<unknown> }[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let flushing: Promise<void> | undefined;

/**
 * Write-behind (high write throughput; eventual consistency): queues the write and returns; queued writes run in
 * order after WRITE_BEHIND_FLUSH_MS, or at once when WRITE_BEHIND_MAX_QUEUE are waiting (the bound on what a crash can
 * lose), and the cached \`keys\` are refreshed after them.
 */
export async function writeBehind(keys: string[], write: () => Promise<unknown>): Promise<void> {
  queue.push({ keys, write });
  if (queue.length >= WRITE_BEHIND_MAX_QUEUE) await flushWrites();
  else flushTimer ??= setTimeout(() => void flushWrites().catch(() => undefined), WRITE_BEHIND_FLUSH_MS);
}

/** Runs every queued write now, in order (also call it before the process exits). A failed write stays queued. */
export async function flushWrites(): Promise<void> {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  while (flushing) await flushing;
  if (queue.length === 0) return;
  flushing = (async () => {
    const touched = new Set<string>();
    while (queue.length > 0) {
      const next = queue[0]!;
      await next.write();
      queue.shift();
      next.keys.forEach((key) => touched.add(key));
    }
    await Promise.all([...touched].map(refresh));
  })().finally(() => (flushing = undefined));
  await flushing;
}
`;

/** The helper's source: TypeScript for .ts projects, ES modules or CommonJS JavaScript otherwise. */
export function cacheHelperSource(language: 'ts' | 'esm' | 'cjs', settings: CacheHelperSettings): string {
  const text = SOURCE.replace('__JITTER__', String(settings.jitterRatio))
    .replace('__LOCK__', numberText(settings.lockMs))
    .replace('__REFRESH__', String(settings.refreshAheadRatio))
    .replace('__FLUSH__', numberText(settings.writeBehindFlushMs))
    .replace('__QUEUE__', numberText(settings.writeBehindMaxQueue));
  return helperSourceFor(language, text);
}

function numberText(value: number): string {
  return value >= 10_000 ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '_') : String(value);
}
