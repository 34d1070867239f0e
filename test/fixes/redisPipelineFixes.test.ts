// The n-plus-one batch of an HGET per element on a different hash each time (the same field): one pipeline of the
// reads — ioredis `pipeline([...]).exec()`, node-redis commands of one tick (a `Promise.all`, which it pipelines).
// Exact output, compiled (strict) against the clients' own typings, and on a real redis-server the same values as
// the loop, in order, with a missing hash or field still null and duplicates answered alike.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from '../rules/fixSandbox';
import { batchedByRule } from '../rules/batchedByRule';
import { routeCallers } from '../rules/origins';
import { dedent } from '../rules/ruleTester';

const ORIGINAL: Record<string, string> = {
  ioredis: dedent`
    import Redis from 'ioredis';

    export const redis = new Redis(Number(process.env.PA_REDIS_PORT));

    export async function names(ids: string[]) {
      const out: (string | null)[] = [];
      for (const id of ids) {
        const name = await redis.hget(\`user:\${id}\`, 'name');
        out.push(name);
      }
      return out;
    }
  `,
  nodeRedis: dedent`
    import { createClient } from 'redis';

    export const client = createClient({ url: \`redis://127.0.0.1:\${process.env.PA_REDIS_PORT}\` });

    export async function names(ids: string[]) {
      const out: (string | null)[] = [];
      for (const id of ids) out.push((await client.hGet(\`user:\${id}\`, 'name')) ?? null);
      return out;
    }
  `,
};

describe('n-plus-one: an HGET per hash becomes one pipeline', () => {
  let sandbox: FixSandbox;
  const fixed: Record<string, string> = {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Record<string, unknown>;
  const names = (name: string) => load(name).names as (ids: string[]) => Promise<unknown[]>;

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL))
      fixed[`${name}.ts`] = batchedByRule(code, 'Batch', routeCallers(code));
    sandbox = await startFixSandbox('pa-redis-pipeline-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    process.env.PA_REDIS_PORT = String(sandbox.server.port);
    await sandbox.client.hset('user:a', 'name', 'Ada');
    await sandbox.client.hset('user:b', 'name', 'Grace');
    await sandbox.client.hset('user:c', 'city', 'Paris');
  });

  after(async () => {
    for (const name of ['nodeRedis', 'nodeRedisLoop'])
      await (load(name).client as { quit(): Promise<unknown> } | undefined)?.quit().catch(() => undefined);
    for (const name of ['ioredis', 'ioredisLoop']) (load(name).redis as { disconnect(): void })?.disconnect();
    await sandbox?.stop();
  });

  it('writes one pipeline of the reads (exact output)', () => {
    assert.equal(
      fixed['ioredis.ts'],
      dedent`
        import Redis from 'ioredis';

        export const redis = new Redis(Number(process.env.PA_REDIS_PORT));

        export async function names(ids: string[]) {
          const out: (string | null)[] = [];
          const userFieldKeys = [...new Set(ids.map((id) => \`user:\${id}\`))];
          const userFieldValues = userFieldKeys.length === 0 ? [] : ((await redis.pipeline(userFieldKeys.map((key) => ['hget', key, 'name'])).exec()) ?? []).map(([error, reply]) => { if (error) throw error; return reply; }) as (string | null)[];
          const userFieldByKey = new Map(userFieldKeys.map((key, i) => [key, userFieldValues[i] ?? null] as const));
          for (const id of ids) {
            const name = userFieldByKey.get(\`user:\${id}\`) ?? null;
            out.push(name);
          }
          return out;
        }
      `,
    );
    assert.match(
      fixed['nodeRedis.ts']!,
      /const userFieldValues = userFieldKeys\.length === 0 \? \[\] : await Promise\.all\(userFieldKeys\.map\(\(key\) => client\.hGet\(key, 'name'\)\)\);/,
    );
  });

  it('every rewritten file compiles under strict TypeScript against the clients’ typings', () => {
    const files = Object.keys(fixed).flatMap((f) => [f, f.replace('.ts', 'Loop.ts')]);
    assert.deepEqual(sandbox.compile(files, STRICT_COMMONJS), []);
  });

  it('returns what the loop returned: order, duplicates, a missing hash and a missing field as null', async () => {
    for (const name of ['nodeRedis', 'nodeRedisLoop'])
      await (load(name).client as { connect(): Promise<unknown> }).connect();
    const ids = ['b', 'a', 'zz', 'b', 'c'];
    for (const name of ['ioredis', 'nodeRedis']) {
      const batched = await names(name)(ids);
      assert.deepEqual(batched, await names(`${name}Loop`)(ids), name);
      assert.deepEqual(batched, ['Grace', 'Ada', null, 'Grace', null], name);
      assert.deepEqual(await names(name)([]), [], name);
    }
  });
});
