// Runs the built CLI with its load-generator worker (a snapshot of dist/cli.js and dist/loadtestWorker.js) as an async child process.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const BUNDLES = ['cli.js', 'loadtestWorker.js'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

let snapshotDir: string | undefined;

/** Builds when a bundle is missing or older than server/, rules/ or measure/, then snapshots the bundles. */
export function ensureBuiltCli(): void {
  const builtAt = Math.min(
    ...BUNDLES.map((b) => (existsSync(join(ROOT, 'dist', b)) ? statSync(join(ROOT, 'dist', b)).mtimeMs : 0)),
  );
  const sourcesAt = Math.max(...['server', 'rules', 'measure'].map((d) => newestSource(join(ROOT, d))));
  if (builtAt < sourcesAt) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  }
  snapshotDir = mkdtempSync(join(tmpdir(), 'pa-measure-cli-'));
  for (const bundle of BUNDLES) copyFileSync(join(ROOT, 'dist', bundle), join(snapshotDir, bundle));
}

export function disposeBuiltCli(): void {
  if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
  snapshotDir = undefined;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `perf-advisor ...args` without blocking this process's event loop (the services under test live here).
 * `onStderr` sees stderr as it arrives and may interrupt the run (one SIGINT, like Ctrl+C).
 */
export function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; onStderr?: (text: string, send: () => void) => void } = {},
): Promise<CliResult> {
  if (!snapshotDir) throw new Error('call ensureBuiltCli() first');
  const child = spawn(process.execPath, [join(snapshotDir, 'cli.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return; // a second Ctrl+C kills, as in a terminal
    interrupted = true;
    child.kill('SIGINT');
  };
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    options.onStderr?.(stderr, interrupt);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ status, stdout, stderr });
    });
  });
}
