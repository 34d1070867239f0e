// Workspace discovery over real temp directories: extensions, .gitignore, excludes, built-in skips, content checks, symlinks.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { execFileSync } from 'node:child_process';
import { discoverFiles, type DiscoveryResult } from '../../server/workspace';

/** Writes a tree of files (posix relative path → content) under a fresh temp dir and returns its real path. */
function makeTree(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pa-discover-')));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, ...rel.split('/'));
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

const created: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const root = makeTree(files);
  created.push(root);
  return root;
}
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

const rel = (root: string, result: DiscoveryResult) =>
  result.files.map((f) => relative(root, f.path).split(sep).join('/'));
const skippedRel = (root: string, result: DiscoveryResult) =>
  result.skipped.map((s) => `${relative(root, s.path).split(sep).join('/')}:${s.kind}`).sort();

describe('discoverFiles: which files count as source', () => {
  test('takes every TS/JS extension and leaves out declarations and other files', () => {
    const root = tree({
      'a.ts': 'export {}',
      'b.tsx': 'export {}',
      'c.mts': 'export {}',
      'd.cts': 'export {}',
      'e.js': '1',
      'f.jsx': '1',
      'g.mjs': '1',
      'h.cjs': '1',
      'types.d.ts': 'export {}',
      'types.d.mts': 'export {}',
      'README.md': '#',
      'data.json': '{}',
    });
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['a.ts', 'b.tsx', 'c.mts', 'd.cts', 'e.js', 'f.jsx', 'g.mjs', 'h.cjs']);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.pathErrors, []);
  });

  test('returns the text of each file, without a byte order mark', () => {
    const root = tree({ 'bom.ts': '\uFEFFconst a = 1;\n', 'empty.ts': '' });
    const result = discoverFiles([], { root });
    assert.deepEqual(
      result.files.map((f) => f.text),
      ['const a = 1;\n', ''],
    );
  });

  test('skips dependency, build-output and vendored directories', () => {
    const root = tree({
      'src/app.ts': '1',
      'node_modules/pkg/index.js': '1',
      'dist/app.js': '1',
      'build/app.js': '1',
      'out/app.js': '1',
      'coverage/lcov.js': '1',
      '.next/server.js': '1',
      'vendor/jquery.js': '1',
      'src/nested/node_modules/x.js': '1',
    });
    assert.deepEqual(rel(root, discoverFiles(['.'], { root })), ['src/app.ts']);
  });

  test('a directory named explicitly is scanned even if its name is a built-in skip', () => {
    const root = tree({ 'dist/app.js': '1', 'dist/node_modules/x.js': '1' });
    assert.deepEqual(rel(root, discoverFiles(['dist'], { root })), ['dist/app.js']);
  });
});

describe('discoverFiles: .gitignore and excludes', () => {
  test('respects the root .gitignore, nested .gitignore files and negations', () => {
    const root = tree({
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/a.ts': '1',
      'src/a.gen.ts': '1',
      'generated/x.ts': '1',
      'src/legacy/.gitignore': '*.js\n!keep.js\n',
      'src/legacy/old.js': '1',
      'src/legacy/keep.js': '1',
      'src/legacy/new.ts': '1',
    });
    assert.deepEqual(rel(root, discoverFiles(['.'], { root })), [
      'src/a.ts',
      'src/legacy/keep.js',
      'src/legacy/new.ts',
    ]);
  });

  test('a deeper .gitignore can re-include what a shallower one ignores', () => {
    const root = tree({ '.gitignore': '*.js\n', 'lib/.gitignore': '!*.js\n', 'a.js': '1', 'lib/b.js': '1' });
    assert.deepEqual(rel(root, discoverFiles(['.'], { root })), ['lib/b.js']);
  });

  test('applies .gitignore files between the git root and a scanned subdirectory', () => {
    const root = tree({ '.gitignore': 'secret.ts\n', 'pkg/src/secret.ts': '1', 'pkg/src/ok.ts': '1' });
    mkdirSync(join(root, '.git'));
    const result = discoverFiles(['.'], { root: join(root, 'pkg') });
    assert.deepEqual(rel(root, result), ['pkg/src/ok.ts']);
  });

  test('applies the config exclude globs relative to the root', () => {
    const root = tree({ 'src/a.ts': '1', 'src/a.test.ts': '1', 'scripts/x.ts': '1', 'src/scripts/y.ts': '1' });
    const result = discoverFiles(['.'], { root, exclude: ['**/*.test.ts', '/scripts/'] });
    assert.deepEqual(rel(root, result), ['src/a.ts', 'src/scripts/y.ts']);
  });

  test('a file named explicitly is analysed even if ignored; one of another kind is reported', () => {
    const root = tree({ '.gitignore': 'gen.ts\n', 'gen.ts': '1', 'notes.txt': 'x', 'types.d.ts': 'export {}' });
    const result = discoverFiles(['gen.ts', 'notes.txt', 'types.d.ts'], { root, exclude: ['gen.ts'] });
    assert.deepEqual(rel(root, result), ['gen.ts']);
    assert.deepEqual(skippedRel(root, result), ['notes.txt:not-source', 'types.d.ts:not-source']);
  });

  test('a directory named explicitly is walked even if ignored, with only its own .gitignore files', () => {
    const root = tree({
      '.gitignore': '.artifacts/\n*.js\n',
      '.artifacts/corpus/a.js': '1',
      '.artifacts/corpus/b.ts': '1',
      '.artifacts/corpus/.gitignore': 'b.ts\n',
      '.artifacts/corpus/node_modules/c.js': '1',
    });
    assert.deepEqual(rel(root, discoverFiles(['.'], { root })), []);
    assert.deepEqual(rel(root, discoverFiles(['.artifacts/corpus'], { root, exclude: ['**/a.js'] })), [
      '.artifacts/corpus/a.js',
    ]);
  });
});

