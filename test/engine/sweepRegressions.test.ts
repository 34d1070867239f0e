// Internal errors that scripts/sweep.ts found on real repositories, each reproduced by a made-up snippet of the same shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeFiles } from '../../server/engine';

describe('sweep regressions', () => {
  it('a parameter named like the type alias that annotates it (`(reader: reader)`) does not recurse', () => {
    const text = [
      'type reader = (key: string) => Promise<string>;',
      'type pool = { query(sql: string): Promise<unknown> };',
      'export async function wrap(reader: reader, pool: pool, keys: string[]) {',
      '  const bound = reader.bind(null);',
      '  for (const key of keys) await pool.query(await bound(key));',
      '  return reader.call(null, "k");',
      '}',
      '',
    ].join('\n');
    for (const types of [false, true]) {
      const result = analyzeFiles([{ path: '/x/wrap.ts', text }], undefined, undefined, { types });
      assert.deepEqual(result.errors, [], `types ${types}`);
    }
  });

  it('a factory called from a top-level `function run()` (a command-handler name outside any object) is analysed', () => {
    const db = [
      "import { createClient } from 'redis';",
      'export async function openClient() {',
      '  const client = createClient();',
      '  await client.connect();',
      '  return client;',
      '}',
      '',
    ].join('\n');
    const job = [
      "import { openClient } from './db';",
      'export async function run() {',
      '  await openClient();',
      '}',
      '',
    ].join('\n');
    const result = analyzeFiles([
      { path: '/x/db.ts', text: db },
      { path: '/x/job.ts', text: job },
    ]);
    assert.deepEqual(result.errors, []);
  });
});
