// The workspace scan on helper threads (perfAdvisor.scan.threads) publishes exactly what a one-thread scan publishes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, type ProgressEvent } from './harness';
import { makeWorkspace } from './fixtures';
import { crossFileProject } from '../scan/crossFileProject';

const isEnd = (e: ProgressEvent) => e.value.kind === 'end';

/** Every published diagnostic after a full scan with `threads`, by file, and the worker's log lines. */
async function scanWith(
  root: string,
  threads: number,
): Promise<{ published: [string, Diagnostic[]][]; logs: string[] }> {
  const client = await LspTestClient.start({ workspace: root, settings: { scan: { threads } } });
  try {
    await client.waitFor('progress', () => client.progress.find(isEnd));
    const summary = await client.summary();
    assert.equal(summary.filesAnalyzed, summary.filesTotal, 'the scan finished');
    return {
      published: [...client.published.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
      logs: client.logs.map((l) => l.message),
    };
  } finally {
    assert.equal(await client.stop(), 0);
  }
}

describe('workspace scan on threads', () => {
  it('publishes on 2 threads the same diagnostics as on 1, cross-file N+1s included', async () => {
    const root = makeWorkspace(crossFileProject(30));
    const one = await scanWith(root, 1);
    const two = await scanWith(root, 2);
    assert.ok(
      two.logs.some((l) => /analysed \d+ files on 2 threads/.test(l)),
      two.logs.filter((l) => /scan/.test(l)).join('\n'),
    );
    assert.ok(!one.logs.some((l) => /on \d+ threads/.test(l)), 'threads: 1 keeps the scan on the worker');
    const withFindings = one.published.filter(([, d]) => d.some((x) => x.code === 'n-plus-one'));
    assert.equal(withFindings.length, 20, 'every service that does not batch (20 of 30)');
    assert.deepEqual(two.published, one.published);
  });
});
