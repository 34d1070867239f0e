// The workspace scan over LSP: closed files published, $/progress done/total, cancellation, cache resume outside the workspace, requests served mid-scan.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CancellationTokenSource, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, type ProgressEvent } from './harness';
import { CLEAN, makeWorkspace, manyFiles, N_PLUS_ONE } from './fixtures';

const isEnd = (e: ProgressEvent) => e.value.kind === 'end';

describe('workspace scan', () => {
  it("publishes closed files' findings, reports done/total progress and honours .gitignore and node_modules", async () => {
    const root = makeWorkspace({
      'src/users.ts': N_PLUS_ONE,
      'src/clean.ts': CLEAN,
      'generated/users.ts': N_PLUS_ONE,
      'node_modules/lib/users.ts': N_PLUS_ONE,
      '.gitignore': 'generated/\n',
    });
    const client = await LspTestClient.start({ workspace: root });
    try {
      const end = await client.waitFor('progress', () => client.progress.find(isEnd));
      const reports = client.progress
        .filter((e) => e.token === end.token && e.value.kind === 'report')
        .map((e) => (e.value as WorkDoneProgressReport).message ?? '');
      assert.ok(
        reports.some((m) => /analysed 2\/2 files/.test(m)),
        JSON.stringify(reports),
      );
      const users = await client.waitFor('publish', () => client.published.get(fileUri(join(root, 'src/users.ts'))));
      assert.ok(users.some((d) => d.code === 'n-plus-one'));
      assert.equal(client.published.get(fileUri(join(root, 'generated/users.ts'))), undefined, '.gitignore honoured');
      assert.equal(
        client.published.get(fileUri(join(root, 'node_modules/lib/users.ts'))),
        undefined,
        'node_modules skipped',
      );
      const summary = await client.summary();
      assert.equal(summary.filesTotal, 2);
      assert.equal(summary.files.length, 1);
      assert.equal(summary.files[0]!.uri, fileUri(join(root, 'src/users.ts')));
      assert.ok(summary.rules.some((r) => r.ruleId === 'n-plus-one' && r.count === 1));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('can be cancelled from the progress UI and answers requests while it runs', async () => {
    const root = makeWorkspace(manyFiles(250));
    const client = await LspTestClient.start({ workspace: root });
    try {
      const analysing = await client.waitFor('progress', () =>
        client.progress.find((e) => e.value.kind === 'report' && /analysed/.test(e.value.message ?? '')),
      );
      // Mid-scan, other requests are still answered: an open file's diagnostics and the summary.
      const uri = client.open(join(root, 'src/extra.ts'), N_PLUS_ONE);
      const [diagnostics, during] = await Promise.all([client.pull(uri), client.summary()]);
      assert.equal(client.progress.some(isEnd), false, 'the answers came before the scan ended');
      assert.ok(diagnostics.some((d) => d.code === 'n-plus-one'));
      assert.equal(during.state, 'scanning');
      client.cancelProgress(analysing.token);
      await client.waitFor('progress', () => client.progress.find(isEnd));
      const after = await client.summary();
      assert.equal(after.state, 'idle');
      assert.ok(after.filesAnalyzed < after.filesTotal, `cancelled at ${after.filesAnalyzed}/${after.filesTotal}`);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('resumes from the content-hash cache in the storage folder after a restart, never writing into the workspace', async () => {
    const root = makeWorkspace(manyFiles(100));
    const storagePath = mkdtempSync(join(tmpdir(), 'pa-storage-'));
    const options = { scanOnStartup: false, storagePath };
    const first = await LspTestClient.start({ workspace: root, initializationOptions: options });
    let analysedBefore = 0;
    try {
      const source = new CancellationTokenSource();
      const pending = first.analyzeWorkspace(source);
      await first.waitFor('progress', () =>
        first.progress.find((e) => e.value.kind === 'report' && /analysed ([1-9]\d*)\//.test(e.value.message ?? '')),
      );
      source.cancel();
      const result = await pending;
      assert.equal(result.cancelled, true);
      analysedBefore = (await first.summary()).filesAnalyzed;
      assert.ok(analysedBefore > 0 && analysedBefore < 100, `analysed ${analysedBefore}`);
    } finally {
      assert.equal(await first.stop(), 0);
    }
    assert.equal(readdirSync(storagePath).filter((n) => n.startsWith('analysis-cache')).length, 1);
    assert.deepEqual(readdirSync(root).sort(), ['src']);

    const second = await LspTestClient.start({ workspace: root, initializationOptions: options });
    try {
      const result = await second.analyzeWorkspace();
      assert.equal(result.cancelled, false);
      assert.equal(result.files, 100);
      assert.ok(
        result.fromCache >= analysedBefore,
        `${result.fromCache} from cache, ${analysedBefore} analysed before`,
      );
      assert.ok(
        result.findings >= 100 * 25,
        `cached and fresh results together: at least the N+1 of each function (${result.findings})`,
      );
      // A changed file invalidates the cache's workspace key: everything is analysed again.
      writeFileSync(join(root, 'src/service0.ts'), CLEAN);
      const again = await second.analyzeWorkspace();
      assert.equal(again.fromCache, 0);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});
