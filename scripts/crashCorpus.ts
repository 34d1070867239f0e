// Dev script: runs the engine (one file at a time, in a watched child process) and the CLI's discovery over edge-case syntax corpora; reports crashes and hangs.
// Corpora are not committed: extract them first, e.g.
//   git --git-dir=<mirror of tc39/test262-parser-tests> archive HEAD | tar -x -C /tmp/pa-crash/test262
// Usage: node --import tsx scripts/crashCorpus.ts [dir…] [--timeout-ms 10000] [--json FILE]
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const DEFAULT_DIRS = ['/tmp/pa-crash/test262', '/tmp/pa-crash/babel', '/tmp/pa-crash/tseslint'];

type FromWorker =
  | { type: 'ready' }
  | { type: 'start'; index: number }
  | {
      type: 'done';
      index: number;
      ms: number;
      findings: number;
      fileErrors: string[];
      skipped: number;
      crash?: string;
    };

/** Every TS/JS file under `dir`, with no filtering beyond the extension (the engine must cope with all of them). */
function collect(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...collect(full));
    else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Worker side: analyse each file alone and report; an exception escaping the engine is a crash. */
async function worker(): Promise<void> {
  const { analyzeFiles, defaultConfig } = await import('../server/engine');
  analyzeFiles(
    [{ path: '/warm-up.ts', text: 'export async function f(xs: string[]) { for (const x of xs) await g(x); }' }],
    defaultConfig,
  );
  process.on('message', (message: { files: string[]; offset: number }) => {
    message.files.forEach((path, i) => {
      const index = message.offset + i;
      process.send!({ type: 'start', index } satisfies FromWorker);
      const started = performance.now();
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        /* an unreadable file is analysed as empty */
      }
      try {
        const result = analyzeFiles([{ path, text }], defaultConfig);
        process.send!({
          type: 'done',
          index,
          ms: performance.now() - started,
          findings: result.findings.length,
          fileErrors: result.errors.map((e) => e.message),
          skipped: result.skipped.length,
        } satisfies FromWorker);
      } catch (error) {
        const crash = `${(error as Error).name}: ${(error as Error).message}\n${((error as Error).stack ?? '').split('\n').slice(1, 4).join('\n')}`;
        process.send!({
          type: 'done',
          index,
          ms: performance.now() - started,
          findings: 0,
          fileErrors: [],
          skipped: 0,
          crash,
        } satisfies FromWorker);
      }
    });
    process.send!({ type: 'ready' } satisfies FromWorker);
  });
  process.send!({ type: 'ready' } satisfies FromWorker);
}

interface CorpusReport {
  dir: string;
  files: number;
  analysed: number;
  findings: number;
  skippedByEngine: number;
  crashes: { path: string; message: string }[];
  hangs: { path: string; limitMs: number }[];
  /** Files whose analysis threw inside the engine and was caught there (reported as per-file errors; not crashes). */
  fileErrors: { path: string; message: string }[];
  slowest: { path: string; ms: number }[];
  seconds: number;
  discovery: { files: number; skipped: number; pathErrors: number; threw?: string };
}

