// unbounded-read's SCAN rewrites (SMEMBERS → SSCAN, HGETALL → HSCAN, ZRANGE 0 -1 → ZSCAN, node-redis KEYS → scanIterator),
// for ioredis and node-redis: compiled strict against the installed typings, then run on a real redis-server next to
// the original code, on collections large enough to take several SCAN batches.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';

const FILE = '/project/src/case.ts';

/** Each finding's first fix applied, one after the other (offsets refer to the file the finding was made on). */
function fixedAll(code: string): string {
  let text = code;
  for (;;) {
    const { session, findings } = analyseCaseInSession({ code: text }, 'unbounded-read');
    const finding = findings.find((f) => f.fixes.length > 0);
    if (!finding) return text;
    text = applyFix(text, editsOf(session, FILE, finding.fixes[0]!), FILE);
  }
}

const IOREDIS = `import Redis from 'ioredis';

export const redis = new Redis(Number(process.env.PA_REDIS_PORT));

export const online = () => redis.smembers('online-users');
export const settings = () => redis.hgetall('settings:all');
// ioredis 6's typings take the stop index as a string.
export const board = () => redis.zrange('leaderboard', 0, '-1');
export const boardDesc = () => redis.zrevrange('leaderboard', 0, '-1');
`;

const NODE_REDIS = `import { createClient } from 'redis';

export const client = createClient({ url: \`redis://127.0.0.1:\${process.env.PA_REDIS_PORT}\` });
export const ready = client.connect();

export const sessions = () => client.keys('session:*');
export const online = () => client.sMembers('online-users');
export const settings = () => client.hGetAll('settings:all');
export const board = () => client.zRange('leaderboard', 0, -1);
`;

type Reads = Record<string, () => Promise<unknown>>;

/** A compiled module of the sandbox (loaded once; its client connects on load). */
function load<T>(sandbox: FixSandbox, name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled module
  return require(join(sandbox.dir, `${name}.js`)) as T;
}

describe('Redis SCAN rewrites compile and return what the whole read returned', () => {
  let sandbox: FixSandbox;
  const fixed: Record<string, string> = {};

  before(async () => {
    fixed.ioredis = fixedAll(IOREDIS);
    fixed.nodeRedis = fixedAll(NODE_REDIS);
    sandbox = await startFixSandbox('pa-scan-fixes-', {
      'ioredisFixed.ts': fixed.ioredis,
      'ioredisOriginal.ts': IOREDIS,
      'nodeRedisFixed.ts': fixed.nodeRedis,
      'nodeRedisOriginal.ts': NODE_REDIS,
    });
    process.env.PA_REDIS_PORT = String(sandbox.server.port);
    const { client } = sandbox;
    // Large enough for several SCAN batches of 1000; awkward field names, equal scores and infinite ones.
    const members = Array.from({ length: 4500 }, (_, i) => `user:${i}`);
    await client.sadd('online-users', ...members);
    const fields: string[] = ['__proto__', 'p1', 'constructor', 'p2', 'toString', 'p3'];
    for (let i = 0; i < 3000; i++) fields.push(`field:${i}`, `value:${i}`);
    await client.hset('settings:all', ...fields);
    const scored: (string | number)[] = ['+inf', 'top', '-inf', 'bottom', '+inf', 'top2'];
    for (let i = 0; i < 3000; i++) scored.push(i % 7, `m:${i}`, (i * 37) % 101, `é${i}`);
    await client.zadd('leaderboard', ...scored);
    for (let i = 0; i < 2500; i++) await client.set(`session:${i}`, '1');
    await client.set('other:1', '1');
  });

  after(async () => {
    for (const name of ['ioredisFixed', 'ioredisOriginal']) {
      const loaded = load<{ redis?: { disconnect(): void } }>(sandbox, name);
      loaded.redis?.disconnect();
    }
    for (const name of ['nodeRedisFixed', 'nodeRedisOriginal']) {
      const loaded = load<{ client?: { destroy(): void } }>(sandbox, name);
      loaded.client?.destroy();
    }
    await sandbox?.stop();
  });

  it('rewrites every whole read into a SCAN walk', () => {
    for (const method of ['sscanStream', 'hscanStream', 'zscanStream'])
      assert.ok(fixed.ioredis!.includes(`redis.${method}(`), method);
    for (const method of ['scanIterator', 'sScanIterator', 'hScanIterator', 'zScanIterator'])
      assert.ok(fixed.nodeRedis!.includes(`client.${method}(`), method);
    assert.ok(!/\.(smembers|hgetall|zrange|zrevrange)\(/.test(fixed.ioredis!));
    assert.ok(!/\.(keys|sMembers|hGetAll|zRange)\(/.test(fixed.nodeRedis!));
  });

  it('compiles (strict) against the ioredis and node-redis typings', () => {
    assert.deepEqual(
      sandbox.compile(['ioredisFixed.ts', 'ioredisOriginal.ts', 'nodeRedisFixed.ts', 'nodeRedisOriginal.ts']),
      [],
    );
  });

  for (const [library, readyName] of [
    ['ioredis', undefined],
    ['nodeRedis', 'ready'],
  ] as const) {
    it(`${library}: each walk resolves to the whole read's value (sets as sets, sorted sets in order)`, async () => {
      const original = load<Reads>(sandbox, `${library}Original`);
      const rewritten = load<Reads>(sandbox, `${library}Fixed`);
      if (readyName) await Promise.all([original[readyName], rewritten[readyName]]);
      for (const name of Object.keys(original).filter((n) => !['redis', 'client', 'ready'].includes(n))) {
        const [before, after] = await Promise.all([original[name]!(), rewritten[name]!()]);
        if (name === 'online' || name === 'sessions') {
          // SMEMBERS and KEYS promise no order: the same members, once each.
          assert.deepEqual([...(after as string[])].sort(), [...(before as string[])].sort(), name);
          assert.equal(new Set(after as string[]).size, (after as string[]).length, `${name}: no duplicates`);
        } else if (name === 'settings' && library === 'nodeRedis') {
          // node-redis builds HGETALL's object by assignment, so a field named \`__proto__\` sets its prototype and is
          // lost; the rewrite keeps it as a field (asserted below). Every other field is the same.
          const { ['__proto__']: kept, ...rest } = Object.fromEntries(Object.entries(after as object));
          assert.equal(kept, 'p1');
          assert.deepEqual(rest, { ...(before as object) }, name);
        } else assert.deepEqual(after, before, name);
      }
      const online = (await rewritten.online!()) as string[];
      assert.equal(online.length, 4500);
      const settings = (await rewritten.settings!()) as Record<string, string>;
      assert.equal(Object.keys(settings).length, 3003);
      assert.equal(Object.getOwnPropertyDescriptor(settings, '__proto__')?.value, 'p1');
      if (library === 'nodeRedis') assert.equal(((await rewritten.sessions!()) as string[]).length, 2500);
    });
  }
});
