// UI e2e in code-server: the Redis panel renders live figures (screenshot kept) and "Find in code" on a SLOWLOG entry opens the line.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const TIMEOUT = 60_000;
const XSS_KEY = '<img src=x onerror=alert(1)>';

function redisCli(port, ...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).trim();
}

/**
 * The file and 1-based line in the workspace that issue HGETALL on `session:` keys (the expected "Find in code"
 * target).
 */
function findExpectedSite(workspaceDir) {
  const stack = [workspaceDir];
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (/\.[cm]?[jt]s$/.test(entry.name)) {
        const lines = readFileSync(full, 'utf8').split('\n');
        const index = lines.findIndex((line) => line.includes('hgetall(`session:'));
        if (index >= 0) return { file: relative(workspaceDir, full), name: entry.name, line: index + 1 };
      }
    }
  }
  throw new Error(`no HGETALL session:* site in ${workspaceDir}`);
}

export async function check({ page, baseUrl, workspaceDir, artifactsDir, redisPort }) {
  const t0 = Date.now();
  const phase = (name) => console.log(`  [redisPanel] ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const expected = findExpectedSite(workspaceDir);
  // An HGETALL in SLOWLOG: log every command for a moment (the panel hides its own entries).
  redisCli(redisPort, 'HSET', 'session:ui-token', 'user', '7');
  redisCli(redisPort, 'SET', XSS_KEY, 'x'.repeat(4096));
  redisCli(redisPort, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  redisCli(redisPort, 'HGETALL', 'session:ui-token');
  redisCli(redisPort, 'CONFIG', 'SET', 'slowlog-log-slower-than', '10000');

  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });
  phase('workbench');

  // Open the Perf Advisor container in the activity bar; the Redis view is its webview.
  const container = page.locator('.activitybar .action-label[aria-label^="Perf Advisor"]').first();
  await container.waitFor({ timeout: TIMEOUT });
  phase('container in the activity bar');
  await container.click();
  const panel = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');

  const status = panel.locator('[data-testid="status"]');
  await status.waitFor({ timeout: TIMEOUT });
  phase(`panel rendered (${await status.textContent()})`);
  await status.getByText('live', { exact: true }).waitFor({ timeout: TIMEOUT });
  phase('panel live');
  // a hit and a miss, then a poll now (the view's Refresh action) so that the screenshot shows an interval hit ratio
  redisCli(redisPort, 'HGETALL', 'session:ui-token');
  redisCli(redisPort, 'GET', 'session:missing');
  await page.locator('.action-label[aria-label^="Refresh Redis Panel"]').first().click();
  await panel.locator('[data-testid="hit-ratio"] .metric-value', { hasText: '%' }).waitFor({ timeout: TIMEOUT });
  const row = panel.locator('tr.slowlog-row[data-command="HGETALL"]').first();
  await row.waitFor({ timeout: TIMEOUT });
  const rowText = await row.textContent();
  if (!rowText.includes('session:ui-token')) throw new Error(`SLOWLOG row does not show the key: ${rowText}`);
  await page.mouse.move(700, 450); // no tooltip over the panel in the screenshot
  await page.screenshot({ path: join(artifactsDir, 'redis-panel.png') });
  phase('screenshot with an interval hit ratio');

  // Key-space analysis in the real webview, with a key whose name is markup: it must show as text.
  const alerts = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
  await panel.getByRole('button', { name: 'Analyze key space' }).click();
  const xssCell = panel.locator('[data-testid="biggest"] code.key-name', { hasText: XSS_KEY });
  await xssCell.waitFor({ timeout: TIMEOUT });
  if ((await xssCell.textContent()) !== XSS_KEY) throw new Error('the key name is not rendered verbatim');
  if ((await panel.locator('img').count()) > 0 || alerts.length > 0)
    throw new Error(`markup from a key name was interpreted: ${alerts.join(', ')}`);
  await panel.locator('[data-testid="ttl-buckets"]').waitFor({ timeout: TIMEOUT });
  // the panel re-renders on every poll, so an element can be replaced between finding and scrolling: retry
  for (let attempt = 0; ; attempt++) {
    try {
      await panel.locator('[data-testid="prefixes-count"]').scrollIntoViewIfNeeded({ timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
  await page.screenshot({ path: join(artifactsDir, 'redis-panel-keyspace.png') });
  phase('key-space analysis');

  await row.getByRole('button', { name: 'Find in code' }).click();
  // One site opens directly; several show a quick pick, where the expected file is chosen.
  const tab = page.locator(`.tabs-container .tab.active[aria-label*="${expected.name}"]`);
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: expected.name }).first();
  await Promise.race([tab.waitFor({ timeout: TIMEOUT }), pick.waitFor({ timeout: TIMEOUT }).then(() => pick.click())]);
  await tab.waitFor({ timeout: TIMEOUT });
  const selection = page.locator('[id="status.editor.selection"]').first();
  await selection
    .getByText(new RegExp(`^Ln ${expected.line},`))
    .waitFor({ timeout: TIMEOUT })
    .catch(async () => {
      throw new Error(
        `expected ${expected.file} line ${expected.line}, status bar says "${await selection.textContent()}"`,
      );
    });
  await page.screenshot({ path: join(artifactsDir, 'redis-panel-find-in-code.png') });
  phase('find in code');
}
