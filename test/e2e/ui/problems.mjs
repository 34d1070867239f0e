// UI e2e in code-server: the Problems panel lists Perf Advisor findings, closed files included; screenshot kept in the artifacts folder.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const TIMEOUT = 60_000;

export async function check({ page, baseUrl, workspaceDir, artifactsDir }) {
  const expected = JSON.parse(readFileSync(join(workspaceDir, 'expected-findings.json'), 'utf8'));
  const opened = expected.find((e) => e.rule === 'n-plus-one');
  const closed = expected.find((e) => basename(e.file) !== basename(opened.file));
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: TIMEOUT });

  // Open one file through Quick Open; the others stay closed.
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+P');
    try {
      await page.locator('.quick-input-widget input').waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await page.keyboard.type(opened.file);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: TIMEOUT });
  await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info').first().waitFor({ timeout: TIMEOUT });

  // Open the Problems panel (retry the toggle) and wait for findings of the open file and of a closed one.
  const markers = page.locator('.markers-panel');
  for (let attempt = 0; ; attempt++) {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+M');
    try {
      await markers.getByText('n-plus-one').first().waitFor({ timeout: 8000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await markers.getByText(basename(closed.file)).first().waitFor({ timeout: TIMEOUT });
  await markers.getByText('perf-advisor').first().waitFor({ timeout: TIMEOUT });
  await page.mouse.move(10, 10);
  await page.screenshot({ path: join(artifactsDir, 'problems.png') });
}
