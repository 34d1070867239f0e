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

  describe('fix families in the real host (resolved on demand, applied, reverted)', function () {
    /** The code actions at a diagnostic, with their edits resolved by the server (VS Code's codeAction/resolve). */
    async function resolvedActions(uri, rule, line) {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const diagnostic = await waitForDiagnostics(
        () => ours(uri).find((d) => codeOf(d) === rule && (line === undefined || d.range.start.line === line - 1)),
        60000,
        `the ${rule} diagnostic`,
      );
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        undefined,
        50,
      );
      return { document, actions };
    }

    async function applyAndRevert(uri, action, check) {
      assert.ok(action, 'the action is offered');
      assert.ok(action.edit, `"${action.title}" got its edit on resolve`);
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      const document = await vscode.workspace.openTextDocument(uri);
      check(document.getText());
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }

    it('n-plus-one: Batch rewrites the per-invoice findUnique into one findMany and a map', async function () {
      const uri = fileUri('src/services/customerService.ts');
      const { actions } = await resolvedActions(uri, 'n-plus-one');
      await applyAndRevert(
        uri,
        actions.find((a) => a.title.startsWith('Batch')),
        (text) => {
          assert.match(text, /this\.prisma\.customer\.findMany\(\{ where: \{ id: \{ in: customerKeys \} \} \}\)/);
          assert.match(text, /customerById\.get\(String\(invoice\.customerId\)\) \?\? null/);
        },
      );
    });

    it('unpooled-connection: the per-request pg Client becomes one module-level Pool', async function () {
      const uri = fileUri('src/routes/orders.ts');
      const { actions } = await resolvedActions(uri, 'unpooled-connection', 89);
      await applyAndRevert(
        uri,
        actions.find((a) => a.title.startsWith('Create one shared `Pool`')),
        (text) => {
          assert.match(text, /new Pool\(\{ connectionString: config\.databaseUrl, max: 20/);
          assert.doesNotMatch(text, /new Client\(/);
        },
      );
    });

    it('missing-cache: cache-aside wraps the read and creates the helper module once', async function () {
      const uri = fileUri('src/routes/catalog.ts');
      const { actions } = await resolvedActions(uri, 'missing-cache', 135);
      const titles = actions.map((a) => a.title);
      for (const pattern of ['cache-aside', 'write-through', 'write-behind', 'refresh-ahead'])
        assert.ok(
          titles.some((t) => t.includes(`with ${pattern}`)),
          titles.join(' | '),
        );
      await applyAndRevert(
        uri,
        actions.find((a) => a.title.includes('with cache-aside')),
        (text) => {
          assert.match(text, /await cached\('perf-advisor:plan:findMany', 300, \(\) => prisma\.plan\.findMany\(/);
        },
      );
      const helper = fileUri('src/perfAdvisorCache.ts');
      // The edit creates the file and fills it in the editor (unsaved), as VS Code applies a CreateFile + text edit.
      const created = await vscode.workspace.openTextDocument(helper);
      assert.match(created.getText(), /export async function cached</);
      await vscode.window.showTextDocument(created);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(helper);
    });

    it('source.fixAll.perfAdvisor moves release() into finally and applies no suggestion', async function () {
      const uri = fileUri('src/checkout.ts');
      const text =
        "import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function ship(id: string) {\n  const client = await pool.connect();\n  await client.query('UPDATE orders SET status = $1 WHERE id = $2', ['shipped', id]);\n  client.release();\n}\n";
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(
        () => ours(uri).some((d) => codeOf(d) === 'unpooled-connection'),
        60000,
        'the checkout diagnostic',
      );
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.perfAdvisor',
        10,
      );
      const fixAll = actions.find((a) => a.kind && a.kind.value === 'source.fixAll.perfAdvisor');
      assert.ok(fixAll && fixAll.edit, JSON.stringify(actions.map((a) => a.title)));
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      assert.match(
        document.getText(),
        /try \{\n    await client\.query\([^\n]*\n  \} finally \{\n    client\.release\(\);\n  \}/,
      );
      await waitForDiagnostics(
        () => !ours(uri).some((d) => codeOf(d) === 'unpooled-connection'),
        60000,
        'the fixed diagnostic to go',
      );
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.workspace.fs.delete(uri);
    });
  });
});
