// In-host e2e (code-server's extension host, mocha BDD): diagnostics on examples/ match expected-findings.json, a code action applies, every command runs.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'perf-advisor.perf-advisor';
const workspaceDir = process.env.PERF_ADVISOR_E2E_WORKSPACE;

/** Resolves when `check()` returns a value, re-checking on every diagnostics change; rejects after `ms`. */
function waitForDiagnostics(check, ms, what) {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first) return resolve(first);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const subscription = vscode.languages.onDidChangeDiagnostics(() => {
      const value = check();
      if (!value) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'perf-advisor');
}

function fileUri(relative) {
  return vscode.Uri.file(path.join(workspaceDir, relative));
}

function loadList(name) {
  return JSON.parse(fs.readFileSync(path.join(workspaceDir, name), 'utf8'));
}

/** "src/x.ts:12 rule" for each expected entry that has no matching diagnostic (same file, rule and 1-based line). */
function missingEntries(expected) {
  return expected
    .filter(
      (e) =>
        !ours(fileUri(e.file)).some(
          (d) =>
            String(d.code && d.code.value !== undefined ? d.code.value : d.code) === e.rule &&
            d.range.start.line === e.line - 1,
        ),
    )
    .map((e) => `${e.file}:${e.line} ${e.rule}`);
}

function codeOf(diagnostic) {
  return String(diagnostic.code && typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
}

describe('Perf Advisor language server (real host)', function () {
  this.timeout(120000);

  before(async function () {
    assert.ok(workspaceDir, 'the runner exports PERF_ADVISOR_E2E_WORKSPACE');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
  });

  it('publishes every expected finding of examples/ (closed files included) with its rule code and line', async function () {
    const expected = loadList('expected-findings.json');
    assert.ok(expected.length > 0);
    try {
      await waitForDiagnostics(() => missingEntries(expected).length === 0, 90000, 'the expected findings');
    } catch (error) {
      assert.fail(`${error.message}; missing: ${missingEntries(expected).join(', ')}`);
    }
    const sample = ours(fileUri(expected[0].file)).find((d) => codeOf(d) === expected[0].rule);
    assert.ok(sample.code.target, 'the code links to the rule documentation');
    assert.match(sample.code.target.toString(), new RegExp(`${expected[0].rule}\\.md$`));
  });

  it('reports nothing at the look-alike sites of expected-clean.json', async function () {
    const clean = loadList('expected-clean.json');
    const flagged = clean.filter((e) =>
      ours(fileUri(e.file)).some((d) => codeOf(d) === e.rule && d.range.start.line === e.line - 1),
    );
    assert.deepStrictEqual(
      flagged.map((e) => `${e.file}:${e.line} ${e.rule}`),
      [],
    );
  });

  it('applies "Ignore on this line" from a code action and the diagnostic goes away', async function () {
    const target = loadList('expected-findings.json').find((e) => e.rule === 'n-plus-one');
    const uri = fileUri(target.file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitForDiagnostics(
      () => ours(uri).find((d) => codeOf(d) === 'n-plus-one' && d.range.start.line === target.line - 1),
      60000,
      'the n-plus-one diagnostic of the open file',
    );
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Show documentation for n-plus-one'), titles.join(' | '));
    const ignore = actions.find((a) => a.title === 'Ignore n-plus-one on this line');
    assert.ok(ignore && ignore.edit, titles.join(' | '));
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    assert.match(document.lineAt(target.line - 1).text, /^\s*\/\/ perf-advisor-ignore-next-line n-plus-one$/);
    await waitForDiagnostics(
      () => !ours(uri).some((d) => codeOf(d) === 'n-plus-one' && d.range.start.line === target.line),
      60000,
      'the ignored diagnostic to go away',
    );
    // Undo by the inverse edit (the file on disk was never changed); the diagnostic is back on its line.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(uri, new vscode.Range(target.line - 1, 0, target.line, 0));
    assert.ok(await vscode.workspace.applyEdit(undo));
    await waitForDiagnostics(
      () => ours(uri).some((d) => codeOf(d) === 'n-plus-one' && d.range.start.line === target.line - 1),
      60000,
      'the diagnostic to come back after the undo',
    );
  });

  it('runs Analyze Workspace and Show Report', async function () {
    const result = await vscode.commands.executeCommand('perfAdvisor.analyzeWorkspace');
    assert.ok(result && result.files > 0 && result.findings > 0, JSON.stringify(result));
    assert.strictEqual(result.cancelled, false);
    const summary = await vscode.commands.executeCommand('perfAdvisor.showReport');
    assert.ok(
      summary && summary.total >= loadList('expected-findings.json').length,
      JSON.stringify(summary && summary.total),
    );
    assert.ok(summary.rules.some((r) => r.ruleId === 'n-plus-one' && r.count > 0));
    const reportTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('perfAdvisor.report'));
    await new Promise((resolve, reject) => {
      if (reportTab()) return resolve();
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no report tab among ${vscode.window.tabGroups.all
                .flatMap((g) => g.tabs)
                .map((t) => t.label)
                .join(', ')}`,
            ),
          ),
        30000,
      );
      const subscription = vscode.window.tabGroups.onDidChangeTabs(() => {
        if (!reportTab()) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });
    assert.strictEqual(reportTab().label, 'Perf Advisor Report');
  });

  it('runs Show Output', async function () {
    assert.strictEqual(await vscode.commands.executeCommand('perfAdvisor.showOutput'), true);
  });

  it("runs Disable Rule: the rule's diagnostics go away, and come back when the setting is removed", async function () {
    const target = loadList('expected-findings.json').find((e) => e.rule === 'unpooled-connection');
    const uri = fileUri(target.file);
    const present = () => ours(uri).some((d) => codeOf(d) === 'unpooled-connection');
    await waitForDiagnostics(present, 60000, 'unpooled-connection before');
    assert.strictEqual(await vscode.commands.executeCommand('perfAdvisor.disableRule', 'unpooled-connection'), true);
    await waitForDiagnostics(() => !present(), 60000, 'unpooled-connection to go away');
    await vscode.workspace
      .getConfiguration('perfAdvisor')
      .update('rules.unpooled-connection.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(present, 60000, 'unpooled-connection to come back');
  });

  it('runs Restart Server and the diagnostics are served again', async function () {
    assert.strictEqual(await vscode.commands.executeCommand('perfAdvisor.restartServer'), true);
    const result = await vscode.commands.executeCommand('perfAdvisor.analyzeWorkspace');
    assert.ok(result && result.findings > 0, JSON.stringify(result));
  });
});
