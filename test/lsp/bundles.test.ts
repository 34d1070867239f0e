// The server's two bundles: the LSP thread's dist/server.js leaves the engine (and TypeScript) to the worker's dist/analysisWorker.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const dist = resolve(__dirname, '../../dist');

describe('server bundles', () => {
  it('keeps TypeScript and the rules out of the LSP thread, and ts-morph’s wrapper off the analysis path', () => {
    const server = readFileSync(resolve(dist, 'server.js'), 'utf8');
    const worker = readFileSync(resolve(dist, 'analysisWorker.js'), 'utf8');
    for (const marker of ['function createSourceFile(', '// rules/n-plus-one.ts']) {
      assert.ok(!server.includes(marker), `dist/server.js contains ${marker}`);
      assert.ok(worker.includes(marker), `dist/analysisWorker.js lacks ${marker}`);
    }
    // The rules use the plain TypeScript module; ts-morph's wrapper is only there for building fixes, and only the
    // lazy loader of rules/fixes/morph.ts evaluates it (on the first code action resolved), never at start-up.
    assert.ok(worker.includes('// plain-typescript:ts-morph'), 'the rules get the plain TypeScript module');
    const evaluations = [...worker.matchAll(/require_ts_morph\(\)/g)].map((m) =>
      worker.slice(m.index! - 20, m.index! + 20),
    );
    assert.deepEqual(evaluations.length, 1, evaluations.join(' | '));
    assert.match(evaluations[0]!, /loaded \?\?= require_ts_morph\(\)/);
  });
});
