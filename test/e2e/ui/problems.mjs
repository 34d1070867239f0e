// UI e2e in code-server: the Problems panel lists Perf Advisor findings of files nobody opened (from the workspace scan); screenshot kept in the artifacts folder.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const TIMEOUT = 60_000;

export async function check({ page, baseUrl, workspaceDir, artifactsDir }) {
  const expected = JSON.parse(readFileSync(join(workspaceDir, 'expected-findings.json'), 'utf8'));
  const files = [...new Set(expected.map((e) => basename(e.file)))];
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });

  // Open the Problems panel (retry the toggle: the first key press can land before the workbench listens).
  const markers = page.locator('.markers-panel');
  for (let attempt = 0; ; attempt++) {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 300 } });
    await page.keyboard.press('Control+Shift+M');
    try {
      await markers.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
  // Show only Perf Advisor's markers (TypeScript's own errors on the copy, which has no node_modules, come first
  // otherwise).
  // The Debug Console's hidden filter has the same placeholder: take the visible one, and check that the text landed.
  const filter = page.locator('input[placeholder^="Filter (e.g."]:visible').first();
  for (let attempt = 0; ; attempt++) {
    await filter.fill('perf-advisor');
    if ((await filter.inputValue()) === 'perf-advisor') break;
    if (attempt === 5) throw new Error('could not type into the Problems filter');
  }
  // Findings arrive from the language server's background scan: the rule code and the source.
  await markers.getByText('n-plus-one').first().waitFor({ timeout: TIMEOUT });
  await markers.getByText('perf-advisor').first().waitFor({ timeout: TIMEOUT });
  await page.mouse.move(10, 10);
  await page.screenshot({ path: join(artifactsDir, 'problems.png') });
  // The filtered panel lists files nobody opened (redis.ts, prisma.ts, … come from the scan), each under its own
  // header.
  // Its tree is virtualised: collapse the groups so that every file header is rendered, not just the first file's rows.
  const collapseAll = page.locator('.panel [aria-label="Collapse All"], .panel .codicon-collapse-all').first();
  if (await collapseAll.count()) await collapseAll.click({ timeout: 5_000 }).catch(() => undefined);
  try {
    // Runs in the page: how many of the expected files the filtered panel lists.
    await page.waitForFunction(
      (names) =>
        names.filter((name) => (document.querySelector('.markers-panel')?.innerText ?? '').includes(name)).length >= 3,
      files,
      { timeout: 15_000 },
    );
  } catch {
    throw new Error(
      `the Problems panel lists fewer than 3 of the ${files.length} files with findings: ${await markers.innerText()}`,
    );
  } finally {
    await page.screenshot({ path: join(artifactsDir, 'problems-files.png') });
  }
}
