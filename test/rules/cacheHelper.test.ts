// The caching helper the missing-cache suggestions insert: it compiles under strict TypeScript, and each of the skill's
// four patterns keeps its promise on a real Redis (hit ≥ 10× faster, expiry, one load for 50 misses, consistency).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// The user's compiler, not the analyser's parser: fixes must compile with the TypeScript a project installs.
import ts from 'typescript';
import Redis from 'ioredis';
import { RULE_OPTIONS } from '../../rules/analysis/config';
import { cacheHelperSource } from '../../rules/fixes/templates/cacheHelper';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';

type Helper = {
  cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T>;
  cachedRefreshAhead<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T>;
  writeThrough<R>(keys: string[], write: () => Promise<R>): Promise<R>;
  writeBehind(keys: string[], write: () => Promise<unknown>): Promise<void>;
  flushWrites(): Promise<void>;
  setCacheClient(client: Redis): void;
};

const SETTINGS = { ...RULE_OPTIONS['missing-cache'].parse({}), writeBehindFlushMs: 100, writeBehindMaxQueue: 5 };
const SLOW_READ_MS = 200;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('caching helper inserted by the missing-cache suggestions', () => {
  let sandbox: FixSandbox;
  let client: Redis;
  let helper: Helper;

  before(async () => {
    sandbox = await startFixSandbox('pa-cache-helper-', {
      'perfAdvisorCache.ts': cacheHelperSource('ts', SETTINGS),
      'consumer.ts': `import { cached, writeThrough } from './perfAdvisorCache';\ntype Setting = { key: string; value: string };\nexport async function settings(load: () => Promise<Setting[]>): Promise<Setting[]> {\n  return cached('perf-advisor:setting:findMany', 300, () => load());\n}\nexport async function save(write: () => Promise<number>): Promise<number> {\n  return writeThrough(['perf-advisor:setting:findMany'], () => write());\n}\n`,
    });
    client = sandbox.client;
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('compiles with no errors under strict CommonJS and strict NodeNext settings', () => {
    assert.deepEqual(sandbox.compile(['perfAdvisorCache.ts', 'consumer.ts']), []);
    assert.deepEqual(
      sandbox.compile(['perfAdvisorCache.ts'], {
        ...STRICT_COMMONJS,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
      }),
      [],
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the CommonJS the sandbox compiled
    helper = require(join(sandbox.dir, 'perfAdvisorCache.js')) as Helper;
    helper.setCacheClient(client);
  });

  it('cache-aside: a hit is ≥ 10× faster than the miss and does not call the source; the TTL has jitter', async () => {
    let loads = 0;
    const slowRead = async () => {
      loads++;
      await delay(SLOW_READ_MS);
      return [{ key: 'currency', value: 'EUR' }];
    };
    const missStart = process.hrtime.bigint();
    const first = await helper.cached('perf-advisor:test:hit', 300, slowRead);
    const missNs = Number(process.hrtime.bigint() - missStart);
    const hitStart = process.hrtime.bigint();
    const second = await helper.cached('perf-advisor:test:hit', 300, slowRead);
    const hitNs = Number(process.hrtime.bigint() - hitStart);
    assert.deepEqual(second, first);
    assert.equal(loads, 1, 'the hit must not call the loader');
    assert.ok(hitNs * 10 < missNs, `hit ${hitNs / 1e6} ms is not 10x faster than miss ${missNs / 1e6} ms`);
    const ttl = await client.ttl('perf-advisor:test:hit');
    assert.ok(ttl > 0 && ttl <= 330, `TTL ${ttl} s outside 300 s + 10 % jitter`);
  });

  it('cache-aside: entries expire after their TTL, then the source is read again', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: sandbox.server.port });
    const subscriber = new Redis({ host: '127.0.0.1', port: sandbox.server.port });
    try {
      await admin.config('SET', 'notify-keyspace-events', 'Ex');
      await subscriber.subscribe('__keyevent@0__:expired');
      const expired = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('entry did not expire within 5 s')), 5_000);
        subscriber.on('message', (_channel, key: string) => {
          if (key !== 'perf-advisor:test:expiry') return;
          clearTimeout(timer);
          resolve();
        });
      });
      expired.catch(() => undefined); // awaited below; keeps an early failure from surfacing twice
      let loads = 0;
      const load = async () => ++loads;
      assert.equal(await helper.cached('perf-advisor:test:expiry', 1, load), 1);
      assert.equal(await helper.cached('perf-advisor:test:expiry', 1, load), 1);
      await expired;
      assert.equal(await helper.cached('perf-advisor:test:expiry', 1, load), 2);
    } finally {
      admin.disconnect();
      subscriber.disconnect();
    }
  });

  it('cache-aside: 50 concurrent misses call the source once (single-flight + SET NX lock)', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await delay(100);
      return { plans: ['free', 'pro'] };
    };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => helper.cached('perf-advisor:test:stampede', 300, load)),
    );
    assert.equal(loads, 1);
    for (const result of results) assert.deepEqual(result, { plans: ['free', 'pro'] });
    // Another process filling the same key holds the lock: this one waits for its value instead of loading.
    await client.set('perf-advisor:test:other:lock', 'someone-else', 'PX', 5000);
    const waiting = helper.cached('perf-advisor:test:other', 300, async () => 'loaded here');
    await delay(50);
    await client.set('perf-advisor:test:other', JSON.stringify('loaded elsewhere'), 'EX', 60);
    assert.equal(await waiting, 'loaded elsewhere');
  });

  it('never caches what JSON cannot give back (a Response, a circular object): the value is returned as it is', async () => {
    const response = new Response('{"a":1}');
    assert.equal(await helper.cached('perf-advisor:test:response', 60, async () => response), response);
    assert.equal(await client.exists('perf-advisor:test:response'), 0);
    const circular: Record<string, unknown> = { name: 'x' };
    circular.self = circular;
    assert.equal(await helper.cached('perf-advisor:test:circular', 60, async () => circular), circular);
    assert.equal(await client.exists('perf-advisor:test:circular'), 0);
  });

  it('write-through: once the write returns, every reader sees the written data (strong consistency)', async () => {
    let stored = ['free'];
    const read = async () => [...stored];
    assert.deepEqual(await helper.cached('perf-advisor:test:through', 300, read), ['free']);
    const result = await helper.writeThrough(['perf-advisor:test:through'], async () => {
      stored = ['free', 'pro'];
      return 1;
    });
    assert.equal(result, 1, 'the write result is passed through');
    // Straight from Redis (as another process would read it) and through the helper.
    assert.deepEqual(JSON.parse((await client.get('perf-advisor:test:through'))!), ['free', 'pro']);
    assert.deepEqual(await helper.cached('perf-advisor:test:through', 300, read), ['free', 'pro']);
  });

  it('write-behind: writes are queued and applied in order, bounded by the queue size, and readers catch up (eventual)', async () => {
    const applied: number[] = [];
    const read = async () => [...applied];
    assert.deepEqual(await helper.cached('perf-advisor:test:behind', 300, read), []);
    // Four writes stay queued (the bound is 5): nothing applied yet, readers still see the old value.
    for (const n of [1, 2, 3, 4]) await helper.writeBehind(['perf-advisor:test:behind'], async () => applied.push(n));
    assert.equal(applied.length, 0, 'nothing applied before the flush');
    assert.deepEqual(await helper.cached('perf-advisor:test:behind', 300, read), []);
    // The fifth reaches the bound: the queue is flushed before writeBehind returns, in order.
    await helper.writeBehind(['perf-advisor:test:behind'], async () => applied.push(5));
    assert.deepEqual(applied, [1, 2, 3, 4, 5]);
    assert.deepEqual(await helper.cached('perf-advisor:test:behind', 300, read), [1, 2, 3, 4, 5]);
    // Below the bound, the timer flushes by itself.
    await helper.writeBehind(['perf-advisor:test:behind'], async () => applied.push(6));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the queued write was not flushed within 5 s')), 5_000);
      const poll = async () => {
        if (JSON.parse((await client.get('perf-advisor:test:behind')) ?? '[]').length === 6) {
          clearTimeout(timer);
          resolve();
        } else setImmediate(() => void poll());
      };
      void poll();
    });
    assert.deepEqual(applied, [1, 2, 3, 4, 5, 6]);
  });

  it('refresh-ahead: a read near expiry reloads the entry in the background, so it never expires under steady reads', async () => {
    let version = 1;
    let loads = 0;
    const load = async () => {
      loads++;
      return { version };
    };
    assert.deepEqual(await helper.cachedRefreshAhead('perf-advisor:test:ahead', 10, load), { version: 1 });
    version = 2;
    // Early in its life a read is served from the cache as it is.
    assert.deepEqual(await helper.cachedRefreshAhead('perf-advisor:test:ahead', 10, load), { version: 1 });
    assert.equal(loads, 1);
    // In the last 20 % of the TTL: the reader still gets the cached value at once, and a reload starts.
    await client.pexpire('perf-advisor:test:ahead', 1000);
    assert.deepEqual(await helper.cachedRefreshAhead('perf-advisor:test:ahead', 10, load), { version: 1 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no refresh within 5 s')), 5_000);
      const poll = async () => {
        if ((await client.pttl('perf-advisor:test:ahead')) > 5_000) {
          clearTimeout(timer);
          resolve();
        } else setImmediate(() => void poll());
      };
      void poll();
    });
    assert.equal(loads, 2);
    assert.deepEqual(await helper.cachedRefreshAhead('perf-advisor:test:ahead', 10, load), { version: 2 });
  });

  it('also has JavaScript forms (ES modules and CommonJS) that parse', () => {
    for (const language of ['esm', 'cjs'] as const) {
      const source = ts.createSourceFile(
        `perfAdvisorCache.${language === 'cjs' ? 'cjs' : 'mjs'}`,
        cacheHelperSource(language, SETTINGS),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.JS,
      );
      assert.equal((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length, 0, language);
    }
    assert.match(cacheHelperSource('cjs', SETTINGS), /exports\.cached = cached/);
  });
});