/** Drives workers over `files`, restarting one after a crash or a hang. */
function runEngine(files: string[], timeoutMs: number, report: CorpusReport): Promise<void> {
  return new Promise((resolveRun) => {
    let next = 0;
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const times: { path: string; ms: number }[] = [];

    const finish = () => {
      report.slowest = times
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((t) => ({ path: t.path, ms: Math.round(t.ms) }));
      resolveRun();
    };
    const start = () => {
      if (next >= files.length) return finish();
      const spawned = fork(__filename, ['--worker'], {
        execArgv: ['--import', 'tsx', '--stack-size=984'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      spawned.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      let sentAll = false;
      spawned.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          if (sentAll) {
            spawned.kill();
            return;
          }
          sentAll = true;
          spawned.send({ files: files.slice(next), offset: next });
        } else if (message.type === 'start') {
          current = message.index;
          clearTimeout(timer);
          timer = setTimeout(() => {
            report.hangs.push({ path: files[current]!, limitMs: timeoutMs });
            next = current + 1;
            current = -1;
            spawned.removeAllListeners('exit');
            spawned.kill('SIGKILL');
            start();
          }, timeoutMs);
        } else {
          clearTimeout(timer);
          const path = files[message.index]!;
          report.analysed++;
          report.findings += message.findings;
          report.skippedByEngine += message.skipped;
          times.push({ path, ms: message.ms });
          if (message.crash) report.crashes.push({ path, message: message.crash });
          for (const fileError of message.fileErrors) report.fileErrors.push({ path, message: fileError });
          next = message.index + 1;
          current = -1;
          if ((report.analysed + report.hangs.length) % 1000 === 0)
            process.stderr.write(`  ${report.analysed}/${files.length}\n`);
        }
      });
      spawned.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current >= 0) {
          report.crashes.push({
            path: files[current]!,
            message: `worker died (exit ${code}, signal ${signal}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          });
          next = current + 1;
          current = -1;
          start();
        } else if (next < files.length) {
          start();
        } else {
          finish();
        }
      });
    };
    start();
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--worker') return worker();
  let timeoutMs = 10_000;
  let jsonOut = resolve('.artifacts/crash-corpus/report.json');
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--timeout-ms') timeoutMs = Number(args[++i]);
    else if (args[i] === '--json') jsonOut = resolve(args[++i]!);
    else dirs.push(resolve(args[i]!));
  }
  const { discoverFiles } = await import('../server/workspace');
  const reports: CorpusReport[] = [];
  for (const dir of dirs.length > 0 ? dirs : DEFAULT_DIRS) {
    const files = collect(dir);
    process.stderr.write(`${basename(dir)}: ${files.length} files\n`);
    const report: CorpusReport = {
      dir,
      files: files.length,
      analysed: 0,
      findings: 0,
      skippedByEngine: 0,
      crashes: [],
      hangs: [],
      fileErrors: [],
      slowest: [],
      seconds: 0,
      discovery: { files: 0, skipped: 0, pathErrors: 0 },
    };
    try {
      const found = discoverFiles([dir], { root: dir });
      report.discovery = {
        files: found.files.length,
        skipped: found.skipped.length,
        pathErrors: found.pathErrors.length,
      };
    } catch (error) {
      report.discovery.threw = (error as Error).message;
    }
    const started = performance.now();
    await runEngine(files, timeoutMs, report);
    report.seconds = Math.round((performance.now() - started) / 100) / 10;
    reports.push(report);
  }
  mkdirSync(dirname(jsonOut), { recursive: true });
  writeFileSync(jsonOut, `${JSON.stringify({ date: new Date().toISOString(), timeoutMs, reports }, null, 2)}\n`);
  let total = 0;
  let bad = 0;
  for (const r of reports) {
    total += r.files;
    bad += r.crashes.length + r.hangs.length + (r.discovery.threw ? 1 : 0);
    process.stdout.write(
      `${basename(r.dir)}: ${r.analysed}/${r.files} files analysed in ${r.seconds} s, ${r.crashes.length} crashes, ${r.hangs.length} hangs (> ${timeoutMs} ms), ${r.fileErrors.length} per-file engine errors, ${r.findings} findings; discovery: ${r.discovery.files} files, ${r.discovery.skipped} skipped${r.discovery.threw ? `, THREW: ${r.discovery.threw}` : ''}\n`,
    );
    for (const c of r.crashes.slice(0, 10)) process.stdout.write(`  crash ${c.path}: ${c.message.split('\n')[0]}\n`);
    for (const h of r.hangs.slice(0, 10)) process.stdout.write(`  hang  ${h.path}\n`);
    const errorKinds = new Map<string, number>();
    for (const e of r.fileErrors)
      errorKinds.set(e.message.slice(0, 100), (errorKinds.get(e.message.slice(0, 100)) ?? 0) + 1);
    for (const [message, count] of [...errorKinds].sort((a, b) => b[1] - a[1]).slice(0, 5))
      process.stdout.write(`  engine error ×${count}: ${message}\n`);
    process.stdout.write(`  slowest: ${r.slowest.map((s) => `${basename(s.path)} ${s.ms} ms`).join(', ')}\n`);
  }
  process.stdout.write(`total: ${total} files, ${bad} crashes/hangs — report in ${jsonOut}\n`);
  process.exitCode = bad > 0 ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`crashCorpus: ${(error as Error).stack}\n`);
  process.exit(1);
});
