// In-process edit loop on one large file (no LSP, no worker): first analysis, then edit → findings per edit, CPU and wall, for profiling with `node --cpu-prof`.
// Run: node --import tsx bench/editLoop.ts [file] [--edits N] [--context FILES]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AnalysisSession } from '../server/engine';
import { warmUpSession } from '../server/worker/warmUp';
import { applyEdit, editSeries, type Edit } from './lspEdits';
import { APPENDED_N_PLUS_ONE } from './appendedNPlusOne';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { edits: { type: 'string' }, warm: { type: 'boolean' } },
});
const FILE = positionals[0] ?? require.resolve('moment/min/moment-with-locales.js');
const EDITS = Number(values.edits ?? 40);

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const summary = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)}  p95 ${percentile(values, 95).toFixed(1)}  p99 ${percentile(values, 99).toFixed(1)}`;

function play(session: AnalysisSession, path: string, original: string, edits: Edit[]): void {
  let text = original;
  const wall: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (const edit of edits) {
    const t0 = performance.now();
    const c0 = cpuMs();
    text = applyEdit(text, edit);
    session.upsertFile(path, text, { start: edit.offset, length: edit.remove, newLength: edit.insert.length });
    findings = session.analyzeFile(path).findings.length;
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - t0);
  }
  console.log(`  wall ms: ${summary(wall)}`);
  console.log(`  CPU ms:  ${summary(cpu)}  (${findings} findings)`);
}

const text = `${readFileSync(FILE, 'utf8')}${APPENDED_N_PLUS_ONE}`;
const path = '/bench/workspace/moment-with-locales.js';
const session = new AnalysisSession();
if (values.warm) warmUpSession(session);
let c0 = cpuMs();
let t0 = performance.now();
session.upsertFile(path, text);
const parseCpu = cpuMs() - c0;
const first = session.analyzeFile(path);
console.log(
  `first analysis: ${(performance.now() - t0).toFixed(0)} ms wall, ${(cpuMs() - c0).toFixed(0)} ms CPU (parse ${parseCpu.toFixed(0)} ms), ${first.findings.length} findings`,
);
const series = editSeries(text, EDITS);
for (const kind of ['whitespace', 'token'] as const) {
  console.log(`${EDITS} ${kind} edits:`);
  c0 = cpuMs();
  t0 = performance.now();
  play(session, path, text, series[kind]);
}
