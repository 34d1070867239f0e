// LSP latency bench: edit-to-diagnostics on the corpus's largest file (p50/p95/p99; whitespace and token-changing edits) against re-parsing it alone, server CPU per edit, first diagnostics after open, workspace scan time and server peak RSS.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { LspTestClient } from '../test/lsp/harness';
import { editSeries, playEdits, playEditsPushed, reparseBaseline } from './lspEdits';
import type { Measurement } from './measure';
import { ARTIFACTS, PROJECT_ROOT, collectCorpusFiles, ensureCorpusInstalled, sample } from './corpus';
import { APPENDED_N_PLUS_ONE } from './appendedNPlusOne';

const log = (line: string) => process.stderr.write(`${line}\n`);

const USAGE = `usage: node --import tsx bench/lsp.ts [--edits N] [--limit N]
  --edits N   one-character edits per series (at least 200; default 250)
  --limit N   files of the corpus in the workspace scan (default: all)
In-process drivers (no server): bench/editLoop.ts (edit loop on one file), bench/openDuringScan.ts (a file opened
mid-scan), bench/scanThreads.ts (a scan on 1 and N threads).`;

function options(argv: string[]): { edits: number; limit?: number } {
  const out: { edits: number; limit?: number } = { edits: 250 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=');
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--edits') out.edits = Math.max(200, value);
    else if (flag === '--limit') out.limit = value;
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const stats = (values: number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  n: values.length,
});
const ms = (n: number) => n.toFixed(1);

/** Peak resident set of a process (the server with its worker thread), from /proc. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Copies corpus files into a temp workspace; `node_modules` path segments are renamed, since the scan skips those
 * folders.
 */
function makeWorkspace(files: string[], corpusRoot: string): { root: string; map: Map<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'pa-bench-lsp-'));
  const map = new Map<string, string>();
  for (const file of files) {
    const target = join(
      root,
      relative(corpusRoot, file)
        .split('/')
        .map((part) => (part === 'node_modules' ? 'nm' : part))
        .join('/'),
    );
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    map.set(file, target);
  }
  return { root, map };
}

/**
 * Largest corpus .js file of hand-written-looking code (average line ≤ 120 characters: no minified bundles or data
 * blobs).
 */
function largestAnalysedFile(files: string[]): string {
  const candidates = files.filter((f) => /\.[cm]?js$/.test(f)).sort((a, b) => statSync(b).size - statSync(a).size);
  for (const file of candidates) {
    const text = readFileSync(file, 'utf8');
    if (text.length / Math.max(1, text.split('\n').length) <= 120) return file;
  }
  throw new Error('no analysable .js file in the corpus');
}

