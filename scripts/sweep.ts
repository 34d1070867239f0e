// Runs the built CLI over the HEAD of every mirrored repository and tabulates files, skips, findings and file errors.
// Exits 1 when any file error is internal (an exception inside the analysis), so a sweep with 0 errors is the bar.
// Usage: npm run build && node --import tsx scripts/sweep.ts [--mirror-dir /work/.mirror] [--work
// /tmp/perf-advisor-sweep]
//          [--repo owner/name ...] [--split dev] [--json FILE] [--timeout-s 900] [--declarations DIR] [-- extra CLI flags]
// --declarations DIR links DIR as each repository's node_modules for the run (installed type declarations, for
// --types).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JsonReport } from '../server/cli/report';
import { extractBlobs, mirroredRepos, mirrorGitDir, resolveCommit, type TreeBlob } from './mirror';

const projectRoot = resolve(__dirname, '..');
const cli = join(projectRoot, 'dist', 'cli.js');
const labelsPath = join(projectRoot, 'test', 'accuracy', 'labels.json');
const sourceFile = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Besides sources: what the CLI reads to decide what to analyse (.gitignore) and what a type checker needs. */
const projectFile = /(^|\/)(\.gitignore|package\.json|[tj]sconfig(\.[\w.-]+)?\.json)$/;

/** Per-file error messages the engine gives for input it cannot read (not a fault of the analysis). */
const INPUT_ERROR = /^could not parse: /;

interface RepoRow {
  repo: string;
  split: string;
  commit: string;
  status: 'ok' | 'missing-commit' | 'extract-failed' | 'cli-failed' | 'timeout';
  detail?: string;
  filesExtracted: number;
  missingBlobs: number;
  filesAnalysed: number;
  skipped: Record<string, number>;
  findings: number;
  findingsByRule: Record<string, number>;
  /** `file:line rule message` per finding, for comparing runs (counts only for the held-back split). */
  findingList?: string[];
  inputErrors: { file: string; message: string }[];
  internalErrors: { file: string; message: string }[];
  seconds: number;
  /** What the report says about the TypeScript checker (with or without types). */
  types?: unknown;
}

/** Splits of the labelled repositories (`dev`, `held-back`); mirrors without labels are `unlabelled`. */
function splits(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(labelsPath)) return out;
  const parsed = JSON.parse(readFileSync(labelsPath, 'utf8')) as { repos: { repo: string; split?: string }[] };
  for (const repo of parsed.repos) out.set(repo.repo, repo.split ?? 'dev');
  return out;
}

