// Runs the built CLI (a snapshot of dist/cli.js) as a child process, rebuilding it first when any source is newer than the bundle.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  rmSync,
  existsSync,
  readdirSync,
  statSync,
  mkdtempSync,
  mkdirSync,
  writeFileSync,
  realpathSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const CLI_PATH = join(PROJECT_ROOT, 'dist', 'cli.js');

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The copy of dist/cli.js the tests run: one snapshot per test process, so a rebuild by someone else mid-suite cannot
 * tear it.
 */
let snapshot: string | undefined;

/**
 * Builds dist/cli.js when missing or older than server/ and rules/ sources (so running one test file alone is honest),
 * then snapshots it and checks that the snapshot starts.
 */
export function ensureBuiltCli(): void {
  const builtAt = existsSync(CLI_PATH) ? statSync(CLI_PATH).mtimeMs : 0;
  const sourcesAt = Math.max(newestSource(join(PROJECT_ROOT, 'server')), newestSource(join(PROJECT_ROOT, 'rules')));
  if (builtAt < sourcesAt) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'pa-cli-bundle-'));
  snapshot = join(dir, 'cli.js');
  copyFileSync(CLI_PATH, snapshot);
  const probe = spawnSync(process.execPath, [snapshot, '--version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`the built CLI does not start: ${probe.stderr}`);
}

/** Removes the snapshot made by ensureBuiltCli(). */
export function disposeBuiltCli(): void {
  if (snapshot) rmSync(join(snapshot, '..'), { recursive: true, force: true });
  snapshot = undefined;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd` with a plain environment (no colours unless asked). */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliRun {
  const baseEnv: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    ...env,
  };
  if (!snapshot) throw new Error('call ensureBuiltCli() first');
  const result = spawnSync(process.execPath, [snapshot, ...args], {
    cwd,
    env: baseEnv as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temp directory (real path) holding the given files (posix relative path → content). */
export function tempProject(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pa-cli-')));
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, ...rel.split('/'));
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/**
 * Source certain to give an `n-plus-one` finding (line 7): a Prisma query awaited per row of an unbounded read of
 * `users`. Nothing reaches `postsOf`, so the read itself is no `unbounded-read` finding.
 */
export const N_PLUS_ONE_SOURCE = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function postsOf() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const all = [];
  for (const u of users) {
    all.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  }
  return all;
}
`;

/** Source certain to give an \`unbounded-read\` finding: KEYS * on an ioredis client. */
export const UNBOUNDED_READ_SOURCE = `import Redis from 'ioredis';
const redis = new Redis();
export async function allKeys() {
  return redis.keys('*');
}
`;
