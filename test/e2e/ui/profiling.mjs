// UI e2e in code-server: Load Test Endpoint and Profile Script from the command palette; the result webview (screenshots kept).
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { answerInput, frameWith, runCommand } from '../uiSteps.mjs';

const TIMEOUT = 60_000;

/** Short runs for the UI check: merged into the workspace settings the in-host suite may have written. */
function shortRuns(workspaceDir) {
  const file = join(workspaceDir, '.vscode', 'settings.json');
  mkdirSync(join(workspaceDir, '.vscode'), { recursive: true });
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  settings['perfAdvisor.profiling.loadTest.durationSeconds'] = 3;
  settings['perfAdvisor.profiling.profile.durationSeconds'] = 10;
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

export async function check({ page, baseUrl, workspaceDir, artifactsDir }) {
  const t0 = Date.now();
  const phase = (name) => console.log(`  [profiling] ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  shortRuns(workspaceDir);
  let n = 0;
  const server = createServer((_req, res) => {
    n++;
    setTimeout(() => res.end('ok'), n % 10 === 0 ? 200 : 10);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/orders/summary`;
  try {
    if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });

    await runCommand(page, 'Perf Advisor: Load Test Endpoint');
    await answerInput(page, url, 'The URL to load-test');
    await answerInput(page, '', 'Constant rate'); // as fast as possible
    phase('load test started');
    const frame = await frameWith(page, '[data-testid="verdict"]');
    const verdict = await frame.locator('[data-testid="verdict"]').textContent();
    if (!/over target|Within/.test(verdict)) throw new Error(`unexpected verdict: ${verdict}`);
    const rows = await frame.locator('[data-testid="percentiles"] tr[data-percentile]').count();
    if (rows !== 4) throw new Error(`${rows} percentile rows`);
    await frame.locator('[data-testid="latency-chart"] polyline').first().waitFor({ timeout: TIMEOUT });
    await page.mouse.move(5, 400);
    await page.screenshot({ path: join(artifactsDir, 'profiling-load-test.png') });
    await frame.locator('[data-testid="latency-chart"]').scrollIntoViewIfNeeded({ timeout: TIMEOUT });
    await page.screenshot({ path: join(artifactsDir, 'profiling-load-test-chart.png') });
    phase(`load test result shown (${verdict})`);

    // Profile Script on the active editor's file (written by the in-host suite), opened from the explorer
    const explorerRow = (name) =>
      page.locator('.explorer-folders-view .monaco-list-row', { has: page.getByText(name, { exact: true }) }).first();
    if ((await explorerRow('hot.js').count()) === 0) await explorerRow('scripts').click();
    await explorerRow('hot.js').click();
    await page.locator('.tabs-container .tab.active[aria-label*="hot.js"]').waitFor({ timeout: TIMEOUT });
    await runCommand(page, 'Perf Advisor: Profile Script');
    await answerInput(page, '', 'while profiling'); // no load test
    const profileFrame = await frameWith(page, '[data-testid="hot-functions"] tr[data-function="crunchNumbers"]');
    const first = await profileFrame
      .locator('[data-testid="hot-functions"] tbody tr')
      .first()
      .getAttribute('data-function');
    if (first !== 'crunchNumbers') throw new Error(`hottest function shown: ${first}`);
    await page.locator('.codelens-decoration', { hasText: '% self' }).first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: join(artifactsDir, 'profiling-profile.png') });
    phase('profile result and CodeLens shown');
  } finally {
    server.close();
    // a failure here must not leave a modal dialog over the next check
    const ok = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'OK' });
    if (await ok.count()) await ok.first().click();
    await page.keyboard.press('Escape');
    // the Redis panel check finds its webview as the only one: close the result panel (and hot.js)
    await runCommand(page, 'View: Close All Editors').catch(() => undefined);
  }
}
