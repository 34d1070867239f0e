// Workspace folders over LSP: folders added and removed after start-up, settings per folder, excluded files opened in the editor.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, FileChangeType, MessageType, type Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, type ProgressEvent } from './harness';
import { CLEAN, makeWorkspace, manyFiles, N_PLUS_ONE, UNBOUNDED } from './fixtures';

const REDIS_KEYS = `import Redis from 'ioredis';\nconst redis = new Redis();\nexport async function all() {\n  return redis.keys('session:*');\n}\n`;

const codes = (diagnostics: Diagnostic[] | undefined) => (diagnostics ?? []).map((d) => String(d.code));
const ends = (client: LspTestClient) => client.progress.filter((e: ProgressEvent) => e.value.kind === 'end');

describe('workspace folders', () => {
  it('scans a folder added after start-up (with progress) and clears its closed files when it is removed, keeping open ones', async () => {
    const first = makeWorkspace({ 'src/clean.ts': CLEAN });
    const added = makeWorkspace({ 'src/users.ts': N_PLUS_ONE, 'src/open.ts': N_PLUS_ONE });
    const client = await LspTestClient.start({ workspace: first });
    try {
      await client.waitFor('progress', () => (ends(client).length === 1 ? true : undefined));
      const usersUri = fileUri(join(added, 'src/users.ts'));
      assert.equal(client.published.get(usersUri), undefined, 'not a folder yet: not scanned');

      client.changeFolders({ added: [added] });
      const published = await client.waitFor('publish', () =>
        codes(client.published.get(usersUri)).includes('n-plus-one') ? true : undefined,
      );
      assert.ok(published);
      await client.waitFor('progress', () => (ends(client).length === 2 ? true : undefined));
      const secondScan = client.progress
        .filter((e) => e.token === ends(client)[1]!.token && e.value.kind === 'report')
        .map((e) => ('message' in e.value ? e.value.message : ''));
      assert.ok(
        secondScan.some((m) => /analysed 2\/2 files/.test(m ?? '')),
        `only the added folder is scanned: ${JSON.stringify(secondScan)}`,
      );

      const openUri = client.open(join(added, 'src/open.ts'), N_PLUS_ONE);
      assert.ok(codes(await client.pull(openUri)).includes('n-plus-one'));

      client.changeFolders({ removed: [added] });
      await client.waitFor('publish', () => (client.published.get(usersUri)?.length === 0 ? true : undefined));
      const summary = await client.summary();
      assert.deepEqual(
        summary.files.map((f) => f.uri),
        [openUri],
        "the removed folder's closed file left the session; the open one stays",
      );
      assert.ok(
        codes(await client.pull(openUri)).includes('n-plus-one'),
        'a file open in the editor keeps its diagnostics',
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('a folder removed mid-scan leaves nothing behind, not even files read but not analysed yet', async () => {
    const kept = makeWorkspace({ 'src/clean.ts': CLEAN });
    const removed = makeWorkspace({ ...manyFiles(150), 'src/zz-cache.ts': REDIS_KEYS });
    const client = await LspTestClient.start({ folders: [kept, removed] });
    try {
      await client.waitFor('progress', () =>
        client.progress.find((e) => e.value.kind === 'report' && /analysed [1-9]\d*\//.test(e.value.message ?? '')),
      );
      client.changeFolders({ removed: [removed] });
      // The cut-short scan restarts over the remaining folder.
      await client.waitFor('progress', () => (ends(client).length === 2 ? true : undefined));
      assert.deepEqual(await client.commandSites({ command: 'KEYS' }), []);
      const summary = await client.summary();
      assert.deepEqual(summary.files, []);
      assert.equal(summary.filesTotal, 1);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('analyses each file with the settings of its folder: rules, thresholds, excludes; a bad value names its folder', async () => {
    const big = UNBOUNDED + '// padding past 1 KiB\n'.repeat(60);
    const strict = makeWorkspace({ 'src/users.ts': N_PLUS_ONE, 'src/big.ts': big, 'legacy/old.ts': UNBOUNDED });
    const relaxed = makeWorkspace({ 'src/users.ts': N_PLUS_ONE, 'src/big.ts': big, 'legacy/old.ts': UNBOUNDED });
    const client = await LspTestClient.start({
      folders: [strict, relaxed],
      settings: {},
      folderSettings: {
        [strict]: {
          rules: { 'n-plus-one': { severity: 'error' } },
          thresholds: { exampleCollectionSize: 50, maxFileSizeKb: 1 },
          exclude: ['legacy/**'],
        },
        [relaxed]: { rules: { 'n-plus-one': { enabled: false } }, thresholds: { maxFileSizeKb: 'big' } },
      },
      initializationOptions: { scanOnStartup: false },
    });
    try {
      const warning = await client.waitFor('message', () =>
        client.messages.find((m) => m.type === MessageType.Warning),
      );
      assert.match(warning.message, /perfAdvisor\.thresholds\.maxFileSizeKb/);
      assert.ok(warning.message.includes(`in folder "${basename(relaxed)}"`), warning.message);
      assert.equal(client.messages.filter((m) => m.type === MessageType.Warning).length, 1);

      const result = await client.analyzeWorkspace();
      assert.equal(result.files, 4, 'legacy/ is excluded and big.ts too large in the strict folder only');
      const strictUsers = client.published.get(fileUri(join(strict, 'src/users.ts')));
      const n1 = strictUsers?.find((d) => d.code === 'n-plus-one');
      assert.equal(n1?.severity, DiagnosticSeverity.Error);
      assert.match(String(n1?.message), /51 for 50 elements/);
      assert.deepEqual(codes(client.published.get(fileUri(join(relaxed, 'src/users.ts')))), []);
      assert.equal(client.published.get(fileUri(join(strict, 'legacy/old.ts'))), undefined);
      assert.ok(codes(client.published.get(fileUri(join(relaxed, 'legacy/old.ts')))).includes('unbounded-read'));
      assert.equal(client.published.get(fileUri(join(strict, 'src/big.ts'))), undefined);
      assert.ok(codes(client.published.get(fileUri(join(relaxed, 'src/big.ts')))).includes('unbounded-read'));

      // Open files follow their folder too.
      const strictUri = client.open(join(strict, 'src/users.ts'), N_PLUS_ONE);
      const relaxedUri = client.open(join(relaxed, 'src/users.ts'), N_PLUS_ONE);
      const strictN1 = (await client.pull(strictUri)).filter((d) => d.code === 'n-plus-one');
      assert.equal(strictN1[0]?.severity, DiagnosticSeverity.Error);
      // "Disable rule in settings" names the file, so the client writes the setting where that file's folder takes it
      // from.
      const disable = (await client.codeActions(strictUri, strictN1)).find(
        (action) => action.command?.command === 'perfAdvisor.disableRule',
      );
      assert.deepEqual(disable?.command?.arguments, ['n-plus-one', strictUri]);
      assert.deepEqual(codes(await client.pull(relaxedUri)), []);
      assert.deepEqual(
        codes(await client.pull(client.open(join(strict, 'src/big.ts'), big))),
        ['skipped'],
        "over the strict folder's maxFileSizeKb",
      );
      assert.ok(codes(await client.pull(client.open(join(relaxed, 'src/big.ts'), big))).includes('unbounded-read'));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('excluded files opened in the editor', () => {
  it('get no diagnostics (exclude, .gitignore, built-in skips), the log says why once; settings and .gitignore changes apply', async () => {
    const files = {
      'generated/users.ts': N_PLUS_ONE,
      'ignored/users.ts': N_PLUS_ONE,
      'dist/users.ts': N_PLUS_ONE,
      'src/users.ts': N_PLUS_ONE,
      '.gitignore': 'ignored/\n',
    };
    const root = makeWorkspace(files);
    const settings = { exclude: ['generated/**'] };
    const client = await LspTestClient.start({
      workspace: root,
      settings,
      initializationOptions: { scanOnStartup: false },
    });
    try {
      const expected: [string, RegExp][] = [
        ['generated/users.ts', /matches perfAdvisor\.exclude/],
        ['ignored/users.ts', /ignored by \.gitignore/],
        ['dist/users.ts', /inside "dist"/],
      ];
      for (const [name, reason] of expected) {
        const path = join(root, name);
        const uri = client.open(path, N_PLUS_ONE);
        assert.deepEqual(await client.pull(uri), [], name);
        assert.deepEqual(await client.pull(uri), [], name);
        const lines = client.logs.filter((l) => l.message.includes(`${path} is not analysed`));
        assert.equal(lines.length, 1, `${name}: ${JSON.stringify(lines)}`);
        assert.match(lines[0]!.message, reason);
      }
      assert.ok(
        codes(await client.pull(client.open(join(root, 'src/users.ts'), N_PLUS_ONE))).includes('n-plus-one'),
        'a file that is not excluded is analysed',
      );

      const generatedUri = fileUri(join(root, 'generated/users.ts'));
      let refreshes = client.refreshCount;
      client.changeSettings({});
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      assert.ok(codes(await client.pull(generatedUri)).includes('n-plus-one'), 'no longer excluded: analysed');

      refreshes = client.refreshCount;
      client.changeSettings(settings);
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      assert.deepEqual(await client.pull(generatedUri), [], 'excluded again');
      assert.ok(
        (await client.summary()).files.every((f) => f.uri !== generatedUri),
        'its findings left the summary',
      );

      // A .gitignore edited on disk is read again: the open src/users.ts is now left out.
      const srcUri = fileUri(join(root, 'src/users.ts'));
      writeFileSync(join(root, '.gitignore'), 'ignored/\nsrc/\n');
      refreshes = client.refreshCount;
      client.changeWatchedFiles([{ uri: fileUri(join(root, '.gitignore')), type: FileChangeType.Changed }]);
      await client.waitFor('refresh', () => (client.refreshCount > refreshes ? true : undefined));
      assert.deepEqual(await client.pull(srcUri), []);
      assert.ok(
        client.logs.some((l) =>
          l.message.includes(`${join(root, 'src/users.ts')} is not analysed: its folder src is ignored by .gitignore`),
        ),
        JSON.stringify(client.logs.slice(-3)),
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('are not read when they change on disk (a build writing dist/), while other closed files are', async () => {
    const root = makeWorkspace({ 'src/clean.ts': CLEAN });
    const client = await LspTestClient.start({
      workspace: root,
      settings: { exclude: ['generated/**'] },
      initializationOptions: { scanOnStartup: false },
    });
    try {
      const written = ['dist/users.ts', 'generated/users.ts', 'src/users.ts'];
      for (const name of written) {
        mkdirSync(dirname(join(root, name)), { recursive: true });
        writeFileSync(join(root, name), N_PLUS_ONE);
      }
      client.changeWatchedFiles(
        written.map((name) => ({ uri: fileUri(join(root, name)), type: FileChangeType.Created })),
      );
      await client.waitFor('publish', () =>
        codes(client.published.get(fileUri(join(root, 'src/users.ts')))).includes('n-plus-one') ? true : undefined,
      );
      assert.equal(client.published.get(fileUri(join(root, 'dist/users.ts'))), undefined);
      assert.equal(client.published.get(fileUri(join(root, 'generated/users.ts'))), undefined);
      assert.deepEqual(
        (await client.summary()).files.map((f) => f.uri),
        [fileUri(join(root, 'src/users.ts'))],
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('are not pushed to a client that cannot pull, and are pushed once the exclude is removed', async () => {
    const root = makeWorkspace({ 'generated/users.ts': N_PLUS_ONE, 'src/users.ts': N_PLUS_ONE });
    const client = await LspTestClient.start({
      workspace: root,
      settings: { exclude: ['generated/**'] },
      pullDiagnostics: false,
      initializationOptions: { scanOnStartup: false },
    });
    try {
      const generatedUri = client.open(join(root, 'generated/users.ts'), N_PLUS_ONE);
      const srcUri = client.open(join(root, 'src/users.ts'), N_PLUS_ONE);
      // The worker analyses in order: had the excluded file been analysed, it would have been published first.
      await client.waitFor('publish', () =>
        codes(client.published.get(srcUri)).includes('n-plus-one') ? true : undefined,
      );
      assert.equal(client.published.get(generatedUri), undefined);
      client.changeSettings({});
      await client.waitFor('publish', () =>
        codes(client.published.get(generatedUri)).includes('n-plus-one') ? true : undefined,
      );
      client.changeSettings({ exclude: ['generated/**'] });
      await client.waitFor('publish', () => (client.published.get(generatedUri)?.length === 0 ? true : undefined));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
