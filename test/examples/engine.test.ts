// The engine over the embedded example service: every planted problem is found, no look-alike is, nothing else is.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFiles } from '../../server/engine';
import { rules } from '../../rules';
import { examplesRoot, loadExpected } from './expected';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

describe('engine on examples/', () => {
  const inputs = sourceFiles(join(examplesRoot, 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const result = analyzeFiles(inputs);
  const key = (file: string, line: number, rule: string) => `${file}:${line} ${rule}`;
  const found = new Set(result.findings.map((f) => key(relative(examplesRoot, f.span.file), f.span.range.start.line + 1, f.ruleId)));
  const active = new Set(rules.map((r) => r.id));
  const expected = loadExpected('findings').filter((e) => active.has(e.rule));
  const clean = loadExpected('clean').filter((e) => active.has(e.rule));

  it('analyses every file without errors', () => {
    assert.deepEqual(result.errors, []);
    assert.ok(inputs.length >= 10);
  });
  it('finds every planted problem of the active rules', () => {
    const missed = expected.filter((e) => !found.has(key(e.file, e.line, e.rule))).map((e) => `${key(e.file, e.line, e.rule)} — ${e.note}`);
    assert.deepEqual(missed, []);
    assert.ok(expected.length >= 15, `only ${expected.length} planted problems checked`);
  });
  it('reports none of the look-alikes', () => {
    const wrong = clean.filter((e) => found.has(key(e.file, e.line, e.rule))).map((e) => `${key(e.file, e.line, e.rule)} — ${e.note}`);
    assert.deepEqual(wrong, []);
  });
  it('reports nothing that is not planted', () => {
    const planted = new Set(expected.map((e) => key(e.file, e.line, e.rule)));
    assert.deepEqual([...found].filter((k) => !planted.has(k)), []);
  });
});
