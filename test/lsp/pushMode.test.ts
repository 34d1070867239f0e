// Push-mode clients (no textDocument/diagnostic: Neovim < 0.10, Helix, Emacs, Sublime): the edited file is pushed while the user types; dependents wait for a pause.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DEPENDENTS_DEBOUNCE_MS } from '../../server/lsp/editScheduler';
import { LspTestClient } from './harness';
import { makeWorkspace, manyFiles, VIA_LOOP, VIA_REPO } from './fixtures';

/**
 * Appended to repo.ts: an N+1 of its own (a query per row of an unbounded read), so the edited file's push is
 * recognisable.
 */
const OWN_N_PLUS_ONE = `
export async function postsOf() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const out = [];
  for (const u of users) out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  return out;
}
`;
/** Keystrokes come this often, well inside the debounce: while they do, the dependents' timer never fires. */
const KEYSTROKE_MS = 40;
const MAX_KEYSTROKES = 150;

/** Resolves once nothing was pushed for twice the debounce: what opening the files started is over. */
async function quiet(client: LspTestClient): Promise<void> {
  let last = performance.now();
  const seen = () => (last = performance.now());
  client.events.on('publish', seen);
  while (performance.now() - last < 2 * DEPENDENTS_DEBOUNCE_MS) await new Promise((r) => setTimeout(r, 50));
  client.events.off('publish', seen);
}

const endOf = (text: string) => {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
};

describe('push mode', () => {
  it("pushes the edited file's new diagnostics while the user keeps typing; its dependents only after the pause", async (t) => {
    const root = makeWorkspace({ 'src/feed.ts': VIA_LOOP, 'src/repo.ts': VIA_REPO });
    const client = await LspTestClient.start({
      workspace: root,
      initializationOptions: { scanOnStartup: false },
      pullDiagnostics: false,
    });
    try {
      const repoUri = client.open(join(root, 'src/repo.ts'), VIA_REPO);
      const feedUri = client.open(join(root, 'src/feed.ts'), VIA_LOOP);
      await client.waitFor('publish', () =>
        client.published.get(feedUri)?.some((d) => d.code === 'n-plus-one') ? true : undefined,
      );
      await quiet(client);
      const log: { uri: string; ownN1: boolean; keystrokes: number; at: number }[] = [];
      let keystrokes = 0;
      client.events.on('publish', (p: PublishDiagnosticsParams) =>
        log.push({
          uri: p.uri,
          ownN1: p.diagnostics.some((d) => d.code === 'n-plus-one'),
          keystrokes,
          at: performance.now(),
        }),
      );

      // One edit adds the N+1, then the user types on (a space at the end) every KEYSTROKE_MS.
      const editedAt = performance.now();
      client.edit(repoUri, [{ range: { start: endOf(VIA_REPO), end: endOf(VIA_REPO) }, text: OWN_N_PLUS_ONE }]);
      keystrokes = 1;
      let lastKeystroke = editedAt;
      let longestGap = 0;
      const pushedAt = () => log.find((e) => e.uri === repoUri && e.ownN1);
      while (!pushedAt() && keystrokes < MAX_KEYSTROKES) {
        await new Promise((r) => setTimeout(r, KEYSTROKE_MS));
        if (pushedAt()) break;
        const now = performance.now();
        longestGap = Math.max(longestGap, now - lastKeystroke);
        lastKeystroke = now;
        client.edit(repoUri, [
          { range: { start: endOf(client.text(repoUri)), end: endOf(client.text(repoUri)) }, text: ' ' },
        ]);
        keystrokes++;
      }
      const first = pushedAt();
      assert.ok(first, `no push of repo.ts after ${keystrokes} keystrokes: ${JSON.stringify(log)}`);
      // The typing never paused for the debounce, so the timer that re-analyses dependents cannot have fired yet.
      assert.ok(longestGap < DEPENDENTS_DEBOUNCE_MS, `the test's keystrokes paused ${longestGap.toFixed(0)} ms`);
      assert.deepEqual(
        log.filter((e) => e.uri === feedUri),
        [],
        'the dependent was re-analysed during typing',
      );
      t.diagnostic(
        `edited file pushed after ${first.keystrokes} keystroke(s), ${(first.at - editedAt).toFixed(0)} ms after the edit`,
      );

      // The user stops: after the debounce the dependent is analysed again and pushed (its "via" N+1 is still there).
      const stoppedAt = keystrokes;
      const dependent = await client.waitFor('publish', () => log.find((e) => e.uri === feedUri));
      assert.equal(dependent.keystrokes, stoppedAt);
      assert.equal(dependent.ownN1, true);
      assert.ok(log.indexOf(first) < log.indexOf(dependent));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('a single edit pushes the edited file once, then its dependent after the pause', async () => {
    const root = makeWorkspace({ 'src/feed.ts': VIA_LOOP, 'src/repo.ts': VIA_REPO });
    const client = await LspTestClient.start({
      workspace: root,
      initializationOptions: { scanOnStartup: false },
      pullDiagnostics: false,
    });
    try {
      const repoUri = client.open(join(root, 'src/repo.ts'), VIA_REPO);
      const feedUri = client.open(join(root, 'src/feed.ts'), VIA_LOOP);
      await client.waitFor('publish', () => (client.published.get(feedUri)?.length ? true : undefined));
      await quiet(client);
      const order: string[] = [];
      client.events.on('publish', (p: PublishDiagnosticsParams) =>
        order.push(`${p.uri === repoUri ? 'repo' : 'feed'}:${p.diagnostics.some((d) => d.code === 'n-plus-one')}`),
      );
      client.edit(repoUri, [{ range: { start: endOf(VIA_REPO), end: endOf(VIA_REPO) }, text: OWN_N_PLUS_ONE }]);
      await client.waitFor('publish', () => (order.includes('feed:true') ? true : undefined));
      // Pushed once at once; the debounce then re-analyses only the dependent (never the edited file a second time).
      assert.deepEqual(order, ['repo:true', 'feed:true']);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('keeps pushing while keystrokes come faster than the file is analysed (a superseded run does not starve them)', async (t) => {
    // 100 N+1 functions: one analysis takes several keystroke intervals, so cancelling every superseded run would
    // push nothing until the typing stops.
    const text = manyFiles(1, 100)['src/service0.ts']!;
    const root = makeWorkspace({ 'src/big.ts': text });
    const client = await LspTestClient.start({
      workspace: root,
      initializationOptions: { scanOnStartup: false },
      pullDiagnostics: false,
    });
    try {
      const uri = client.open(join(root, 'src/big.ts'), text);
      const count = () => client.published.get(uri)?.filter((d) => d.code === 'n-plus-one').length ?? 0;
      await client.waitFor('publish', () => (count() === 100 ? true : undefined));
      await quiet(client);
      const editedAt = performance.now();
      client.edit(uri, [{ range: { start: endOf(text), end: endOf(text) }, text: OWN_N_PLUS_ONE }]);
      let keystrokes = 1;
      while (count() !== 101 && keystrokes < MAX_KEYSTROKES) {
        await new Promise((r) => setTimeout(r, KEYSTROKE_MS / 2));
        const end = endOf(client.text(uri));
        client.edit(uri, [{ range: { start: end, end }, text: ' ' }]);
        keystrokes++;
      }
      assert.equal(count(), 101, `nothing pushed during ${keystrokes} keystrokes`);
      t.diagnostic(
        `pushed after ${keystrokes} keystrokes, ${(performance.now() - editedAt).toFixed(0)} ms, while typing on`,
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
