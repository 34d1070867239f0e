// In-host e2e (code-server's extension host, mocha BDD): the Redis panel reads live figures from the runner's redis-server and Find in code opens the line.
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');

const port = process.env.PERF_ADVISOR_E2E_REDIS_PORT;

/** Runs redis-cli against the runner's server (the panel itself can only read). */
function redisCli(...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).trim();
}

/** Seconds since each of the panel's connections last sent a command (CLIENT LIST idle=). */
function panelIdleSeconds() {
  return redisCli('CLIENT', 'LIST')
    .split('\n')
    .filter((line) => line.includes('name=perf-advisor-panel'))
    .map((line) => Number(/ idle=(\d+)/.exec(line)[1]));
}

/** Re-checks the panel's connections every 500 ms until the condition holds (idle times change by the second). */
async function waitForIdle(predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const idle = panelIdleSeconds();
    if (predicate(idle)) return idle;
    if (Date.now() > deadline) throw new Error(`${what}: panel connections idle ${JSON.stringify(idle)} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('Redis panel (real host)', function () {
  this.timeout(60000);

  before(function () {
    assert.ok(port, 'the e2e runner exports PERF_ADVISOR_E2E_REDIS_PORT');
    redisCli('HSET', 'session:e2e-token', 'user', '42');
    redisCli('SET', 'user:1', 'x');
    redisCli('SET', 'cache:page:1', 'y', 'EX', '600');
  });

  it('polls live figures from the configured connection', async function () {
    redisCli('GET', 'user:1'); // a hit
    redisCli('GET', 'user:missing'); // a miss
    const state = await vscode.commands.executeCommand('perfAdvisor.redis.refresh');
    assert.ok(state, 'the refresh command returns the panel state');
    assert.equal(state.status, 'live', JSON.stringify(state.reason));
    assert.equal(state.connectionName, 'e2e');
    assert.equal(state.target, `127.0.0.1:${port}`);
    assert.equal(state.commandsPerPoll, 3);
    assert.ok(state.combined.keyspaceHits >= 1 && state.combined.keyspaceMisses >= 1);
    assert.ok(state.combined.keyspace.some((db) => db.db === 0 && db.keys >= 3));
    assert.equal(state.stale, false);
  });

  it('analyzes the key space with a bounded sample', async function () {
    await vscode.commands.executeCommand('perfAdvisor.redis.refresh');
    const view = await vscode.commands.executeCommand('perfAdvisor.redis.analyzeKeyspace');
    assert.equal(view.phase, 'done', view.error || '');
    assert.ok(view.result.sampled >= 3 && view.result.sampled <= 1000);
    assert.ok(view.result.prefixesByCount.some((p) => p.prefix === 'session:' && p.type === 'hash'));
  });

  it('Find in code on HGETALL session:* opens the line of examples/ that issues it', async function () {
    const location = await vscode.commands.executeCommand(
      'perfAdvisor.redis.findInCode',
      { command: 'HGETALL', keyPrefix: 'session:' },
      'HGETALL session:*',
    );
    assert.ok(location, 'a code site was found and opened');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.match(editor.document.uri.path, /middleware\/auth\.ts$/);
    const line = editor.document.lineAt(editor.selection.start.line).text;
    assert.match(line, /hgetall\(`session:/);
  });

  it('polls only while the view is visible (default interval 5 s), even when hidden while it loads', async function () {
    // shown and hidden at once: VS Code may resolve the view after it was hidden, reporting it visible
    await vscode.commands.executeCommand('perfAdvisor.redisPanel.focus');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitForIdle((idle) => idle.length > 0 && idle.every((s) => s >= 8), 'no polls while hidden');
    // shown: it polls as soon as the webview is up, then on its interval
    await vscode.commands.executeCommand('perfAdvisor.redisPanel.focus');
    await waitForIdle((idle) => idle.some((s) => s <= 1), 'polling when shown', 8000);
    await waitForIdle((idle) => idle.every((s) => s >= 2), 'a pause between polls', 8000);
    await waitForIdle((idle) => idle.some((s) => s <= 1), 'the next poll while shown', 8000);
    // another container in the side bar hides it again
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitForIdle((idle) => idle.every((s) => s >= 8), 'no polls once hidden again');
  });
});
