// The unstable-cache-key suggestion on a real Redis: the key built with stableKey(…) compiles (strict) with its helper,
// and two requests with the same fields in another order share one entry where JSON.stringify gave two.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';

const FILE = '/project/src/case.ts';
const ORIGINAL = `import Redis from 'ioredis';

export const redis = new Redis(Number(process.env.PA_REDIS_PORT));
export let loads = 0;

export async function search(filters: Record<string, unknown>): Promise<string> {
  const key = \`search:\${JSON.stringify(filters)}\`;
  const hit = await redis.get(key);
  if (hit) return hit;
  loads++;
  const body = \`results for \${Object.keys(filters).length} filters\`;
  await redis.set(key, body, 'EX', 120);
  return body;
}
`;

describe('unstable-cache-key: the stableKey suggestion on Redis', () => {
  let sandbox: FixSandbox;
  let fixed = '';
  let helper = '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Record<string, unknown>;

  before(async () => {
    const { session, findings } = analyseCaseInSession({ code: ORIGINAL }, 'unstable-cache-key');
    const fix = findings[0]?.fixes.find((f) => f.title.startsWith('Build the key with `stableKey'));
    assert.ok(fix, 'the suggestion is offered');
    const edits = editsOf(session, FILE, fix);
    fixed = applyFix(ORIGINAL, edits, FILE);
    helper = edits.find((e) => e.createFile && e.file === '/project/src/perfAdvisorKey.ts')?.newText ?? '';
    sandbox = await startFixSandbox('pa-stable-key-', {
      'fixed.ts': fixed,
      'perfAdvisorKey.ts': helper,
      'original.ts': ORIGINAL,
    });
    process.env.PA_REDIS_PORT = String(sandbox.server.port);
  });

  after(async () => {
    for (const name of ['fixed', 'original']) (load(name).redis as { disconnect(): void } | undefined)?.disconnect();
    await sandbox?.stop();
  });

  it('rewrites the key once, imports the helper it creates, and compiles under strict TypeScript', () => {
    assert.match(fixed, /const key = `search:\$\{stableKey\(filters\)\}`;/);
    assert.match(fixed, /import \{ stableKey \} from '\.\/perfAdvisorKey';/);
    assert.notEqual(helper, '');
    assert.deepEqual(sandbox.compile(['fixed.ts', 'original.ts']), []);
  });

  it('the same fields in another order hit one entry; JSON.stringify keys missed', async () => {
    const run = async (name: string) => {
      await sandbox.client.flushall();
      const module = load(name);
      const search = module.search as (filters: Record<string, unknown>) => Promise<string>;
      await search({ status: 'open', days: 7, tags: ['a', 'b'] });
      await search({ tags: ['a', 'b'], days: 7, status: 'open' });
      await search({ days: 7, status: 'closed', tags: ['a', 'b'] });
      return module.loads as number;
    };
    assert.equal(await run('original'), 3, 'JSON.stringify: each order its own key');
    assert.equal(await run('fixed'), 2, 'stableKey: one key per set of fields');
  });

  it('stableKey keeps different values apart and treats __proto__ as data', () => {
    const { stableKey } = load('perfAdvisorKey') as { stableKey: (value: unknown) => string };
    assert.equal(stableKey({ a: 1, b: { d: 2, c: 3 } }), stableKey({ b: { c: 3, d: 2 }, a: 1 }));
    assert.notEqual(stableKey({ a: 1 }), stableKey({ a: '1' }));
    assert.notEqual(stableKey([1, 2]), stableKey([2, 1]));
    assert.equal(stableKey({ a: undefined, b: 1 }), stableKey({ b: 1 }));
    assert.equal(stableKey(JSON.parse('{"__proto__":{"x":1}}')), '{"__proto__":{"x":1}}');
    assert.equal(stableKey({ at: new Date(0), n: 10n }), '{"at":"1970-01-01T00:00:00.000Z","n":"10"}');
  });
});