/** The leading words of a skip reason (`too large (1.2 MB > 1024 KB limit)` → `too large`). */
function skipKind(reason: string): string {
  return reason.replace(/\s*\(.*$/, '');
}

function increment(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

function runRepo(
  repo: string,
  split: string,
  options: {
    cli: string;
    mirrorRoot: string;
    workRoot: string;
    timeoutS: number;
    cliFlags: string[];
    declarations?: string;
  },
): RepoRow {
  const row: RepoRow = {
    repo,
    split,
    commit: '',
    status: 'ok',
    filesExtracted: 0,
    missingBlobs: 0,
    filesAnalysed: 0,
    skipped: {},
    findings: 0,
    findingsByRule: {},
    inputErrors: [],
    internalErrors: [],
    seconds: 0,
  };
  const gitDir = mirrorGitDir(options.mirrorRoot, repo);
  const commit = resolveCommit(gitDir, 'HEAD');
  if (!commit) return { ...row, status: 'missing-commit', detail: 'HEAD does not name a commit' };
  row.commit = commit;
  const root = join(options.workRoot, repo.replace('/', '+'));
  try {
    const select = (blob: TreeBlob) => sourceFile.test(blob.path) || projectFile.test(blob.path);
    const extracted = extractBlobs(gitDir, commit, root, select);
    row.filesExtracted = extracted.files.length;
    row.missingBlobs = extracted.missing.length;
  } catch (error) {
    return { ...row, status: 'extract-failed', detail: (error as Error).message };
  }
  const modules = join(root, 'node_modules');
  if (options.declarations) symlinkSync(resolve(options.declarations), modules, 'dir');
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [options.cli, 'check', '.', '--format', 'json', '--fail-on', 'none', '--quiet', ...options.cliFlags],
    { cwd: root, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, timeout: options.timeoutS * 1000 },
  );
  row.seconds = (performance.now() - started) / 1000;
  if (options.declarations) rmSync(modules, { force: true });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return { ...row, status: 'timeout', detail: `no result within ${options.timeoutS} s` };
  if (run.status !== 0) {
    const stderr = (run.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return { ...row, status: 'cli-failed', detail: `exit ${run.status ?? run.signal}: ${stderr}` };
  }
  const report = JSON.parse(run.stdout) as JsonReport;
  row.filesAnalysed = report.summary.filesAnalyzed;
  for (const skip of report.skipped) increment(row.skipped, skipKind(skip.reason));
  row.findings = report.summary.findings.total;
  for (const finding of report.findings) increment(row.findingsByRule, finding.ruleId);
  if (split !== 'held-back')
    row.findingList = report.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId} ${f.message}`);
  for (const error of report.errors)
    (INPUT_ERROR.test(error.message) ? row.inputErrors : row.internalErrors).push(error);
  const types = (report.summary as { types?: unknown }).types;
  if (types !== undefined) row.types = types;
  return row;
}

function markdownTable(rows: readonly RepoRow[]): string {
  const header = [
    'repository',
    'split',
    'commit',
    'files',
    'skipped',
    'findings',
    'input errors',
    'internal errors',
    's',
  ];
  const body = rows.map((r) => [
    r.repo,
    r.split,
    r.commit.slice(0, 10),
    r.status === 'ok' ? String(r.filesAnalysed) : r.status,
    Object.entries(r.skipped)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ') || '0',
    String(r.findings),
    String(r.inputErrors.length),
    String(r.internalErrors.length + (r.status === 'ok' ? 0 : 1)),
    r.seconds.toFixed(1),
  ]);
  const total = (pick: (r: RepoRow) => number) => String(rows.reduce((sum, r) => sum + pick(r), 0));
  body.push([
    `**${rows.length} repositories**`,
    '',
    '',
    total((r) => r.filesAnalysed),
    total((r) => Object.values(r.skipped).reduce((a, b) => a + b, 0)),
    total((r) => r.findings),
    total((r) => r.inputErrors.length),
    total((r) => r.internalErrors.length + (r.status === 'ok' ? 0 : 1)),
    total((r) => r.seconds).replace(/(\.\d).*$/, '$1'),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 3 ? '---' : '---:'))), ...body.map(line)].join('\n');
}

function main(): void {
  const separator = process.argv.indexOf('--');
  const ownArgs = separator < 0 ? process.argv.slice(2) : process.argv.slice(2, separator);
  const cliFlags = separator < 0 ? [] : process.argv.slice(separator + 1);
  const { values } = parseArgs({
    args: ownArgs,
    options: {
      'mirror-dir': { type: 'string', default: '/work/.mirror' },
      work: { type: 'string', default: '/tmp/perf-advisor-sweep' },
      repo: { type: 'string', multiple: true },
      split: { type: 'string', multiple: true },
      json: { type: 'string' },
      'timeout-s': { type: 'string', default: '900' },
      declarations: { type: 'string' },
    },
  });
  if (!existsSync(cli)) {
    console.error(`${cli} is missing: run "npm run build" first`);
    process.exit(1);
  }
  const mirrorRoot = values['mirror-dir'];
  const workRoot = values.work;
  mkdirSync(workRoot, { recursive: true });
  const splitOf = splits();
  const wantedRepos = values.repo ? new Set(values.repo) : undefined;
  const wantedSplits = values.split ? new Set(values.split) : undefined;
  const repos = mirroredRepos(mirrorRoot).filter(
    (repo) =>
      (!wantedRepos || wantedRepos.has(repo)) && (!wantedSplits || wantedSplits.has(splitOf.get(repo) ?? 'unlabelled')),
  );
  // A snapshot of the bundle: a rebuild during a long sweep must not change the CLI halfway through.
  const snapshot = join(workRoot, `cli-snapshot-${process.pid}.js`);
  copyFileSync(cli, snapshot);
  process.on('exit', () => rmSync(snapshot, { force: true }));
  const rows: RepoRow[] = [];
  for (const repo of repos) {
    const split = splitOf.get(repo) ?? 'unlabelled';
    const timeoutS = Number(values['timeout-s']);
    const declarations = values.declarations;
    const row = runRepo(repo, split, { cli: snapshot, mirrorRoot, workRoot, timeoutS, cliFlags, declarations });
    rows.push(row);
    const errors = row.internalErrors.length ? `, ${row.internalErrors.length} INTERNAL ERRORS` : '';
    console.error(
      `${repo}: ${row.status}${row.detail ? ` (${row.detail})` : ''}, ${row.filesAnalysed} files, ${row.findings} findings, ${row.inputErrors.length} input errors${errors}, ${row.seconds.toFixed(1)} s`,
    );
    for (const error of [...row.inputErrors, ...row.internalErrors]) console.error(`  ${error.file}: ${error.message}`);
  }
  console.log(markdownTable(rows));
  const jsonPath = values.json ?? join(workRoot, 'sweep-report.json');
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), cliFlags, repos: rows }, null, 2)}\n`,
  );
  console.log(`\nreport: ${jsonPath} (${basename(cli)} ${cliFlags.join(' ')})`);
  const failed = rows.filter((r) => r.internalErrors.length > 0 || r.status !== 'ok');
  if (failed.length > 0) {
    console.error(`internal errors in ${failed.length} repositories: ${failed.map((r) => r.repo).join(', ')}`);
    process.exit(1);
  }
}

main();
