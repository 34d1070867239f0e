// UI e2e in code-server: Select Connection, Set Password and Clear Password through the commands against a password-protected redis-server;
// the password ends up in no settings file, log line or webview.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { answerInput, frameWith, pick, runCommand } from '../uiSteps.mjs';

const TIMEOUT = 60_000;

/** Every file under `dir` whose text contains `needle` (logs, settings, state). */
function filesContaining(dir, needle) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesContaining(full, needle));
    else if (statSync(full).size < 50 * 1024 * 1024 && readFileSync(full).includes(needle)) out.push(full);
  }
  return out;
}

export async function check({ page, baseUrl, workspaceDir, artifactsDir, authRedis, userDataDir, hostLog }) {
  const t0 = Date.now();
  const phase = (name) => console.log(`  [redisPassword] ${name} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });

  await runCommand(page, 'Perf Advisor: Select Redis Connection');
  await pick(page, 'e2e-auth');
  phase('e2e-auth selected');
  // open the Perf Advisor container unless it is open already (a click on the open one would close the side bar)
  const open = page.locator('.activitybar .action-item.checked .action-label[aria-label^="Perf Advisor"]');
  if ((await open.count()) === 0)
    await page.locator('.activitybar .action-label[aria-label^="Perf Advisor"]').first().click();
  const panel = await frameWith(page, '[data-testid="status"]');
  await panel.locator('[data-testid="status"]', { hasText: 'auth' }).waitFor({ timeout: TIMEOUT });
  phase('no password: authentication fails');

  await runCommand(page, 'Perf Advisor: Set Redis Password');
  await pick(page, 'e2e-auth');
  await answerInput(page, authRedis.password, 'SecretStorage');
  await panel.locator('[data-testid="status"]').getByText('live', { exact: true }).waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(artifactsDir, 'redis-password-live.png') });
  phase('password set through the command: live');

  const leaks = [
    ...filesContaining(join(userDataDir, 'User'), authRedis.password).filter((f) => f.endsWith('.json')),
    ...filesContaining(join(userDataDir, 'logs'), authRedis.password),
    ...filesContaining(join(workspaceDir, '.vscode'), authRedis.password),
  ];
  if (leaks.length > 0) throw new Error(`the password is in ${leaks.join(', ')}`);
  if (hostLog.some((line) => line.includes(authRedis.password))) throw new Error('the password is in the host log');
  const html = await panel.locator('body').innerHTML();
  if (html.includes(authRedis.password)) throw new Error('the password is in the webview');
  phase('the password is in no settings file, log or webview');

  await runCommand(page, 'Perf Advisor: Clear Redis Password');
  await pick(page, 'e2e-auth');
  await panel.getByRole('button', { name: 'Reconnect' }).click();
  await panel.locator('[data-testid="status"]', { hasText: 'auth' }).waitFor({ timeout: TIMEOUT });
  phase('password cleared: authentication fails again');

  await runCommand(page, 'Perf Advisor: Select Redis Connection');
  await pick(page, 'e2e');
  await panel.locator('[data-testid="status"]').getByText('live', { exact: true }).waitFor({ timeout: TIMEOUT });
  phase('back on e2e');
}
