// Settings over LSP: a disabled rule disappears, a severity override applies, a bad value falls back with one warning naming it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, MessageType } from 'vscode-languageserver-protocol';
import { LspTestClient } from './harness';
import { makeWorkspace, N_PLUS_ONE, UNTRACED_PARAMETER } from './fixtures';

describe('settings', () => {
  let client: LspTestClient;
  let uri: string;
  let root: string;
  before(async () => {
    root = makeWorkspace({ 'src/users.ts': N_PLUS_ONE });
    client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
    uri = client.open(join(root, 'src/users.ts'), N_PLUS_ONE);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  /** Changes the settings and waits for the server's diagnostics refresh that follows. */
  async function applySettings(settings: Record<string, unknown>): Promise<void> {
    const before = client.refreshCount;
    client.changeSettings(settings);
    await client.waitFor('refresh', () => (client.refreshCount > before ? true : undefined));
  }

  it('reports the N+1 as a warning by default', async () => {
    const n1 = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(n1.length, 1);
    assert.equal(n1[0]!.severity, DiagnosticSeverity.Warning);
  });

  it('applies a per-rule severity', async () => {
    await applySettings({ rules: { 'n-plus-one': { severity: 'error' } } });
    const n1 = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(n1[0]?.severity, DiagnosticSeverity.Error);
  });

  it('drops a disabled rule and brings it back when enabled again', async () => {
    await applySettings({ rules: { 'n-plus-one': { enabled: false } } });
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'n-plus-one'),
      [],
    );
    await applySettings({ rules: { 'n-plus-one': { enabled: true } } });
    assert.equal((await client.pull(uri)).filter((d) => d.code === 'n-plus-one').length, 1);
  });

  it('falls back from a bad value with one warning naming the setting, and keeps the other settings', async () => {
    const messagesBefore = client.messages.length;
    await applySettings({
      thresholds: { maxFileSizeKb: 'big', exampleCollectionSize: 50 },
      rules: { 'n-plus-one': { severity: 'error' } },
    });
    const warning = await client.waitFor('message', () =>
      client.messages.slice(messagesBefore).find((m) => m.type === MessageType.Warning),
    );
    assert.match(warning.message, /perfAdvisor\.thresholds\.maxFileSizeKb/);
    assert.doesNotMatch(warning.message, /exampleCollectionSize/);
    const n1 = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    assert.equal(n1.length, 1, 'analysis still runs with the default maximum file size');
    assert.equal(n1[0]!.severity, DiagnosticSeverity.Error, 'the valid rule setting still applies');
    assert.match(String(n1[0]!.message), /51 for 50 elements/, 'the valid threshold still applies');
    // The same bad value again: no second warning.
    await applySettings({
      thresholds: { maxFileSizeKb: 'big', exampleCollectionSize: 50 },
      rules: { 'n-plus-one': { severity: 'error' } },
    });
    await client.pull(uri);
    assert.equal(client.messages.slice(messagesBefore).filter((m) => m.type === MessageType.Warning).length, 1);
  });

  it('skips a file above maxFileSizeKb and says so on the open file', async () => {
    const padded = N_PLUS_ONE + '// padding to pass 1 KiB\n'.repeat(60);
    const bigUri = client.open(join(root, 'src/big.ts'), padded);
    await applySettings({ thresholds: { maxFileSizeKb: 1 } });
    const diagnostics = await client.pull(bigUri);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['skipped'],
    );
    assert.match(String(diagnostics[0]!.message), /larger than 1 KiB/);
    await applySettings({});
    assert.equal((await client.pull(bigUri)).filter((d) => d.code === 'n-plus-one').length, 1);
  });

  it("reports a loop over a parameter no caller fills only with untracedParameters: 'possible', at information", async () => {
    const untracedUri = client.open(join(root, 'src/untraced.ts'), UNTRACED_PARAMETER);
    const nPlusOne = async (u: string) => (await client.pull(u)).filter((d) => d.code === 'n-plus-one');
    assert.deepEqual(await nPlusOne(untracedUri), [], 'silent by default');
    await applySettings({ rules: { 'n-plus-one': { options: { untracedParameters: 'possible' } } } });
    const possible = await nPlusOne(untracedUri);
    assert.equal(possible.length, 1);
    assert.equal(possible[0]!.severity, DiagnosticSeverity.Information);
    assert.match(String(possible[0]!.message), /possible: `users`, a parameter no caller in the project fills/);
    // A loop whose collection has a traced origin that grows keeps its warning.
    const traced = await nPlusOne(uri);
    assert.equal(traced.length, 1);
    assert.equal(traced[0]!.severity, DiagnosticSeverity.Warning);
    assert.doesNotMatch(String(traced[0]!.message), /possible/);
    await applySettings({ rules: { 'n-plus-one': { options: { untracedParameters: 'silent' } } } });
    assert.deepEqual(await nPlusOne(untracedUri), []);
  });
});
