// Bad input never takes the server down: binary garbage, a huge file, a file the parser overflows on; custom requests validate their params.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serverForSuite, N_PLUS_ONE } from './fixtures';

describe('robustness', () => {
  const server = serverForSuite();

  async function stillServes(): Promise<void> {
    const uri = server.client.open(join(server.root, `src/ok${Math.floor(performance.now())}.ts`), N_PLUS_ONE);
    assert.ok(
      (await server.client.pull(uri)).some((d) => d.code === 'n-plus-one'),
      'the server still analyses other files',
    );
  }

  it('answers for binary garbage with a "not analysed" note and keeps serving', async () => {
    const garbage = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const uri = server.client.open(join(server.root, 'src/garbage.ts'), garbage);
    const diagnostics = await server.client.pull(uri);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['skipped'],
    );
    await stillServes();
  });

  it('answers for a 3 MB file without parsing it', async () => {
    const huge = `export const rows = [\n${'  { id: 1, name: "row" },\n'.repeat(120_000)}];\n`;
    const uri = server.client.open(join(server.root, 'src/huge.ts'), huge);
    const diagnostics = await server.client.pull(uri);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['skipped'],
    );
    assert.match(String(diagnostics[0]!.message), /larger than 1024 KiB/);
    await stillServes();
  });

  it('gives a file the parser overflows on no diagnostics, logs it, and keeps serving', async () => {
    const deep = `const x = ${'('.repeat(20_000)}1${')'.repeat(20_000)};\n`;
    const uri = server.client.open(join(server.root, 'src/deep.ts'), deep);
    assert.deepEqual(await server.client.pull(uri), []);
    await stillServes();
  });

  it('finds the code sites of a Redis command and rejects bad params', async () => {
    const redisFile = `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function all() {\n  return redis.keys('session:*');\n}\n`;
    const uri = server.client.open(join(server.root, 'src/cache.ts'), redisFile);
    await server.client.pull(uri);
    const sites = await server.client.commandSites({ command: 'KEYS' });
    assert.deepEqual(
      sites.map((s) => [s.uri, s.range.start.line]),
      [[uri, 3]],
    );
    assert.deepEqual(await server.client.commandSites({ command: 'KEYS', keyPrefix: 'orders:' }), []);
    await assert.rejects(server.client.commandSites({ command: 42 } as never), /commandSites/);
  });
});
