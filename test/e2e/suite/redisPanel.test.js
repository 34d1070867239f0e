// In-host e2e (code-server's extension host, mocha BDD): the Redis panel reads live figures from the runner's redis-server and Find in code opens the line.
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');

const port = process.env.PERF_ADVISOR_E2E_REDIS_PORT;

/** Runs redis-cli against the runner's server (the panel itself can only read). */
function redisCli(...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).trim();
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
    const location = await vscode.commands.executeCommand('perfAdvisor.redis.findInCode', { command: 'HGETALL', keyPrefix: 'session:' }, 'HGETALL session:*');
    assert.ok(location, 'a code site was found and opened');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor is open');
    assert.match(editor.document.uri.path, /middleware\/auth\.ts$/);
    const line = editor.document.lineAt(editor.selection.start.line).text;
    assert.match(line, /hgetall\(`session:/);
  });
});
