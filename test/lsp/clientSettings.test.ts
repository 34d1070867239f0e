// Editors other than VS Code: settings pushed in didChangeConfiguration apply, a client that gives none hears it once, "Show documentation" only where it can open.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, MessageType, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from './harness';
import { makeWorkspace, N_PLUS_ONE } from './fixtures';
import { SETTINGS_GRACE_MS } from '../../server/lsp/settings';

const NO_SETTINGS = /No perfAdvisor settings from the editor/;

async function withClient(
  options: Parameters<typeof LspTestClient.start>[0],
  body: (client: LspTestClient, uri: string) => Promise<void>,
): Promise<void> {
  const root = makeWorkspace({ 'src/users.ts': N_PLUS_ONE });
  const client = await LspTestClient.start({
    workspace: root,
    initializationOptions: { scanOnStartup: false },
    ...options,
  });
  try {
    await body(client, client.open(join(root, 'src/users.ts'), N_PLUS_ONE));
  } finally {
    assert.equal(await client.stop(), 0);
  }
}

const nPlusOne = (items: Diagnostic[]) => items.filter((d) => d.code === 'n-plus-one');

/** Waits past the grace time the server gives an editor to send settings. */
const afterGrace = () => new Promise((r) => setTimeout(r, SETTINGS_GRACE_MS + 500));

describe('settings from a client without workspace/configuration', () => {
  it('applies the perfAdvisor section that didChangeConfiguration carries, and each change of it', async () => {
    await withClient({ pullSettings: false }, async (client, uri) => {
      client.pushSettings({ rules: { 'n-plus-one': { severity: 'error' } } });
      assert.equal(nPlusOne(await client.pull(uri))[0]?.severity, DiagnosticSeverity.Error);

      const refreshes = client.refreshCount;
      client.pushSettings({ rules: { 'n-plus-one': { enabled: false } } });
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      assert.deepEqual(nPlusOne(await client.pull(uri)), []);
      await afterGrace();
      assert.equal(client.logs.filter((l) => NO_SETTINGS.test(l.message)).length, 0, 'settings did arrive');
    });
  });

  it('settings pushed right after initialized apply to the first diagnostics pushed (no pull capability either)', async () => {
    const root = makeWorkspace({ 'src/users.ts': N_PLUS_ONE });
    const client = await LspTestClient.start({
      workspace: root,
      initializationOptions: { scanOnStartup: false },
      pullSettings: false,
      pullDiagnostics: false,
    });
    try {
      client.pushSettings({ rules: { 'n-plus-one': { severity: 'error' } } });
      const uri = client.open(join(root, 'src/users.ts'), N_PLUS_ONE);
      const pushed = await client.waitFor('publish', () => {
        const n1 = nPlusOne(client.published.get(uri) ?? []);
        return n1[0]?.severity === DiagnosticSeverity.Error ? n1 : undefined;
      });
      assert.equal(pushed.length, 1);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('warns once, in the log, when the editor gives no settings at all; the defaults apply', async () => {
    await withClient({ pullSettings: false }, async (client, uri) => {
      assert.equal(nPlusOne(await client.pull(uri))[0]?.severity, DiagnosticSeverity.Warning);
      await afterGrace();
      const warnings = client.logs.filter((l) => NO_SETTINGS.test(l.message));
      assert.equal(warnings.length, 1, JSON.stringify(client.logs));
      assert.equal(warnings[0]!.type, MessageType.Warning);
      assert.match(warnings[0]!.message, /does not offer workspace\/configuration/);
      assert.match(warnings[0]!.message, /docs\/editors\.md/);
      // A change signal without settings (`settings: null`) neither applies anything nor warns again.
      client.changeSettings({ rules: { 'n-plus-one': { severity: 'error' } } });
      await afterGrace();
      assert.equal(client.logs.filter((l) => NO_SETTINGS.test(l.message)).length, 1);
      assert.equal(nPlusOne(await client.pull(uri))[0]?.severity, DiagnosticSeverity.Warning);
    });
  });

  it('an empty section from a Lua client (`perfAdvisor = {}` is sent as []) is no settings error', async () => {
    await withClient({ pullSettings: false }, async (client, uri) => {
      const refreshes = client.refreshCount;
      void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { perfAdvisor: [] } });
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      assert.equal(nPlusOne(await client.pull(uri)).length, 1);
      assert.deepEqual(
        client.messages.filter((m) => /perfAdvisor/.test(m.message)),
        [],
      );
    });
  });
});

describe('settings from a client with workspace/configuration', () => {
  it('does not warn about missing settings when the client answers the section', async () => {
    await withClient({}, async (client, uri) => {
      assert.equal(nPlusOne(await client.pull(uri)).length, 1);
      await afterGrace();
      assert.equal(client.logs.filter((l) => NO_SETTINGS.test(l.message)).length, 0);
    });
  });
});

describe('"Show documentation"', () => {
  it('is not offered to a client without window.showDocument; the diagnostic links the docs instead', async () => {
    await withClient({ showDocument: false }, async (client, uri) => {
      const n1 = nPlusOne(await client.pull(uri));
      assert.match(n1[0]?.codeDescription?.href ?? '', /n-plus-one\.md$/);
      const titles = (await client.codeActions(uri, n1)).map((a) => a.title);
      assert.ok(titles.includes('Ignore n-plus-one on this line'), JSON.stringify(titles));
      assert.deepEqual(
        titles.filter((t) => t.startsWith('Show documentation')),
        [],
      );
    });
  });

  it('is offered to a client that can show documents', async () => {
    await withClient({ showDocument: true }, async (client, uri) => {
      const n1 = nPlusOne(await client.pull(uri));
      const titles = (await client.codeActions(uri, n1)).map((a) => a.title);
      assert.ok(titles.includes('Show documentation for n-plus-one'), JSON.stringify(titles));
    });
  });
});