/** The parse floor over the scan's files in a fresh process (bench/measure.ts): wall time, CPU time, peak RSS. */
function parseFloor(files: string[]): Measurement {
  const listFile = join(ARTIFACTS, 'lsp-scan-files.json');
  writeFileSync(listFile, JSON.stringify(files));
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'bench', 'measure.ts'), 'parse', listFile],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`parse floor failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Measurement;
}

/** A workspace scan on a fresh server with `threads` scan threads: wall time, findings, the server's peak RSS. */
async function scanWith(
  client: LspTestClient,
): Promise<{ ms: number; files: number; skipped: number; findings: number; peakRssMb: number }> {
  const t0 = performance.now();
  const scan = await client.analyzeWorkspace();
  const ms = performance.now() - t0;
  return {
    ms,
    files: scan.files,
    skipped: scan.skipped,
    findings: scan.findings,
    peakRssMb: peakRssMb(client.child.pid!),
  };
}

async function main(): Promise<void> {
  const { edits, limit } = options(process.argv.slice(2));
  const corpusModules = ensureCorpusInstalled(log);
  const all = collectCorpusFiles(corpusModules);
  const largest = largestAnalysedFile(all);
  const scanFiles = sample(all, limit);
  if (!scanFiles.includes(largest)) scanFiles.push(largest);
  const { root, map } = makeWorkspace(scanFiles, corpusModules);
  const largestPath = map.get(largest)!;
  // One N+1 function appended, so the file has a finding to refresh (a push-mode client gets nothing for a clean file).
  const text = `${readFileSync(largestPath, 'utf8')}${APPENDED_N_PLUS_ONE}`;
  writeFileSync(largestPath, text);
  const allThreads = availableParallelism();
  log(
    `largest file: ${relative(corpusModules, largest)} (${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines); scan: ${scanFiles.length} files, 1 and ${allThreads} threads`,
  );

  // Re-parsing the file alone in this process: the floor the server's edit latency is compared with.
  const series = editSeries(text, edits);
  const reparse = {
    whitespace: reparseBaseline(largestPath, text, series.whitespace),
    token: reparseBaseline(largestPath, text, series.token),
  };
  const floor = parseFloor(scanFiles);

  // 1. A fresh server (one scan thread): start-up (until initialize is answered), then the largest file opened at
  // once: the worker loads meanwhile.
  let t0 = performance.now();
  const client = await LspTestClient.start({
    workspace: root,
    initializationOptions: { scanOnStartup: false },
    settings: { scan: { threads: 1 } },
  });
  const initializeMs = performance.now() - t0;
  const uri = client.open(largestPath, text, 'javascript');
  t0 = performance.now();
  await client.pull(uri);
  const firstDiagnosticsMs = performance.now() - t0;
  // A second file opened once the server is warm.
  const second = scanFiles.find((f) => f !== largest && /\.js$/.test(f))!;
  const secondUri = client.open(map.get(second)!, readFileSync(map.get(second)!, 'utf8'), 'javascript');
  t0 = performance.now();
  await client.pull(secondUri);
  const warmFirstDiagnosticsMs = performance.now() - t0;

  // 2. Workspace scan through the server on one thread, then edit → refreshed diagnostics on the largest file, one
  // character at a time: whitespace, then token-changing edits (pulled, as VS Code does).
  const scanOne = await scanWith(client);
  const whitespace = await playEdits(client, uri, text, series.whitespace);
  const token = await playEdits(client, uri, text, series.token);
  const finalPeakRssMb = peakRssMb(client.child.pid!);
  await client.stop();

  // 3. A push-mode client (no pull diagnostics, as Neovim < 0.10, Helix, Emacs): the scan on all threads, then the same
  // edits, each timed until the file's diagnostics are pushed.
  const pusher = await LspTestClient.start({
    workspace: root,
    initializationOptions: { scanOnStartup: false },
    settings: { scan: { threads: allThreads } },
    pullDiagnostics: false,
  });
  const pushedUri = pusher.open(largestPath, text, 'javascript');
  await pusher.waitFor('publish', (p) => ((p as { uri: string } | undefined)?.uri === pushedUri ? true : undefined));
  const scanAll = await scanWith(pusher);
  const pushedWhitespace = await playEditsPushed(pusher, pushedUri, text, series.whitespace);
  const pushedToken = await playEditsPushed(pusher, pushedUri, text, series.token);
  await pusher.stop();

  // 4. The largest file opened on a started server (its worker has loaded the engine: a small file was analysed first).
  const started = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
  await started.pull(started.open(join(root, 'warm-up.js'), 'module.exports = 1;\n', 'javascript'));
  t0 = performance.now();
  await started.pull(started.open(largestPath, text, 'javascript'));
  const startedServerLargestMs = performance.now() - t0;
  await started.stop();
  rmSync(root, { recursive: true, force: true });

  const result = {
    date: new Date().toISOString(),
    file: {
      path: relative(corpusModules, largest),
      kib: Math.round(text.length / 1024),
      lines: text.split('\n').length,
      findings: token.findings,
    },
    editToDiagnosticsMs: { whitespace: stats(whitespace.latency), token: stats(token.latency) },
    serverCpuPerEditMs: { whitespace: whitespace.cpuPerEditMs, token: token.cpuPerEditMs },
    pushedEditToDiagnosticsMs: { whitespace: stats(pushedWhitespace.latency), token: stats(pushedToken.latency) },
    pushedServerCpuPerEditMs: { whitespace: pushedWhitespace.cpuPerEditMs, token: pushedToken.cpuPerEditMs },
    fullReparseMs: { whitespace: stats(reparse.whitespace.full), token: stats(reparse.token.full) },
    incrementalReparseMs: {
      whitespace: stats(reparse.whitespace.incremental),
      token: stats(reparse.token.incremental),
    },
    firstDiagnosticsMs: {
      initialize: initializeMs,
      coldServer: firstDiagnosticsMs,
      startedServerLargestFile: startedServerLargestMs,
      warmServer: warmFirstDiagnosticsMs,
    },
    scan: { oneThread: scanOne, allThreads: { threads: allThreads, ...scanAll } },
    parseFloor: { files: floor.files, ms: floor.ms, cpuMs: floor.cpuMs, peakRssMb: floor.peakRssMb },
    serverPeakRssMbAfterEdits: finalPeakRssMb,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'lsp.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, s: ReturnType<typeof stats>, cpu?: number) =>
    `${name.padEnd(50)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}${cpu === undefined ? '' : ms(cpu).padStart(10)}`;
  console.log(
    `LSP bench: ${result.file.path} (${result.file.kib} KiB, ${result.file.lines} lines, ${result.file.findings} findings), ${edits} one-character edits per series`,
  );
  console.log(
    `${''.padEnd(50)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms'.padStart(9)}`,
  );
  console.log(
    row('edit → diagnostics, whitespace (pull)', result.editToDiagnosticsMs.whitespace, whitespace.cpuPerEditMs),
  );
  console.log(row('edit → diagnostics, token-changing (pull)', result.editToDiagnosticsMs.token, token.cpuPerEditMs));
  console.log(
    row(
      'edit → diagnostics, whitespace (push client)',
      result.pushedEditToDiagnosticsMs.whitespace,
      pushedWhitespace.cpuPerEditMs,
    ),
  );
  console.log(
    row(
      'edit → diagnostics, token-changing (push client)',
      result.pushedEditToDiagnosticsMs.token,
      pushedToken.cpuPerEditMs,
    ),
  );
  console.log(row('ts.createSourceFile (full re-parse), token', result.fullReparseMs.token));
  console.log(row('ts.updateSourceFile (incremental), token', result.incrementalReparseMs.token));
  console.log(row('ts.createSourceFile (full re-parse), whitespace', result.fullReparseMs.whitespace));
  console.log(row('ts.updateSourceFile (incremental), whitespace', result.incrementalReparseMs.whitespace));
  console.log('(CPU ms: the server process, all threads, per edit)');
  console.log(`start-up: initialize answered after ${ms(initializeMs)} ms`);
  console.log(
    `first diagnostics after open: ${ms(firstDiagnosticsMs)} ms (fresh server, largest file, worker still loading), ${ms(startedServerLargestMs)} ms (started server, largest file), ${ms(warmFirstDiagnosticsMs)} ms (warm server, ${relative(corpusModules, second)})`,
  );
  const scanLine = (name: string, s: typeof scanOne) =>
    `${name.padEnd(34)} ${(s.ms / 1000).toFixed(1).padStart(6)} s wall  ${s.peakRssMb.toFixed(0).padStart(5)} MB peak RSS (${(s.peakRssMb / floor.peakRssMb).toFixed(2)}× floor)  ${s.findings} findings`;
  console.log(`workspace scan: ${scanOne.files} files (${scanOne.skipped} skipped)`);
  console.log(
    `${'parse floor (ts.createSourceFile)'.padEnd(34)} ${(floor.ms / 1000).toFixed(1).padStart(6)} s wall  ${floor.peakRssMb.toFixed(0).padStart(5)} MB peak RSS (${(floor.cpuMs / 1000).toFixed(1)} s CPU, one thread)`,
  );
  console.log(scanLine('server scan, 1 thread', scanOne));
  console.log(scanLine(`server scan, ${allThreads} threads`, scanAll));
  console.log(
    `server peak RSS after the edits: ${finalPeakRssMb.toFixed(0)} MB (${(finalPeakRssMb / floor.peakRssMb).toFixed(2)}× the parse floor; aim ≤ 1.5×)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