describe('discoverFiles: content checks', () => {
  test('skips and explains files over the size limit', () => {
    const root = tree({ 'big.js': 'x = 1;\n'.repeat(3000), 'small.js': 'x = 1;\n' });
    const result = discoverFiles(['.'], { root, maxFileSizeKb: 16 });
    assert.deepEqual(rel(root, result), ['small.js']);
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]!.kind, 'too-large');
    assert.match(result.skipped[0]!.reason, /too large \(21 KB > 16 KB limit\)/);
  });

  test('skips minified files by name and by average line length', () => {
    const longLine = 'var a=1;'.repeat(400);
    const root = tree({
      'lib.min.js': '1',
      'app.bundle.js': '1',
      'packed.js': `${longLine}\n${longLine}\n`,
      'ok.js': `${'const a = 1;\n'.repeat(300)}`,
    });
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['ok.js']);
    assert.deepEqual(skippedRel(root, result), ['app.bundle.js:bundle', 'lib.min.js:minified', 'packed.js:minified']);
    assert.match(
      result.skipped.find((s) => s.kind === 'minified' && s.path.endsWith('packed.js'))!.reason,
      /average line length 3201 > 500/,
    );
  });

  test('a short one-line module is not called minified', () => {
    const root = tree({ 'one.js': `module.exports = ${JSON.stringify('x'.repeat(900))};` });
    assert.deepEqual(rel(root, discoverFiles(['.'], { root })), ['one.js']);
  });

  test('skips binary files: NUL bytes or mostly invalid UTF-8', () => {
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = 0x80 + (i % 64);
    const root = tree({
      'nul.js': Buffer.from([0x63, 0x6f, 0x00, 0x01, 0x02]),
      'latin.js': garbage,
      'accent.ts': Buffer.from('// caf\xe9\nconst a = 1;\n'.repeat(10), 'latin1'),
      'typo.js': Buffer.from('"\xff"', 'latin1'),
    });
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['accent.ts', 'typo.js']);
    assert.deepEqual(skippedRel(root, result), ['latin.js:binary', 'nul.js:binary']);
  });

  test('skips a FIFO with a source name instead of blocking on it', () => {
    const root = tree({ 'a.ts': '1' });
    execFileSync('mkfifo', [join(root, 'pipe.ts')]);
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['a.ts']);
    assert.deepEqual(skippedRel(root, result), ['pipe.ts:not-a-file']);
  });
});

describe('discoverFiles: symlinks and bad paths', () => {
  test('survives a symlink loop and reports it', () => {
    const root = tree({ 'src/a.ts': '1' });
    symlinkSync(root, join(root, 'src', 'back'));
    symlinkSync('self', join(root, 'self'));
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['src/a.ts']);
    assert.deepEqual(skippedRel(root, result), ['self:symlink-loop', 'src/back:symlink-loop']);
  });

  test('survives mutually linked directories', () => {
    const root = tree({ 'one/a.ts': '1', 'two/b.ts': '1' });
    symlinkSync(join(root, 'two'), join(root, 'one', 'to-two'));
    symlinkSync(join(root, 'one'), join(root, 'two', 'to-one'));
    const result = discoverFiles(['one'], { root });
    assert.deepEqual(rel(root, result), ['one/a.ts', 'one/to-two/b.ts']);
    assert.deepEqual(skippedRel(root, result), ['one/to-two/to-one:symlink-loop']);
  });

  test('analyses a file reached through two links only once and reports broken links', () => {
    const root = tree({ 'src/a.ts': '1' });
    symlinkSync(join(root, 'src', 'a.ts'), join(root, 'alias.ts'));
    symlinkSync(join(root, 'missing.ts'), join(root, 'dangling.ts'));
    const result = discoverFiles(['.'], { root });
    assert.deepEqual(rel(root, result), ['alias.ts']);
    assert.deepEqual(skippedRel(root, result), ['dangling.ts:broken-symlink']);
  });

  test('returns path errors for missing paths and broken links instead of throwing', () => {
    const root = tree({ 'a.ts': '1' });
    symlinkSync(join(root, 'nowhere'), join(root, 'broken'));
    const result = discoverFiles(['does-not-exist', 'broken', 'a.ts', '\0bad'], { root });
    assert.deepEqual(rel(root, result), ['a.ts']);
    assert.deepEqual(
      result.pathErrors.map((e) => e.path),
      ['does-not-exist', 'broken', '\0bad'],
    );
    assert.equal(result.pathErrors[0]!.message, 'no such file or directory');
    assert.equal(result.pathErrors[1]!.message, 'broken symbolic link');
  });
});
