// LSP latency bench: edit-to-diagnostics on the corpus's largest file (p50/p95/p99) against re-parsing it alone, first diagnostics after open, workspace scan time and server peak RSS.
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

const stats = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), n: values.length });
const ms = (n: number) => n.toFixed(1);

/** Peak resident set of a process (the server with its worker thread), from /proc. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Copies corpus files into a temp workspace; `node_modules` path segments are renamed, since the scan skips those folders. */
function makeWorkspace(files: string[], corpusRoot: string): { root: string; map: Map<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'pa-bench-lsp-'));
  const map = new Map<string, string>();
  for (const file of files) {
    const target = join(root, relative(corpusRoot, file).split('/').map((part) => (part === 'node_modules' ? 'nm' : part)).join('/'));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    map.set(file, target);
  }
  return { root, map };
}

/** Largest corpus .js file of hand-written-looking code (average line ≤ 120 characters: no minified bundles or data blobs). */
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
  log(`largest file: ${relative(corpusModules, largest)} (${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines); scan: ${scanFiles.length} files`);

  // Re-parsing the file alone in this process: the floor the server's edit latency is compared with.
  const lines = editLines(text, edits);
  const fullParse: number[] = [];
  const incrementalParse: number[] = [];
  let source = ts.createSourceFile(largestPath, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  let current = text;
  for (let k = 0; k < edits; k++) {
    const offset = offsetOfLine(current, lines[Math.floor(k / 2)]!);
    const insert = k % 2 === 0;
    const next = insert ? `${current.slice(0, offset)} ${current.slice(offset)}` : `${current.slice(0, offset)}${current.slice(offset + 1)}`;
    let t0 = performance.now();
    ts.createSourceFile(largestPath, next, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    fullParse.push(performance.now() - t0);
    t0 = performance.now();
    source = ts.updateSourceFile(source, next, { span: { start: offset, length: insert ? 0 : 1 }, newLength: insert ? 1 : 0 });
    incrementalParse.push(performance.now() - t0);
    current = next;
  }

  // 1. First diagnostics after opening the largest file on a fresh server, before any scan.
  const client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
  const uri = client.open(largestPath, text, 'javascript');
  let t0 = performance.now();
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

  // 3. Edit → refreshed diagnostics on the largest file, one character at a time.
  const editToDiagnostics: number[] = [];
  let findings = 0;
  for (let k = 0; k < edits; k++) {
    const line = lines[Math.floor(k / 2)]!;
    const insert = k % 2 === 0;
    t0 = performance.now();
    client.edit(uri, [{ range: { start: { line, character: 0 }, end: { line, character: insert ? 0 : 1 } }, text: insert ? ' ' : '' }]);
    findings = (await client.pull(uri)).length;
    editToDiagnostics.push(performance.now() - t0);
  }
  const finalPeakRssMb = peakRssMb(client.child.pid!);
  await client.stop();
  rmSync(root, { recursive: true, force: true });

  const result = {
    date: new Date().toISOString(),
    file: { path: relative(corpusModules, largest), kib: Math.round(text.length / 1024), lines: text.split('\n').length, findings },
    editToDiagnosticsMs: stats(editToDiagnostics),
    fullReparseMs: stats(fullParse),
    incrementalReparseMs: stats(incrementalParse),
    firstDiagnosticsMs: { coldServer: firstDiagnosticsMs, warmServer: warmFirstDiagnosticsMs },
    scan: { files: scan.files, skipped: scan.skipped, findings: scan.findings, ms: scanMs, serverPeakRssMb: scanPeakRssMb },
    serverPeakRssMbAfterEdits: finalPeakRssMb,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'lsp.json'), `${JSON.stringify(result, null, 2)}\n`);
  const row = (name: string, s: ReturnType<typeof stats>) => `${name.padEnd(40)} ${ms(s.p50).padStart(8)} ${ms(s.p95).padStart(8)} ${ms(s.p99).padStart(8)}`;
  console.log(`LSP bench: ${result.file.path} (${result.file.kib} KiB, ${result.file.lines} lines), ${edits} one-character edits`);
  console.log(`${''.padEnd(40)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  console.log(row('edit → refreshed diagnostics (server)', result.editToDiagnosticsMs));
  console.log(row('ts.createSourceFile (full re-parse)', result.fullReparseMs));
  console.log(row('ts.updateSourceFile (incremental)', result.incrementalReparseMs));
  console.log(`first diagnostics after open: ${ms(firstDiagnosticsMs)} ms (fresh server, largest file), ${ms(warmFirstDiagnosticsMs)} ms (warm server)`);
  console.log(`workspace scan: ${scan.files} files (${scan.skipped} skipped) in ${(scanMs / 1000).toFixed(1)} s, ${scan.findings} findings; server peak RSS ${scanPeakRssMb.toFixed(0)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
