// The Redis rewrites offered by unbounded-read (KEYS → scanStream) and cache-write-without-ttl ('EX', ttl): they compile and behave on a real Redis.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Redis from 'ioredis';
import { analyseCase, applyFix } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';

const FILE = '/project/src/case.ts';

/** The code after applying the first fix of the only finding of `ruleId`. */
function fixed(ruleId: string, code: string): string {
  const findings = analyseCase({ code }, ruleId);
  assert.equal(findings.length, 1, `expected one ${ruleId} finding`);
  const fix = findings[0]!.fixes[0];
  assert.ok(fix, 'expected a fix');
  return applyFix(code, fix, FILE);
}

const keysCode =
  "import Redis from 'ioredis';\n\nexport async function sessionKeys(redis: Redis): Promise<string[]> {\n  return redis.keys('session:*');\n}\n";
const setCode =
  "import Redis from 'ioredis';\n\nexport async function cacheProduct(redis: Redis, id: string, load: (id: string) => Promise<object>): Promise<string> {\n  const key = `cache:product:${id}`;\n  const hit = await redis.get(key);\n  if (hit) return hit;\n  const body = JSON.stringify(await load(id));\n  await redis.set(key, body);\n  return body;\n}\n";

describe('Redis fixes compile and keep behaviour', () => {
  let sandbox: FixSandbox;
  let dir: string;
  let client: Redis;

  before(async () => {
    sandbox = await startFixSandbox('pa-redis-fixes-', {
      'keys.ts': fixed('unbounded-read', keysCode),
      'set.ts': fixed('cache-write-without-ttl', setCode),
    });
    ({ dir, client } = sandbox);
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('compiles under strict CommonJS', () => {
    assert.deepEqual(sandbox.compile(['keys.ts', 'set.ts']), []);
  });

  it('the SCAN walk returns the same keys as KEYS (1,500 matching among 3,000)', async () => {
    const pipeline = client.pipeline();
    for (let i = 0; i < 1500; i++) pipeline.set(`session:${i}`, '1').set(`cart:${i}`, '1');
    await pipeline.exec();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the CommonJS the sandbox compiled
    const { sessionKeys } = require(join(dir, 'keys.js')) as { sessionKeys(redis: Redis): Promise<string[]> };
    const walked = await sessionKeys(client);
    const keys = await client.keys('session:*');
    assert.equal(walked.length, 1500);
    assert.deepEqual([...walked].sort(), [...keys].sort());
  });

  it('the cached entry now expires', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the CommonJS the sandbox compiled
    const { cacheProduct } = require(join(dir, 'set.js')) as {
      cacheProduct(redis: Redis, id: string, load: (id: string) => Promise<object>): Promise<string>;
    };
    const body = await cacheProduct(client, '42', async (id) => ({ id, title: 'Lamp' }));
    assert.equal(body, JSON.stringify({ id: '42', title: 'Lamp' }));
    const ttl = await client.ttl('cache:product:42');
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
  });
});
