// Validates the hand-labelled accuracy set (test/accuracy/labels.json) and the scoring rules; needs no mirrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { familiesNeedingBothVerdicts, LabelFile, labelKey, minimumLabelsPerFamily } from './labelsSchema';
import type { Label } from './labelsSchema';
import { matchLabels, scoreByFamily, unlabelledHits } from './scoring';

const raw: unknown = JSON.parse(readFileSync(new URL('./labels.json', import.meta.url), 'utf8'));
const parsed = LabelFile.safeParse(raw);

test('labels.json matches the schema', () => {
  assert.ok(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 5), null, 2));
});

const data = parsed.success ? parsed.data : { repos: [], labels: [] };

test('the set covers at least 8 repositories and 120 labels', () => {
  assert.ok(data.repos.length >= 8, `${data.repos.length} repos`);
  assert.ok(data.labels.length >= 120, `${data.labels.length} labels`);
});

test('repositories are listed once and every label names a listed repository', () => {
  const names = data.repos.map((r) => r.repo);
  assert.equal(new Set(names).size, names.length, 'a repository is listed twice');
  const listed = new Set(names);
  const orphans = data.labels.filter((l) => !listed.has(l.repo)).map((l) => `${l.repo} ${l.path}:${l.line}`);
  assert.deepEqual(orphans, []);
});

test('no two labels share (repo, path, line, family)', () => {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const label of data.labels) {
    const key = labelKey(label);
    if (seen.has(key)) duplicates.push(`${label.repo} ${label.path}:${label.line} ${label.family}`);
    seen.add(key);
  }
  assert.deepEqual(duplicates, []);
});

test('each required family has its minimum count and both problems and fine look-alikes', () => {
  for (const family of familiesNeedingBothVerdicts) {
    const mine = data.labels.filter((l) => l.family === family);
    assert.ok(
      mine.some((l) => l.verdict === 'problem'),
      `${family} has no problem label`,
    );
    assert.ok(
      mine.some((l) => l.verdict === 'fine'),
      `${family} has no fine label`,
    );
    const minimum = minimumLabelsPerFamily[family] ?? 0;
    assert.ok(mine.length >= minimum, `${family}: ${mine.length} labels, expected at least ${minimum}`);
  }
});

test('the schema rejects an unknown family, a bad verdict and a short commit', () => {
  const good = { repo: 'a/b', path: 'src/x.ts', line: 3, family: 'n-plus-one', verdict: 'problem', note: 'n' };
  assert.ok(
    LabelFile.safeParse({ repos: [{ repo: 'a/b', commit: 'f'.repeat(40), why: 'w', split: 'dev' }], labels: [good] })
      .success,
  );
  assert.equal(LabelFile.safeParse({ repos: [], labels: [{ ...good, family: 'slow-loop' }] }).success, false);
  assert.equal(LabelFile.safeParse({ repos: [], labels: [{ ...good, verdict: 'maybe' }] }).success, false);
  assert.equal(LabelFile.safeParse({ repos: [{ repo: 'a/b', commit: 'abc', why: 'w' }], labels: [] }).success, false);
  assert.equal(LabelFile.safeParse({ repos: [], labels: [{ ...good, line: 0 }] }).success, false);
});

test('scoring matches within one line, in the same file and family only', () => {
  const label = (line: number, verdict: Label['verdict'], family: Label['family'] = 'n-plus-one'): Label => ({
    repo: 'a/b',
    path: 'src/x.ts',
    line,
    family,
    verdict,
    note: 'n',
  });
  const labels = [
    label(10, 'problem'),
    label(20, 'problem'),
    label(30, 'fine'),
    label(40, 'fine'),
    label(50, 'problem', 'unbounded-read'),
  ];
  const hits = [
    { repo: 'a/b', path: 'src/x.ts', line: 11, family: 'n-plus-one' },
    { repo: 'a/b', path: 'src/x.ts', line: 22, family: 'n-plus-one' },
    { repo: 'a/b', path: 'src/x.ts', line: 29, family: 'n-plus-one' },
    { repo: 'a/b', path: 'src/y.ts', line: 40, family: 'n-plus-one' },
    { repo: 'a/b', path: 'src/x.ts', line: 50, family: 'n-plus-one' },
  ];
  const [nPlusOne, unbounded] = scoreByFamily(matchLabels(labels, hits), ['n-plus-one', 'unbounded-read']);
  assert.deepEqual(
    {
      tp: nPlusOne.tp,
      fn: nPlusOne.fn,
      fp: nPlusOne.fp,
      tn: nPlusOne.tn,
      precision: nPlusOne.precision,
      recall: nPlusOne.recall,
    },
    { tp: 1, fn: 1, fp: 1, tn: 1, precision: 0.5, recall: 0.5 },
  );
  assert.deepEqual(
    { tp: unbounded.tp, fn: unbounded.fn, precision: unbounded.precision },
    { tp: 0, fn: 1, precision: null },
  );
  assert.deepEqual(
    unlabelledHits(labels, hits).map((h) => `${h.path}:${h.line}`),
    ['src/x.ts:22', 'src/y.ts:40', 'src/x.ts:50'],
  );
});
