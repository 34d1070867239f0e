// Shared steps of the UI checks: run a command from the palette, answer quick picks and input boxes, find a webview frame by content.
const TIMEOUT = 60_000;

/** Opens the command palette, runs the command whose label is `title`. */
export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await input.press('Enter');
}

/**
 * Waits for the quick input (showing `prompt`, when given: the widget is reused between boxes) and types `text`, then
 * Enter.
 */
export async function answerInput(page, text, prompt) {
  if (prompt)
    await page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ state: 'visible', timeout: TIMEOUT });
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(text);
  await input.press('Enter');
}

/** Picks the row labelled `label` in an open quick pick. */
export async function pick(page, label) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: TIMEOUT });
  await row.click();
}

/** The first frame (webviews sit two frames deep) that contains `selector`, waiting for it to appear. */
export async function frameWith(page, selector, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // a frame that went away while it was asked
      }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame shows ${selector}`);
    await page.waitForTimeout(250);
  }
}
