// Runs the unit, rule, LSP and Redis tests with node:test (TypeScript through tsx), then the real-host e2e suite; `--unit` stops after the node:test suites.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

// The Redis tests start a real redis-server; on a fresh machine install it (and what the e2e suite needs) first.
if (!process.argv.includes('--unit')) {
  const { ensureAptPackages } = await import('../test/e2e/tools.mjs');
  ensureAptPackages((line) => console.log(`[test] ${line}`));
}

const files = collect('test');
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
// The real-host suite (code-server + chromium, see test/e2e/run.mjs) runs after the unit tests, whatever their outcome.
const e2e = process.argv.includes('--unit')
  ? { status: 0 }
  : spawnSync(process.execPath, ['test/e2e/run.mjs'], { stdio: 'inherit' });
process.exit(result.status !== 0 ? (result.status ?? 1) : (e2e.status ?? 1));
