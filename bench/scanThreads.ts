// In-process scan of a folder on 1 and N threads (the CLI's analyzeProject): wall time, CPU time of all threads, findings equal across thread counts.
// Run: node --import tsx bench/scanThreads.ts <folder> [threads…]   (default threads: 1 2)
import { analyzeProject } from '../server/cli/analyze';
import { defaultConfig } from '../server/engine';
import { discoverFiles } from '../server/workspace';

async function main(): Promise<void> {
  const [dir, ...counts] = process.argv.slice(2);
  if (!dir) throw new Error('usage: bench/scanThreads.ts <folder> [threads…]');
  const found = discoverFiles([dir], {
    root: dir,
    exclude: defaultConfig.exclude,
    maxFileSizeKb: defaultConfig.thresholds.maxFileSizeKb,
    minifiedLineLength: defaultConfig.thresholds.minifiedLineLength,
  });
  const files = found.files.map((f) => ({ path: f.path, text: f.text }));
  let first: string | undefined;
  for (const threads of (counts.length ? counts : ['1', '2']).map(Number)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await analyzeProject(files, defaultConfig, { jobs: threads });
    const cpu = process.cpuUsage(c0);
    const findings = JSON.stringify(result.findings.map((f) => [f.span.file, f.span.start, f.ruleId, f.message]));
    first ??= findings;
    console.log(
      `${files.length} files, ${result.threads} thread(s): ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${result.findings.length} findings${findings === first ? '' : ' (DIFFERENT from the first run)'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
