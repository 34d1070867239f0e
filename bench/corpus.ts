// The benchmark corpus: real ORM/driver packages installed from npm into .artifacts/bench/corpus (pinned by bench/corpus/package-lock.json).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultConfig } from '../rules/analysis/config';
import { readSource, skipByName } from '../server/workspace/fileChecks';

export const PROJECT_ROOT = resolve(__dirname, '..');
export const ARTIFACTS = join(PROJECT_ROOT, '.artifacts', 'bench');
const MANIFEST_DIR = join(PROJECT_ROOT, 'bench', 'corpus');
const INSTALL_DIR = join(ARTIFACTS, 'corpus');

const EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const EXCLUDED = /(\.d\.[cm]?ts|[.-]min\.[cm]?js)$/;
/** The engine's default size limit (1 MiB): larger files are not counted at all. */
const MAX_BYTES = defaultConfig.thresholds.maxFileSizeKb * 1024;

/** Installs the pinned corpus packages unless the installed copy already matches the manifest and lock. */
export function ensureCorpusInstalled(log: (line: string) => void): string {
  const modules = join(INSTALL_DIR, 'node_modules');
  const same = (name: string) =>
    existsSync(join(INSTALL_DIR, name)) &&
    readFileSync(join(INSTALL_DIR, name), 'utf8') === readFileSync(join(MANIFEST_DIR, name), 'utf8');
  if (existsSync(modules) && same('package.json') && same('package-lock.json')) return modules;
  mkdirSync(INSTALL_DIR, { recursive: true });
  copyFileSync(join(MANIFEST_DIR, 'package.json'), join(INSTALL_DIR, 'package.json'));
  copyFileSync(join(MANIFEST_DIR, 'package-lock.json'), join(INSTALL_DIR, 'package-lock.json'));
  log(`installing the benchmark corpus into ${INSTALL_DIR} (npm ci)…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps'], {
    cwd: INSTALL_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`npm ci failed in ${INSTALL_DIR} (exit ${result.status})`);
  return modules;
}

/**
 * Every .js/.ts source under `dir` (not .d.ts, not .min.js, not over 1 MB), minus the files the CLI would skip as
 * minified, bundled or binary, so the parse floor and the tools all do the same work. Sorted for a stable order.
 */
export function collectCorpusFiles(dir: string): string[] {
  return collectCorpus(dir).files;
}

/** collectCorpusFiles, also counting the files left out as minified, bundled or binary. */
export function collectCorpus(dir: string): { files: string[]; leftOut: number } {
  const out: string[] = [];
  let leftOut = 0;
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        entry.isFile() &&
        EXTENSIONS.test(entry.name) &&
        !EXCLUDED.test(entry.name) &&
        statSync(full).size <= MAX_BYTES
      ) {
        if (skipByName(full) || 'kind' in readSource(full, defaultConfig.thresholds)) leftOut++;
        else out.push(full);
      }
    }
  };
  walk(dir);
  return { files: out.sort(), leftOut };
}

/** `limit` files spread evenly over the sorted list, so every package stays represented. */
export function sample(files: readonly string[], limit: number | undefined): string[] {
  if (limit === undefined || limit >= files.length) return [...files];
  return Array.from({ length: limit }, (_, i) => files[Math.floor((i * files.length) / limit)]!);
}
