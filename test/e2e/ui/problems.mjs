// UI e2e in code-server: the Problems panel lists Perf Advisor findings of files nobody opened (from the workspace scan); screenshot kept in the artifacts folder.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const TIMEOUT = 60_000;

export async function check({ page, baseUrl, workspaceDir, artifactsDir }) {
  const expected = JSON.parse(readFileSync(join(workspaceDir, 'expected-findings.json'), 'utf8'));
  const files = [...new Set(expected.map((e) => basename(e.file)))];
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`);
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
  // Findings arrive from the language server's background scan: the rule code, the source, and files that are not open.
  await markers.getByText('n-plus-one').first().waitFor({ timeout: TIMEOUT });
  await markers.getByText('perf-advisor').first().waitFor({ timeout: TIMEOUT });
  const shown = await markers.innerText();
  const listed = files.filter((name) => shown.includes(name));
  if (listed.length < 3) throw new Error(`the Problems panel lists ${listed.length} of the ${files.length} files with findings: ${listed.join(', ')}`);
  await page.mouse.move(10, 10);
  await page.screenshot({ path: join(artifactsDir, 'problems.png') });
}
