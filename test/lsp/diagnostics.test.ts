// LSP over stdio: pull diagnostics for open files, edits and re-pulls, code actions applied, cross-file dependents.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { LspTestClient } from './harness';
import {
  BATCHED,
  CLEAN,
  makeWorkspace,
  N_PLUS_ONE,
  N_PLUS_ONE_LINE,
  UNBOUNDED,
  VIA_LOOP,
  VIA_REPO,
  VIA_REPO_NO_QUERY,
} from './fixtures';

describe('pull diagnostics', () => {
  let client: LspTestClient;
  let root: string;
  before(async () => {
    root = makeWorkspace({ 'src/users.ts': N_PLUS_ONE, 'src/clean.ts': CLEAN });
    client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  it('reports nothing for a file without round trips', async () => {
    const uri = client.open(join(root, 'src/clean.ts'), CLEAN);
    assert.deepEqual(await client.pull(uri), []);
  });

  it('reports the N+1 with source, code, docs link, severity and the loop as related information', async () => {
    const uri = client.open(join(root, 'src/users.ts'), N_PLUS_ONE);
    const diagnostics = await client.pull(uri);
    const n1 = diagnostics.find((d) => d.code === 'n-plus-one');
    assert.ok(n1, `no n-plus-one among ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    assert.equal(n1.source, 'perf-advisor');
    assert.equal(n1.severity, DiagnosticSeverity.Warning);
    assert.equal(n1.range.start.line, N_PLUS_ONE_LINE);
    assert.match(n1.codeDescription?.href ?? '', /n-plus-one\.md$/);
    assert.match(String(n1.message), /users/);
    assert.ok((n1.relatedInformation ?? []).length > 0, 'the loop header is related information');
    assert.equal(n1.relatedInformation![0]!.location.uri, uri);
    assert.equal((n1.data as { ruleId: string }).ruleId, 'n-plus-one');
  });

  it('re-pulls after an edit and sees the fixed code clean of the N+1', async () => {
    const uri = client.open(join(root, 'src/users2.ts'), N_PLUS_ONE);
    assert.ok((await client.pull(uri)).some((d) => d.code === 'n-plus-one'));
    const lines = N_PLUS_ONE.split('\n').length;
    client.edit(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, text: BATCHED },
    ]);
    assert.equal(client.text(uri), BATCHED);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'n-plus-one'),
      [],
    );
  });

  it('"Ignore on this line" inserts the directive with the line\'s indentation and the diagnostic goes away', async () => {
    const uri = client.open(join(root, 'src/users3.ts'), N_PLUS_ONE);
    const n1 = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(n1.length, 1);
    const actions = await client.codeActions(uri, n1);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable n-plus-one in settings'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for n-plus-one'), titles.join(' | '));
    const ignore = actions.find((a) => a.title === 'Ignore n-plus-one on this line');
    assert.ok(ignore?.edit);
    client.applyEdit(ignore.edit);
    const lines = client.text(uri).split('\n');
    assert.equal(lines[N_PLUS_ONE_LINE], '    // perf-advisor-ignore-next-line n-plus-one');
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'n-plus-one'),
      [],
    );
  });

  it('applies an engine fix from a code action and the fixed problem is gone', async () => {
    const uri = client.open(join(root, 'src/posts.ts'), UNBOUNDED);
    const diagnostics = await client.pull(uri);
    const withFix = diagnostics.find((d) => ((d.data as { fixes?: unknown[] }).fixes ?? []).length > 0);
    assert.ok(withFix, `no diagnostic with a fix among ${JSON.stringify(diagnostics.map((d) => d.code))}`);
    const actions = await client.codeActions(uri, [withFix]);
    const fix = actions.find((a) => a.edit && !a.title.startsWith('Ignore'));
    assert.ok(fix?.edit);
    client.applyEdit(fix.edit);
    assert.notEqual(client.text(uri), UNBOUNDED);
    const after = await client.pull(uri);
    assert.equal(
      after.filter((d) => d.code === withFix.code && d.range.start.line === withFix.range.start.line).length,
      0,
      client.text(uri),
    );
  });

  it('"Show documentation" opens the rule page through window/showDocument', async () => {
    const uri = client.open(join(root, 'src/users5.ts'), N_PLUS_ONE);
    const n1 = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    const docs = (await client.codeActions(uri, n1)).find((a) => a.title.startsWith('Show documentation'));
    assert.ok(docs?.command);
    await client.executeCommand(docs.command.command, docs.command.arguments ?? []);
    assert.ok(
      client.shownDocuments.some((u) => u.endsWith('n-plus-one.md')),
      JSON.stringify(client.shownDocuments),
    );
  });
});

describe('cross-file dependents', () => {
  it('an edit of the helper refreshes the open loop file and clears its "via" N+1', async () => {
    const root = makeWorkspace({ 'src/feed.ts': VIA_LOOP, 'src/repo.ts': VIA_REPO });
    const client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
    try {
      const repoUri = client.open(join(root, 'src/repo.ts'), VIA_REPO);
      const feedUri = client.open(join(root, 'src/feed.ts'), VIA_LOOP);
      await client.pull(repoUri);
      const before = await client.pull(feedUri);
      assert.ok(
        before.some((d) => d.code === 'n-plus-one'),
        JSON.stringify(before.map((d) => d.message)),
      );
      const refreshes = client.refreshCount;
      const lines = VIA_REPO.split('\n').length;
      client.edit(repoUri, [
        { range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, text: VIA_REPO_NO_QUERY },
      ]);
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      const afterEdit = await client.pull(feedUri);
      assert.deepEqual(
        afterEdit.filter((d) => d.code === 'n-plus-one'),
        [],
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
