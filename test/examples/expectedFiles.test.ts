// Keeps examples/expected-findings.json and expected-clean.json honest against the example sources they point into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { entryKey, examplesRoot, ExampleRuleId, loadExpected, type ExpectedEntry } from './expected';

const findings = loadExpected('findings');
const clean = loadExpected('clean');

/** Minimum number of planted problems per rule that the example service promises. */
const minimumFindings: Record<ExampleRuleId, number> = {
  'n-plus-one': 3,
  'unpooled-connection': 3,
  'unbounded-read': 3,
  'missing-cache': 2,
  'cache-write-without-ttl': 2,
  'unstable-cache-key': 2,
};

function sourceLines(file: string): string[] {
  return readFileSync(join(examplesRoot, file), 'utf8').split(/\r?\n/);
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (name.endsWith('.ts')) out.push(relative(examplesRoot, full).split('\\').join('/'));
  }
  return out.sort();
}

/** Checks one list; returns the problems found rather than stopping at the first. */
function problemsIn(entries: ExpectedEntry[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const where = `${entry.file}:${entry.line} (${entry.rule})`;
    if (seen.has(entryKey(entry))) problems.push(`${where}: duplicate entry`);
    seen.add(entryKey(entry));
    if (!existsSync(join(examplesRoot, entry.file))) {
      problems.push(`${where}: file does not exist`);
      continue;
    }
    const lines = sourceLines(entry.file);
    const text = lines[entry.line - 1];
    if (text === undefined) problems.push(`${where}: the file has only ${lines.length} lines`);
    else if (!text.includes(entry.contains)) problems.push(`${where}: line is ${JSON.stringify(text.trim())}, expected it to contain ${JSON.stringify(entry.contains)}`);
    const matching = lines.filter((line) => line.includes(entry.contains)).length;
    if (matching > 1) problems.push(`${where}: ${JSON.stringify(entry.contains)} matches ${matching} lines; make it identify one`);
  }
  return problems;
}

test('every expected finding points at an existing line that contains its text, once', () => {
  assert.deepEqual(problemsIn(findings), []);
});

test('every expected clean site points at an existing line that contains its text, once', () => {
  assert.deepEqual(problemsIn(clean), []);
});

test('rule ids are from the rule list (schema) and no site is both a finding and clean for the same rule', () => {
  for (const entry of [...findings, ...clean]) assert.ok(ExampleRuleId.options.includes(entry.rule), entry.rule);
  const findingKeys = new Set(findings.map(entryKey));
  assert.deepEqual(clean.map(entryKey).filter((key) => findingKeys.has(key)), []);
});

test('the service plants enough problems per rule, and at least as many look-alikes as problems', () => {
  for (const rule of ExampleRuleId.options) {
    const count = findings.filter((entry) => entry.rule === rule).length;
    assert.ok(count >= minimumFindings[rule], `${rule}: ${count} planted, want at least ${minimumFindings[rule]}`);
    assert.ok(clean.some((entry) => entry.rule === rule), `${rule}: no look-alike`);
  }
  assert.ok(clean.length >= findings.length, `${clean.length} look-alikes for ${findings.length} problems`);
});

test('every example source is syntactically valid TypeScript', () => {
  const sources = listSources(join(examplesRoot, 'src'));
  assert.ok(sources.length >= 10, `only ${sources.length} source files`);
  for (const file of sources) {
    const { diagnostics = [] } = ts.transpileModule(readFileSync(join(examplesRoot, file), 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { experimentalDecorators: true, target: ts.ScriptTarget.ES2022 },
    });
    const messages = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(messages, [], file);
  }
});

test('the expected files cover every file that has a planted problem listed in the README', () => {
  const readme = readFileSync(join(examplesRoot, 'README.md'), 'utf8');
  for (const file of new Set(findings.map((entry) => entry.file))) assert.ok(readme.includes(file), `README does not mention ${file}`);
});
