// The server's two bundles: the LSP thread's dist/server.js leaves the engine (and TypeScript) to the worker's dist/analysisWorker.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const dist = resolve(__dirname, '../../dist');

describe('server bundles', () => {
  it('keeps TypeScript and the rules out of the LSP thread, and ts-morph’s getter namespace out of both', () => {
    const server = readFileSync(resolve(dist, 'server.js'), 'utf8');
    const worker = readFileSync(resolve(dist, 'analysisWorker.js'), 'utf8');
    for (const marker of ['function createSourceFile(', '// rules/n-plus-one.ts']) {
      assert.ok(!server.includes(marker), `dist/server.js contains ${marker}`);
      assert.ok(worker.includes(marker), `dist/analysisWorker.js lacks ${marker}`);
    }
    assert.ok(!worker.includes('// node_modules/ts-morph/dist/ts-morph.js'), 'the worker bundles ts-morph’s wrapper');
  });
});
