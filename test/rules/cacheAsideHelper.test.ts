// The cache-aside helper the missing-cache fix inserts: it compiles under strict TypeScript and works on a real Redis.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// The user's compiler, not the analyser's parser: fixes must compile with the TypeScript a project installs.
import ts from 'typescript';
import Redis from 'ioredis';
import { cacheHelperSource } from '../../rules/fixes/templates/cacheAside';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';

type HelperModule = {
  cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T>;
  setCacheClient(client: Redis): void;
};

const SLOW_READ_MS = 200;

describe('cache-aside helper inserted by the missing-cache fix', () => {
  let sandbox: FixSandbox;
  let server: { port: number };
  let client: Redis;
  let helper: HelperModule;

  before(async () => {
    sandbox = await startFixSandbox('pa-cache-helper-', {
      'perfAdvisorCache.ts': cacheHelperSource('ts'),
      // A consumer written the way the fix rewrites a read.
      'consumer.ts': `import { cached } from './perfAdvisorCache';\ntype Setting = { key: string; value: string };\nexport async function settings(load: () => Promise<Setting[]>): Promise<Setting[]> {\n  return cached('perf-advisor:setting:findMany', 300, () => load());\n}\n`,
    });
    ({ server, client } = sandbox);
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    helper = require(join(sandbox.dir, 'perfAdvisorCache.js')) as HelperModule;
    helper.setCacheClient(client);
  });

  it('serves a hit from Redis far faster than the read it replaces, without calling the loader', async () => {
    let loads = 0;
    const slowRead = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, SLOW_READ_MS));
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

  it('lets entries expire, then reloads', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: server.port });
    const subscriber = new Redis({ host: '127.0.0.1', port: server.port });
    try {
      await admin.config('SET', 'notify-keyspace-events', 'Ex');
      await subscriber.subscribe('__keyevent@0__:expired');
      const expired = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('entry did not expire within 5 s')), 5_000);
        subscriber.on('message', (_channel, key: string) => {
          if (key === 'perf-advisor:test:expiry') {
            clearTimeout(timer);
            resolve(key);
          }
        });
      });
      expired.catch(() => undefined); // awaited below; this keeps an early failure from surfacing twice
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

  it('loads once when many callers miss at the same time (no stampede)', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { plans: ['free', 'pro'] };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => helper.cached('perf-advisor:test:stampede', 300, load)),
    );
    assert.equal(loads, 1);
    for (const result of results) assert.deepEqual(result, { plans: ['free', 'pro'] });
  });

  it('also has JavaScript forms that parse (ES modules and CommonJS)', () => {
    for (const language of ['esm', 'cjs'] as const) {
      const source = ts.createSourceFile(
        `perfAdvisorCache.${language === 'cjs' ? 'cjs' : 'mjs'}`,
        cacheHelperSource(language),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.JS,
      );
      assert.equal((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length, 0, language);
    }
  });
});
