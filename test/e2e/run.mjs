// Real-host end-to-end run: packages the .vsix, installs it into code-server, starts redis-server, runs the in-host mocha suite and the Playwright UI checks, prints "N passed, N failed".
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { ensureAptPackages, ensureTools, freePort, startRedis, waitForHttp } from './tools.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const SUITE_TIMEOUT_MS = 300_000;
const UI_CHECK_TIMEOUT_MS = 60_000;
/** Loading the workbench and starting the server before the UI checks (slow on a loaded 2-core machine). */
const WARM_UP_TIMEOUT_MS = 180_000;
/** Workbench chatter that says nothing about our tests (kept in extension-host.log, not printed). */
const HOST_NOISE =
  /AgentHost|Ignoring fetching|ChatModelSelection|AccountPolicyGate|authentication provider|connection token|Creating a socket|reconnection-grace-time|Service Worker|workbench contribution|additional builtin|^\s+at /;
const started = Date.now();
const log = (message) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch {
      /* best effort */
    }
  }
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  ensureAptPackages(log);
  const tools = ensureTools(root, log);

  log('npm run package');
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { name, version, publisher } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${name}-${version}.vsix`);

  // A fresh data folder per run (user settings, extensions, temp files, the workspace copy), outside the
  // repository: the project's .gitignore lists .e2e/, and the server honours .gitignore like git does.
  const data = mkdtempSync(join(tmpdir(), 'perf-advisor-e2e-'));
  cleanups.unshift(() => rmSync(data, { recursive: true, force: true }));
  for (const dir of ['user/User', 'ext', 'tmp', 'xdg', 'redis', 'redis-auth'])
    mkdirSync(join(data, dir), { recursive: true });
  const artifactsDir = join(root, '.artifacts', 'e2e');
  mkdirSync(artifactsDir, { recursive: true });
  const workspaceDir = join(data, 'workspace');
  cpSync(join(root, 'examples'), workspaceDir, { recursive: true, filter: (src) => !src.includes('node_modules') });

  const redis = await startRedis(join(data, 'redis'));
  cleanups.push(() => redis.child.kill());
  log(`redis-server on 127.0.0.1:${redis.port}`);
  // a password-protected one for the Set/Clear Password check; the password exists only in this process and the check
  const redisPassword = randomBytes(12).toString('hex');
  const authRedis = await startRedis(join(data, 'redis-auth'), { password: redisPassword });
  cleanups.push(() => authRedis.child.kill());

  const settings = {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'perfAdvisor.redis.connections': [
      { name: 'e2e', host: '127.0.0.1', port: redis.port },
      { name: 'e2e-auth', host: '127.0.0.1', port: authRedis.port },
    ],
  };
  writeFileSync(join(data, 'user', 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const env = {
    ...process.env,
    PATH: `${tools.node24Bin}:${process.env.PATH}`,
    TMPDIR: join(data, 'tmp'),
    XDG_CONFIG_HOME: join(data, 'xdg'),
    XDG_DATA_HOME: join(data, 'xdg'),
    EXTENSIONS_GALLERY: '{}',
    PERF_ADVISOR_E2E_REDIS_PORT: String(redis.port),
    PERF_ADVISOR_E2E_MOCHA: tools.mocha,
    PERF_ADVISOR_E2E_RESULTS: join(data, 'suite-results.json'),
    PERF_ADVISOR_E2E_WORKSPACE: workspaceDir,
    PERF_ADVISOR_E2E_ARTIFACTS: artifactsDir,
    PERF_ADVISOR_E2E_USER_DATA: join(data, 'user'),
  };
  log('installing the .vsix into a fresh extensions folder');
  execFileSync(
    tools.codeServer,
    ['--extensions-dir', join(data, 'ext'), '--user-data-dir', join(data, 'user'), '--install-extension', vsix],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const installed = readdirSync(join(data, 'ext')).find((d) => d.startsWith(`${publisher}.${name}-`));
  if (!installed) throw new Error(`the .vsix did not install into ${join(data, 'ext')}`);
  const extensionDir = join(data, 'ext', installed);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const codeServer = spawn(
    tools.codeServer,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      join(data, 'user'),
      '--extensions-dir',
      join(data, 'ext'),
      '--vscode-option',
      'enable-smoke-test-driver',
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = [];
  codeServer.stdout.on('data', (c) => serverLog.push(c.toString()));
  codeServer.stderr.on('data', (c) => serverLog.push(c.toString()));
  cleanups.push(() => process.kill(-codeServer.pid, 'SIGTERM'));
  await waitForHttp(`${baseUrl}/healthz`, 60_000);
  log(`code-server ${baseUrl}`);

  const require = createRequire(join(tools.toolsDir, 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launchPersistentContext(join(data, 'chromium'), {
    executablePath: tools.chromium,
    headless: true,
    viewport: { width: 1400, height: 850 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  cleanups.push(() => browser.close());
  // Offline by construction: only loopback (and in-page data/blob URLs) may load.
  const outside = new Set();
  await browser.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:')
      return route.continue();
    outside.add(url.hostname);
    return route.abort();
  });

  let passed = 0;
  let failed = 0;

  // 1. In-host mocha suite: every test/e2e/suite/*.test.js, inside code-server's extension host.
  log('in-host suite');
  const page = browser.pages()[0] ?? (await browser.newPage());
  let exit;
  const exited = new Promise((r) => (exit = r));
  const hostLog = [];
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = format(...(args ?? []));
    hostLog.push(line);
    if (!HOST_NOISE.test(line)) console.log(`  ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(join(root, 'test', 'e2e', 'suite'))],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}&payload=${encodeURIComponent(payload)}`);
  const exitCode = await withTimeout(exited, SUITE_TIMEOUT_MS, 'in-host suite').catch((error) => {
    console.log(`  ${error.message}`);
    return 'timeout';
  });
  await page.close();
  const results = existsSync(env.PERF_ADVISOR_E2E_RESULTS)
    ? JSON.parse(readFileSync(env.PERF_ADVISOR_E2E_RESULTS, 'utf8'))
    : undefined;
  if (results) {
    passed += results.passed;
    failed += results.failed;
    for (const failure of results.failures) console.log(`  FAILED ${failure.title}: ${failure.error}`);
  }
  if (!results || (exitCode !== 0 && results.failed === 0)) {
    failed++;
    console.log(`  the in-host suite did not finish cleanly (exit ${exitCode})`);
  }

  // 2. UI checks: every test/e2e/ui/*.mjs exports check(); each gets 60 s on a page where the workbench has loaded and
  // the
  // language server is up (the status bar shows the finding count), so the budget goes to the check, not to start-up.
  const uiDir = join(root, 'test', 'e2e', 'ui');
  const uiPage = await browser.newPage();
  let warm = true;
  try {
    const t0 = Date.now();
    await uiPage.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceDir)}`, { timeout: WARM_UP_TIMEOUT_MS });
    await uiPage.waitForSelector('.monaco-workbench', { timeout: WARM_UP_TIMEOUT_MS });
    await uiPage
      .locator('.statusbar-item', { hasText: /Perf Advisor: \d+/ })
      .first()
      .waitFor({ timeout: WARM_UP_TIMEOUT_MS });
    log(`workbench and language server ready for the UI checks (${Date.now() - t0} ms)`);
  } catch (error) {
    warm = false;
    failed++;
    log(`UI warm-up FAILED: ${error?.message ?? error}`);
    await uiPage.screenshot({ path: join(artifactsDir, 'warm-up-failure.png') }).catch(() => undefined);
  }
  for (const file of warm
    ? readdirSync(uiDir)
        .filter((f) => f.endsWith('.mjs'))
        .sort()
    : []) {
    const t0 = Date.now();
    try {
      const module = await import(pathToFileURL(join(uiDir, file)).href);
      await withTimeout(
        module.check({
          page: uiPage,
          baseUrl,
          workspaceDir,
          artifactsDir,
          redisPort: redis.port,
          authRedis: { port: authRedis.port, password: redisPassword },
          userDataDir: join(data, 'user'),
          hostLog,
        }),
        UI_CHECK_TIMEOUT_MS,
        `ui/${file}`,
      );
      passed++;
      log(`ui/${file} passed (${Date.now() - t0} ms)`);
    } catch (error) {
      failed++;
      log(`ui/${file} FAILED: ${error?.stack ?? error}`);
      await uiPage
        .screenshot({ path: join(artifactsDir, `${file.replace(/\.mjs$/, '')}-failure.png`) })
        .catch(() => undefined);
    }
  }
  await uiPage.close().catch(() => undefined);
  if (outside.size > 0) log(`blocked requests to: ${[...outside].join(', ')}`);
  writeFileSync(join(artifactsDir, 'code-server.log'), serverLog.join(''));
  writeFileSync(join(artifactsDir, 'extension-host.log'), hostLog.join('\n'));
  await cleanup();
  log(`done; artifacts in ${artifactsDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await cleanup();
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
