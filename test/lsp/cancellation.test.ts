// A pull superseded while its file is analysed is answered "cancelled", and the next pull has every diagnostic (nothing partial was kept).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { serverForSuite, manyFiles } from './fixtures';

describe('cancelled pulls', () => {
  const FUNCTIONS = 1500;
  const server = serverForSuite();

  it('answers a cancelled pull with RequestCancelled, then the next pull reports every finding', async () => {
    const text = manyFiles(1, FUNCTIONS)['src/service0.ts']!;
    const uri = server.client.open(join(server.root, 'src/big.ts'), text);
    const before = (await server.client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(before.length, FUNCTIONS);

    server.client.edit(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
    ]);
    const source = new CancellationTokenSource();
    const pulled = server.client.pull(uri, source);
    source.cancel();
    await assert.rejects(
      pulled,
      (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
    );

    const after = (await server.client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(after.length, FUNCTIONS);
    assert.equal(after[0]!.range.start.line, before[0]!.range.start.line + 1, 'positions come from the edited text');
  });
});
