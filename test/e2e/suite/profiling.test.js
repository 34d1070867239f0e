// In-host e2e (code-server's extension host, mocha BDD): Load Test Endpoint, Profile Script, Attach to Process and Diagnose on real loopback services.
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const vscode = require('vscode');

const workspaceDir = process.env.PERF_ADVISOR_E2E_WORKSPACE;
const userDataDir = process.env.PERF_ADVISOR_E2E_USER_DATA;

/** A loopback service: /orders/summary answers 90 % in 10 ms and 10 % in 200 ms (P95 over the 200 ms target). */
function startService() {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    setTimeout(() => res.end('ok'), n % 10 === 0 ? 200 : 10);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every "Perf Advisor.log" under the code-server user data folder (the output channel's log files). */
function outputLogs(dir = path.join(userDataDir, 'logs')) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return outputLogs(full);
    return entry.name === 'Perf Advisor.log' ? [full] : [];
  });
}

/** Re-reads the output channel's log until `pattern` is in it (the channel flushes asynchronously). */
async function waitForLog(pattern, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = outputLogs()
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the output channel log (${outputLogs().join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const resultTab = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('perfAdvisor.profilingResult'));

describe('Profiling commands (real host)', function () {
  this.timeout(120000);
  let server;
  let url;

  before(async function () {
    assert.ok(workspaceDir && userDataDir, 'the runner exports the workspace and user data folders');
    await vscode.extensions.getExtension('perf-advisor.perf-advisor').activate();
    server = await startService();
    url = `http://127.0.0.1:${server.address().port}/orders/summary`;
  });
  after(() => server.close());

  it('Load Test Endpoint: percentiles against the targets, Redis figures, saved, compared with the previous run', async function () {
    const first = await vscode.commands.executeCommand('perfAdvisor.loadTest', { url, requests: 100, connections: 5 });
    assert.ok(first && first.result, 'the command returns its result');
    assert.equal(first.result.requests, 100);
    assert.equal(first.result.verdict.p95, 'over', JSON.stringify(first.result.latencyMs));
    assert.equal(first.result.verdict.p50, 'ok');
    assert.ok(first.result.redis && first.result.redis.error === null, JSON.stringify(first.result.redis));
    assert.ok(first.savedPath.startsWith(path.join(workspaceDir, '.perf-advisor', 'loadtest')));
    assert.ok(fs.existsSync(first.savedPath));
    const second = await vscode.commands.executeCommand('perfAdvisor.loadTest', { url, requests: 100, connections: 5 });
    assert.ok(second.view.comparison, 'the second run is compared with the first');
    assert.equal(second.view.comparison.before.startedAt, first.result.startedAt);
    assert.ok(resultTab(), 'the result panel is open');
    const log = await waitForLog(/completed perfAdvisor\.loadTest \(\d+ ms\)/);
    assert.match(log, /invoked perfAdvisor\.loadTest/);
  });

  it('Load Test Endpoint on an unreachable URL fails after the retries and logs "failed"', async function () {
    const config = vscode.workspace.getConfiguration('perfAdvisor.profiling');
    await config.update('retry.initialDelayMs', 20, vscode.ConfigurationTarget.Workspace);
    try {
      const closed = http.createServer();
      await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = closed.address().port;
      await new Promise((resolve) => closed.close(resolve));
      const outcome = await vscode.commands.executeCommand('perfAdvisor.loadTest', {
        url: `http://127.0.0.1:${port}/`,
      });
      assert.equal(outcome, undefined);
      await waitForLog(
        /failed perfAdvisor\.loadTest: .*unreachable after 3 attempts: connection refused \(.*\) \(\d+ ms\)/,
      );
    } finally {
      await config.update('retry.initialDelayMs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Profile Script: the hot function first, CodeLens on its line, the .cpuprofile saved', async function () {
    const script = path.join(workspaceDir, 'scripts', 'hot.js');
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.writeFileSync(
      script,
      [
        '// profiled by the e2e suite',
        'function crunchNumbers(n) {',
        '  let acc = 0;',
        '  for (let i = 0; i < n; i++) acc = (acc * 31 + i) % 1000003;',
        '  return acc;',
        '}',
        'const until = Date.now() + 1500;',
        'let total = 0;',
        'while (Date.now() < until) total += crunchNumbers(200000);',
        'console.log(total > 0);',
        '',
      ].join('\n'),
    );
    const outcome = await vscode.commands.executeCommand('perfAdvisor.profileScript', { script, durationS: 20 });
    assert.ok(outcome, 'profiled');
    const [hot] = outcome.result.hotFunctions;
    assert.equal(hot.name, 'crunchNumbers');
    assert.equal(hot.file, script);
    assert.equal(hot.line, 2);
    assert.ok(fs.existsSync(outcome.result.profilePath) && outcome.result.profilePath.endsWith('.cpuprofile'));
    // the lens provider runs on an open model
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(script)));
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', vscode.Uri.file(script), 10);
    const ours = lenses.filter((l) => l.command && /% self/.test(l.command.title) && l.range.start.line === 1);
    assert.equal(
      ours.length,
      1,
      lenses.map((l) => `${l.range.start.line}: ${l.command && l.command.title}`).join(' | '),
    );
    assert.match(ours[0].command.title, /^\$\(flame\) \d+\.\d % self/);
    assert.ok(ours[0].command.command, 'the lens has a command (it opens the .cpuprofile)');
  });

  it('Attach to Process: profiles a process started with --inspect and leaves it running', async function () {
    const script = path.join(workspaceDir, 'scripts', 'busy.js');
    fs.writeFileSync(
      script,
      // optimized before the profiler attaches: V8 then counts it in its caller unless the profiler has it recompiled
      'function handleBusy(){let x=0;for(let i=0;i<3e6;i++)x+=i%7;return x}\nsetInterval(handleBusy, 0);\n',
    );
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', script], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const port = await new Promise((resolve, reject) => {
        let text = '';
        child.stderr.on('data', (c) => {
          text += c;
          const m = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', () => reject(new Error(text)));
      });
      const outcome = await vscode.commands.executeCommand('perfAdvisor.attachProfiler', {
        attach: `127.0.0.1:${port}`,
        durationS: 2,
      });
      assert.equal(outcome.result.hotFunctions[0].name, 'handleBusy');
      assert.equal(child.exitCode, null);
    } finally {
      child.kill();
    }
  });

  it('Diagnose: walks the tree on the measured endpoint and ends at the route’s findings', async function () {
    const diagnosis = await vscode.commands.executeCommand('perfAdvisor.diagnose', {
      query: 'GET /orders/summary is slow under load',
      url,
      durationS: 2,
      auto: true,
    });
    assert.ok(diagnosis, 'a diagnosis');
    assert.equal(diagnosis.symptom, 'high-latency', diagnosis.reasons.join('; '));
    assert.equal(diagnosis.path[0], 'High latency');
    assert.equal(diagnosis.path[1], 'Check database queries');
    assert.equal(diagnosis.findingsScope, 'route', JSON.stringify(diagnosis.findings.slice(0, 3)));
    assert.ok(
      diagnosis.findings.every(
        (f) => f.file.endsWith(path.join('routes', 'orders.ts')) || f.file.endsWith('server.ts'),
      ),
    );
    assert.ok(diagnosis.findings.length > 0);
    const saved = fs.readdirSync(path.join(workspaceDir, '.perf-advisor', 'diagnose'));
    assert.equal(saved.length, 1);
    const kept = JSON.parse(fs.readFileSync(path.join(workspaceDir, '.perf-advisor', 'diagnose', saved[0]), 'utf8'));
    assert.equal(kept.input.query, 'GET /orders/summary is slow under load', 'the result is kept with the question');
  });

  it('Redis commands log the skill’s events with durations too', async function () {
    await vscode.commands.executeCommand('perfAdvisor.redis.refresh');
    const log = await waitForLog(/completed perfAdvisor\.redis\.refresh \(\d+ ms\)/);
    assert.match(log, /invoked perfAdvisor\.redis\.refresh/);
  });

  it('keeps .perf-advisor/ out of the analysis', async function () {
    // code there that would be a finding anywhere else
    const planted = path.join(workspaceDir, '.perf-advisor', 'planted.ts');
    fs.writeFileSync(
      planted,
      "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function postsOf(users: { id: string }[]) {\n  const all = [];\n  for (const u of users) all.push(await prisma.post.findMany({ where: { authorId: u.id } }));\n  return all;\n}\n",
    );
    const result = await vscode.commands.executeCommand('perfAdvisor.analyzeWorkspace');
    assert.ok(result && result.files > 0 && result.findings > 0);
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(planted)), []);
  });
});
