// The Redis rewrites offered by unbounded-read (KEYS → scanStream) and cache-write-without-ttl ('EX', ttl): they compile and behave on a real Redis.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// The user's compiler, not the analyser's parser: fixes must compile with the TypeScript a project installs.
import ts from 'typescript';
import Redis from 'ioredis';
import { analyseCase, applyFix } from './ruleTester';
import { startRedisServer, type RedisServer } from '../redis/redisServer';

const FILE = '/project/src/case.ts';

/** The code after applying the first fix of the only finding of `ruleId`. */
function fixed(ruleId: string, code: string): string {
  const findings = analyseCase({ code }, ruleId);
  assert.equal(findings.length, 1, `expected one ${ruleId} finding`);
  const fix = findings[0]!.fixes[0];
  assert.ok(fix, 'expected a fix');
  return applyFix(code, fix, FILE);
}

const keysCode = "import Redis from 'ioredis';\n\nexport async function sessionKeys(redis: Redis): Promise<string[]> {\n  return redis.keys('session:*');\n}\n";
const setCode =
  "import Redis from 'ioredis';\n\nexport async function cacheProduct(redis: Redis, id: string, load: (id: string) => Promise<object>): Promise<string> {\n  const key = `cache:product:${id}`;\n  const hit = await redis.get(key);\n  if (hit) return hit;\n  const body = JSON.stringify(await load(id));\n  await redis.set(key, body);\n  return body;\n}\n";

describe('Redis fixes compile and keep behaviour', () => {
  let dir: string;
  let server: RedisServer;
  let client: Redis;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pa-redis-fixes-'));
    symlinkSync(join(__dirname, '..', '..', 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'keys.ts'), fixed('unbounded-read', keysCode));
    writeFileSync(join(dir, 'set.ts'), fixed('cache-write-without-ttl', setCode));
    server = await startRedisServer();
    client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 3 });
  });

  after(async () => {
    client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles under strict CommonJS', () => {
    const program = ts.createProgram([join(dir, 'keys.ts'), join(dir, 'set.ts')], {
      strict: true, outDir: dir, esModuleInterop: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, types: ['node'], skipLibCheck: true,
    });
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), []);
  });

  it('the SCAN walk returns the same keys as KEYS (1,500 matching among 3,000)', async () => {
    const pipeline = client.pipeline();
    for (let i = 0; i < 1500; i++) pipeline.set(`session:${i}`, '1').set(`cart:${i}`, '1');
    await pipeline.exec();
    const { sessionKeys } = require(join(dir, 'keys.js')) as { sessionKeys(redis: Redis): Promise<string[]> };
    const walked = await sessionKeys(client);
    const keys = await client.keys('session:*');
    assert.equal(walked.length, 1500);
    assert.deepEqual([...walked].sort(), [...keys].sort());
  });

  it('the cached entry now expires', async () => {
    const { cacheProduct } = require(join(dir, 'set.js')) as { cacheProduct(redis: Redis, id: string, load: (id: string) => Promise<object>): Promise<string> };
    const body = await cacheProduct(client, '42', async (id) => ({ id, title: 'Lamp' }));
    assert.equal(body, JSON.stringify({ id: '42', title: 'Lamp' }));
    const ttl = await client.ttl('cache:product:42');
    assert.ok(ttl > 3500 && ttl <= 3600, `TTL ${ttl}`);
  });
});
