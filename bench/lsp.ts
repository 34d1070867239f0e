// LSP latency bench: edit-to-diagnostics on the corpus's largest file (p50/p95/p99; whitespace and token-changing edits) against re-parsing it alone, server CPU per edit, first diagnostics after open, workspace scan time and server peak RSS.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ts } from 'ts-morph';
import { LspTestClient } from '../test/lsp/harness';
import { ARTIFACTS, collectCorpusFiles, ensureCorpusInstalled, sample } from './corpus';

const log = (line: string) => process.stderr.write(`${line}\n`);

function options(argv: string[]): { edits: number; limit?: number } {
  const out: { edits: number; limit?: number } = { edits: 250 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=');
    const value = Number(inline ?? argv[++i]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
    if (flag === '--edits') out.edits = Math.max(200, value);
    else if (flag === '--limit') out.limit = value;
    else throw new Error(`unknown option ${flag} (options: --edits N (>= 200), --limit N files for the scan)`);
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

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/** Line numbers with code to type into: the edit inserts one space at the start of the line, the next removes it. */
function editLines(text: string, count: number): number[] {
  const lines = text.split('\n');
  const usable = lines.map((_, i) => i).filter((i) => lines[i]!.trim().length > 0);
  return Array.from({ length: count }, (_, k) => usable[Math.floor((k * 7919) % usable.length)]!);
}

/** One edit of a series, as an offset in the text before it, the removed length and the inserted text. */
interface Edit {
  offset: number;
  remove: number;
  insert: string;
}

/**
 * Two series of one-character edits, each an insert followed by the matching removal (so the text returns to the
 * original):
 * `whitespace` types a space at the start of a line (no token changes); `token` types `x` after the first character of
 * an
 * identifier (the identifier changes: a new name, an unresolved reference), as typing in code does.
 */
function editSeries(text: string, count: number): Record<'whitespace' | 'token', Edit[]> {
  const pairs = Math.ceil(count / 2);
  const whitespace: Edit[] = [];
  for (const line of editLines(text, pairs)) {
    const offset = offsetOfLine(text, line);
    whitespace.push({ offset, remove: 0, insert: ' ' }, { offset, remove: 1, insert: '' });
  }
  const identifiers: number[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier && scanner.getTokenText().length > 1)
      identifiers.push(scanner.getTokenStart());
  }
  const token: Edit[] = [];
  for (let k = 0; k < pairs; k++) {
    const offset = identifiers[Math.floor((k * 7919) % identifiers.length)]! + 1;
    token.push({ offset, remove: 0, insert: 'x' }, { offset, remove: 1, insert: '' });
  }
  return { whitespace: whitespace.slice(0, count), token: token.slice(0, count) };
}

function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Full and incremental re-parse of the file alone, edit by edit: the floor the server's latency is compared with. */
function reparseBaseline(path: string, text: string, edits: Edit[]): { full: number[]; incremental: number[] } {
  const full: number[] = [];
  const incremental: number[] = [];
  let source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let current = text;
  for (const edit of edits) {
    const next = applyEdit(current, edit);
    let t0 = performance.now();
    ts.createSourceFile(path, next, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    full.push(performance.now() - t0);
    t0 = performance.now();
    source = ts.updateSourceFile(source, next, {
      span: { start: edit.offset, length: edit.remove },
      newLength: edit.insert.length,
    });
    incremental.push(performance.now() - t0);
    current = next;
  }
  return { full, incremental };
}

/** CPU time (user + system, all threads) a process has used so far, in ms, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * Plays a series of edits on an open document, pulling diagnostics after each; returns per-edit latency and the
 * server's CPU per edit.
 */
async function playEdits(
  client: LspTestClient,
  uri: string,
  text: string,
  edits: Edit[],
): Promise<{ latency: number[]; cpuPerEditMs: number; findings: number }> {
  const latency: number[] = [];
  let current = text;
  let findings = 0;
  const cpuBefore = cpuMs(client.child.pid!);
  for (const edit of edits) {
    const start = positionOf(current, edit.offset);
    const end = positionOf(current, edit.offset + edit.remove);
    const t0 = performance.now();
    client.edit(uri, [{ range: { start, end }, text: edit.insert }]);
    findings = (await client.pull(uri)).length;
    latency.push(performance.now() - t0);
    current = applyEdit(current, edit);
  }
  return { latency, cpuPerEditMs: (cpuMs(client.child.pid!) - cpuBefore) / edits.length, findings };
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
  const text = readFileSync(largestPath, 'utf8');
  log(
    `largest file: ${relative(corpusModules, largest)} (${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines); scan: ${scanFiles.length} files`,
  );

  // Re-parsing the file alone in this process: the floor the server's edit latency is compared with.
  const series = editSeries(text, edits);
  const reparse = {
    whitespace: reparseBaseline(largestPath, text, series.whitespace),
    token: reparseBaseline(largestPath, text, series.token),
  };

  // 1. A fresh server: start-up (until initialize is answered), then the largest file opened at once: the worker loads
  // meanwhile.
  let t0 = performance.now();
  const client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
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

  // 2. Workspace scan through the server.
  t0 = performance.now();
  const scan = await client.analyzeWorkspace();
  const scanMs = performance.now() - t0;
  const scanPeakRssMb = peakRssMb(client.child.pid!);

  // 3. Edit → refreshed diagnostics on the largest file, one character at a time: whitespace, then token-changing
  // edits.
  const whitespace = await playEdits(client, uri, text, series.whitespace);
  const token = await playEdits(client, uri, text, series.token);
  const finalPeakRssMb = peakRssMb(client.child.pid!);
  await client.stop();

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
    scan: {
      files: scan.files,
      skipped: scan.skipped,
      findings: scan.findings,
      ms: scanMs,
      serverPeakRssMb: scanPeakRssMb,
    },
    serverPeakRssMbAfterEdits: finalPeakRssMb,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'lsp.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, s: ReturnType<typeof stats>, cpu?: number) =>
    `${name.padEnd(46)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}${cpu === undefined ? '' : ms(cpu).padStart(10)}`;
  console.log(
    `LSP bench: ${result.file.path} (${result.file.kib} KiB, ${result.file.lines} lines), ${edits} one-character edits per series`,
  );
  console.log(
    `${''.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU ms'.padStart(9)}`,
  );
  console.log(
    row('edit → diagnostics, whitespace (server)', result.editToDiagnosticsMs.whitespace, whitespace.cpuPerEditMs),
  );
  console.log(row('edit → diagnostics, token-changing (server)', result.editToDiagnosticsMs.token, token.cpuPerEditMs));
  console.log(row('ts.createSourceFile (full re-parse), token', result.fullReparseMs.token));
  console.log(row('ts.updateSourceFile (incremental), token', result.incrementalReparseMs.token));
  console.log(row('ts.createSourceFile (full re-parse), whitespace', result.fullReparseMs.whitespace));
  console.log(row('ts.updateSourceFile (incremental), whitespace', result.incrementalReparseMs.whitespace));
  console.log('(CPU ms: the server process, both threads, per edit)');
  console.log(`start-up: initialize answered after ${ms(initializeMs)} ms`);
  console.log(
    `first diagnostics after open: ${ms(firstDiagnosticsMs)} ms (fresh server, largest file, worker still loading), ${ms(startedServerLargestMs)} ms (started server, largest file), ${ms(warmFirstDiagnosticsMs)} ms (warm server, ${relative(corpusModules, second)})`,
  );
  console.log(
    `workspace scan: ${scan.files} files (${scan.skipped} skipped) in ${(scanMs / 1000).toFixed(1)} s, ${scan.findings} findings; server peak RSS ${scanPeakRssMb.toFixed(0)} MB (${finalPeakRssMb.toFixed(0)} MB after the edits)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
