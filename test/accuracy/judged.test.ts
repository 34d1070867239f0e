// The judged sample's schema and its scoring.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JudgedSample, judgedPrecision, type Judgement } from './judgedSchema';
import { LabelFile } from './labelsSchema';

const base: Judgement = {
  repo: 'a/b',
  commit: 'f'.repeat(40),
  path: 'src/x.ts',
  line: 3,
  family: 'n-plus-one',
  message: 'm',
  verdict: 'right',
  note: 'n',
};

test('precision per family and overall, and right findings with a wrong message', () => {
  const rows = judgedPrecision([
    base,
    { ...base, line: 4, verdict: 'wrong' },
    { ...base, line: 5, family: 'unbounded-read', messageRight: false },
  ]);
  assert.deepEqual(rows, [
    { family: 'all', right: 2, total: 3, precision: 2 / 3, messageRight: 1 },
    { family: 'n-plus-one', right: 1, total: 2, precision: 0.5, messageRight: 1 },
    { family: 'unbounded-read', right: 1, total: 1, precision: 1, messageRight: 0 },
  ]);
});

test('the schema rejects a judgement with no verdict or a short commit', () => {
  const sample = (judgement: unknown) => ({
    engineCommit: 'abcdef1',
    seed: 1,
    drawnFrom: 'x',
    judgements: [judgement],
  });
  assert.ok(JudgedSample.safeParse(sample(base)).success);
  assert.equal(JudgedSample.safeParse(sample({ ...base, verdict: 'maybe' })).success, false);
  assert.equal(JudgedSample.safeParse(sample({ ...base, commit: 'abc' })).success, false);
});

// Round 3 (judged.json) judged all 105 drawn; round 2's reviewers judged 90 of its 105 in time; round 1 all 120.
for (const [name, least] of [
  ['judged.json', 100],
  ['judged-round2.json', 90],
  ['judged-round1.json', 100],
] as const)
  test(`the committed judged sample ${name}: at least ${least} findings, each at a labelled repository commit, none at a labelled site`, () => {
    const labels = LabelFile.parse(JSON.parse(readFileSync(join(__dirname, 'labels.json'), 'utf8')));
    const sample = JudgedSample.parse(JSON.parse(readFileSync(join(__dirname, name), 'utf8')));
    assert.ok(sample.judgements.length >= least, `${sample.judgements.length} judgements`);
    const commits = new Map(labels.repos.map((repo) => [repo.repo, repo.commit]));
    const labelled = new Set(labels.labels.map((l) => `${l.repo}:${l.path}:${l.line}:${l.family}`));
    const seen = new Set<string>();
    for (const j of sample.judgements) {
      const site = `${j.repo}:${j.path}:${j.line}:${j.family}`;
      assert.equal(commits.get(j.repo), j.commit, site);
      assert.equal(labelled.has(site), false, `${site} is a labelled site, not an unlabelled finding`);
      assert.equal(seen.has(site), false, `${site} judged twice`);
      seen.add(site);
    }
  });
