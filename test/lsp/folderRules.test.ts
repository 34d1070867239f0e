// Per-folder pieces without a server: the open-file exclusion agrees with the scan's walk file by file; each file gets the Config of its deepest folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisSession, Config, FolderConfigs } from '../../server/engine';
import { discoverFiles, FolderExclusions } from '../../server/workspace';
import { WorkspaceFolderSet } from '../../server/lsp/folders';
import { pathToFileURL } from 'node:url';
import { makeWorkspace, N_PLUS_ONE } from './fixtures';

describe('FolderExclusions', () => {
  const files: Record<string, string> = {
    '.gitignore': 'generated/\n*.local.ts\n!keep.local.ts\n',
    'src/users.ts': N_PLUS_ONE,
    'src/draft.local.ts': N_PLUS_ONE,
    'src/keep.local.ts': N_PLUS_ONE,
    'src/nested/.gitignore': 'secret.ts\n',
    'src/nested/secret.ts': N_PLUS_ONE,
    'src/nested/open.ts': N_PLUS_ONE,
    'generated/users.ts': N_PLUS_ONE,
    'legacy/old.ts': N_PLUS_ONE,
    'legacy/deep/older.ts': N_PLUS_ONE,
    'scripts/seed.ts': N_PLUS_ONE,
    'node_modules/lib/index.ts': N_PLUS_ONE,
    'packages/api/dist/server.js': N_PLUS_ONE,
    'packages/api/src/app.ts': N_PLUS_ONE,
    'public/app.min.js': N_PLUS_ONE,
    'public/main.bundle.js': N_PLUS_ONE,
  };
  const sources = Object.keys(files).filter((name) => !name.endsWith('.gitignore'));

  for (const exclude of [[], ['legacy/**', 'scripts/seed.ts'], ['**/*.ts']]) {
    it(`leaves out exactly the files the scan leaves out (exclude ${JSON.stringify(exclude)})`, () => {
      const root = makeWorkspace(files);
      const scanned = new Set(discoverFiles([root], { root, exclude }).files.map((f) => f.path));
      const rules = new FolderExclusions(root, exclude);
      const disagreements = sources.filter(
        (name) => scanned.has(join(root, name)) !== (rules.reasonFor(join(root, name)) === undefined),
      );
      assert.deepEqual(disagreements, []);
      assert.ok(scanned.size > 0 || exclude.includes('**/*.ts'));
    });
  }

  it('says which rule left a file out', () => {
    const root = makeWorkspace(files);
    const rules = new FolderExclusions(root, ['legacy/**']);
    assert.match(rules.reasonFor(join(root, 'legacy/old.ts'))!, /matches perfAdvisor\.exclude/);
    assert.match(rules.reasonFor(join(root, 'generated/users.ts'))!, /folder generated is ignored by \.gitignore/);
    assert.match(rules.reasonFor(join(root, 'src/nested/secret.ts'))!, /^it is ignored by \.gitignore/);
    assert.match(rules.reasonFor(join(root, 'packages/api/dist/server.js'))!, /inside "dist"/);
    assert.match(rules.reasonFor(join(root, 'public/app.min.js'))!, /minified/);
    assert.equal(rules.reasonFor(join(root, 'src/keep.local.ts')), undefined);
  });

  it('applies only the name checks to a file outside every folder', () => {
    const rules = new FolderExclusions(undefined, ['**']);
    assert.equal(rules.reasonFor('/elsewhere/node_modules/x/users.ts'), undefined);
    assert.match(rules.reasonFor('/elsewhere/vendor.min.js')!, /minified/);
  });
});

describe('settings per folder in the engine', () => {
  const strict = Config.parse({
    rules: { 'n-plus-one': { severity: 'error' } },
    thresholds: { exampleCollectionSize: 50 },
  });
  const off = Config.parse({ rules: { 'n-plus-one': { enabled: false } } });

  it('picks the deepest folder containing a path, and the fallback outside every folder', () => {
    const fallback = Config.parse({});
    const configs = new FolderConfigs(fallback, [
      { root: '/ws', config: strict },
      { root: '/ws/packages/legacy/', config: off },
    ]);
    assert.equal(configs.configFor('/ws/src/a.ts'), strict);
    assert.equal(configs.configFor('/ws/packages/legacy/a.ts'), off);
    assert.equal(
      configs.configFor('/ws/packages/legacy-two/a.ts'),
      strict,
      'a sibling with a common prefix is not inside',
    );
    assert.equal(configs.configFor('/other/a.ts'), fallback);
    assert.equal(configs.folderOf('/ws/packages/legacy'), '/ws/packages/legacy');
  });

  it("analyses one session's files with their own folder's rule settings and thresholds", () => {
    const session = new AnalysisSession();
    session.setConfig(Config.parse({}), [
      { root: '/a', config: strict },
      { root: '/b', config: off },
    ]);
    for (const path of ['/a/users.ts', '/b/users.ts', '/c/users.ts']) session.upsertFile(path, N_PLUS_ONE);
    const n1 = (path: string) => session.analyzeFile(path).findings.filter((f) => f.ruleId === 'n-plus-one');
    assert.equal(n1('/a/users.ts')[0]?.severity, 'error');
    assert.match(n1('/a/users.ts')[0]!.message, /51 for 50 elements/);
    assert.deepEqual(n1('/b/users.ts'), []);
    assert.equal(n1('/c/users.ts')[0]?.severity, 'warning', 'outside every folder: the fallback settings');
  });
});

describe('WorkspaceFolderSet', () => {
  it('serves the deepest folder, takes folder URIs with a trailing slash, and explains an exclusion once', () => {
    const outer = makeWorkspace({ 'src/a.ts': N_PLUS_ONE, 'packages/api/gen/b.ts': N_PLUS_ONE });
    const inner = join(outer, 'packages/api');
    const notes: string[] = [];
    const folders = new WorkspaceFolderSet((message) => notes.push(message));
    assert.equal(
      folders.add([
        { uri: `${pathToFileURL(outer).href}/`, name: 'outer' },
        { uri: pathToFileURL(inner).href, name: 'api' },
        { uri: 'vscode-vfs://github/x', name: 'remote' },
      ]).length,
      2,
    );
    assert.deepEqual(folders.roots, [outer, inner]);
    assert.equal(folders.folderOf(join(inner, 'gen/b.ts'))?.name, 'api');
    assert.equal(folders.folderOf(join(outer, 'src/a.ts'))?.name, 'outer');
    folders.setSettings({
      config: Config.parse({}),
      folders: [
        { root: outer, config: Config.parse({}) },
        { root: inner, config: Config.parse({ exclude: ['gen/**'] }) },
      ],
    });
    const generated = join(inner, 'gen/b.ts');
    assert.equal(folders.isExcluded(generated), true);
    assert.equal(folders.isExcluded(generated), true);
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /gen is ignored|matches perfAdvisor\.exclude/);
    assert.equal(folders.isExcluded(join(outer, 'src/a.ts')), false);
    assert.equal(folders.remove([{ uri: pathToFileURL(inner).href, name: 'api' }]).length, 1);
    assert.equal(folders.folderOf(generated)?.name, 'outer');
    assert.equal(folders.isExcluded(generated), false, 'the outer folder does not exclude gen/');
  });
});
