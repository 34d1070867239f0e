// In-process first diagnostics of a file opened while a scan has read the workspace (every result invalidated, as each new file does): CPU and wall of the opened file's analysis.
// Run: node --import tsx bench/openDuringScan.ts <folder> [opened file]   (default opened file: moment-with-locales.js with an N+1 appended)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisSession, defaultConfig } from '../server/engine';
import { discoverFiles } from '../server/workspace';
import { APPENDED_N_PLUS_ONE } from './appendedNPlusOne';

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const [dir, openedPath] = process.argv.slice(2);
if (!dir) throw new Error('usage: bench/openDuringScan.ts <folder> [opened file]');
const found = discoverFiles([dir], {
  root: dir,
  exclude: defaultConfig.exclude,
  maxFileSizeKb: defaultConfig.thresholds.maxFileSizeKb,
  minifiedLineLength: defaultConfig.thresholds.minifiedLineLength,
});
const session = new AnalysisSession();
for (const file of found.files) session.upsertFile(file.path, file.text);
const opened = openedPath ?? require.resolve('moment/min/moment-with-locales.js');
const text = `${readFileSync(opened, 'utf8')}${openedPath ? '' : APPENDED_N_PLUS_ONE}`;
const path = join(dir, 'opened', 'opened.js');
for (const round of [1, 2]) {
  // A new file invalidates every result, as each file a scan reads does.
  session.upsertFile(path, `${text}\n// round ${round}\n`);
  const c0 = cpuMs();
  const t0 = performance.now();
  const result = session.analyzeFile(path);
  console.log(
    `${found.files.length} workspace files; opened file analysed in ${(performance.now() - t0).toFixed(0)} ms wall, ${(cpuMs() - c0).toFixed(0)} ms CPU, ${result.findings.length} findings`,
  );
}
