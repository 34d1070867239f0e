// The built CLI on threads and shards: --jobs and --shard validated, the shards' reports merged equal the unsplit
// report (JSON and SARIF), merge refuses what is not one complete split.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JsonReport } from '../../server/cli/report';
import { crossFileProject } from '../scan/crossFileProject';
import { GitHubSarif } from './sarifSchema';
import { disposeBuiltCli, ensureBuiltCli, runCli, tempProject, N_PLUS_ONE_SOURCE } from './cliProcess';

const dirs: string[] = [];
before(() => ensureBuiltCli());
after(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  disposeBuiltCli();
});
function project(files: Record<string, string>): string {
  const dir = tempProject(files);
  dirs.push(dir);
  return dir;
}

/** Runs `check` and returns the report file's text; the exit code is 0 or 3 (findings). */
function check(dir: string, out: string, args: string[]): string {
  const run = runCli(['check', '--fail-on', 'warning', '-q', '-o', out, ...args], dir);
  assert.ok(run.status === 0 || run.status === 3, `exit ${run.status}: ${run.stderr}`);
  return readFileSync(join(dir, out), 'utf8');
}

describe('check --jobs and --shard', () => {
  test('rejects bad values with one clear line and exit 1', () => {
    const dir = project({ 'a.ts': N_PLUS_ONE_SOURCE });
    const cases: [string[], RegExp][] = [
      [['--jobs', 'two'], /--jobs must be a whole number: 0 \(automatic\) or more \(got "two"\)/],
      [['--jobs', '-1'], /--jobs/],
      [['--jobs', '99'], /--jobs must be at most 16/],
      [['--shard', '3/2'], /--shard: i must be between 1 and 2 \(got "3\/2"\)/],
      [['--shard', 'first'], /--shard must look like i\/n/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['check', ...args], dir);
      assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
    }
  });

  test('the same JSON report on 1 and 2 threads, and the shards merged give it back (JSON and SARIF)', () => {
    const dir = project(crossFileProject(12));
    const one = check(dir, 'one.json', ['--format', 'json', '--jobs', '1']);
    const two = check(dir, 'two.json', ['--format', 'json', '--jobs', '2']);
    assert.equal(two, one);
    const report = JsonReport.parse(JSON.parse(one));
    assert.ok(report.summary.findings.total >= 8, `cross-file findings (${report.summary.findings.total})`);

    const shards = [1, 2, 3].map((i) => check(dir, `s${i}.json`, ['--format', 'json', '--shard', `${i}/3`]));
    const parsed = shards.map((s) => JsonReport.parse(JSON.parse(s)));
    assert.deepEqual(
      parsed.map((p) => p.summary.shard),
      [1, 2, 3].map((index) => ({ index, count: 3 })),
    );
    assert.equal(
      parsed.reduce((n, p) => n + p.summary.filesAnalyzed, 0),
      report.summary.filesAnalyzed,
    );
    assert.ok(
      parsed.every((p) => p.summary.filesAnalyzed > 0),
      'every shard has files',
    );
    const merged = runCli(['merge', 's3.json', 's1.json', 's2.json', '-o', 'merged.json'], dir);
    assert.equal(merged.status, 3, merged.stderr);
    assert.match(merged.stderr, /merged from 3 shards/);
    assert.equal(readFileSync(join(dir, 'merged.json'), 'utf8'), one);

    const sarif = check(dir, 'whole.sarif', ['--format', 'sarif']);
    for (const i of [1, 2]) check(dir, `s${i}.sarif`, ['--format', 'sarif', '--shard', `${i}/2`, '--jobs', '1']);
    const mergedSarif = runCli(['merge', 's2.sarif', 's1.sarif', '--fail-on', 'none'], dir);
    assert.equal(mergedSarif.status, 0, mergedSarif.stderr);
    assert.equal(mergedSarif.stdout, sarif);
    GitHubSarif.parse(JSON.parse(mergedSarif.stdout));
  });
});

describe('merge refuses what is not one complete split', () => {
  test('missing, doubled or foreign shards, mixed formats, unreadable and invalid files', () => {
    const dir = project({ 'a.ts': N_PLUS_ONE_SOURCE, 'b.ts': N_PLUS_ONE_SOURCE, 'c.ts': 'export const c = 1;\n' });
    for (const i of [1, 2, 3]) check(dir, `s${i}.json`, ['--format', 'json', '--shard', `${i}/3`]);
    check(dir, 's1.sarif', ['--format', 'sarif', '--shard', '1/3']);
    check(dir, 'other.json', ['--format', 'json', '--shard', '1/2']);
    check(dir, 'whole.json', ['--format', 'json']);
    writeFileSync(join(dir, 'broken.json'), '{"schemaVersion": 1, "findings": "no"}');
    writeFileSync(join(dir, 'text.json'), 'not json');
    const cases: [string[], RegExp][] = [
      [['s1.json', 's2.json'], /missing shard 3\/3/],
      [['s1.json', 's1.json', 's2.json', 's3.json'], /"s1.json" and "s1.json" are both shard 1\/3/],
      [['s1.json', 'other.json'], /"other.json" is shard 1\/2, the others are of 3/],
      [['s1.json', 's1.sarif'], /cannot merge JSON with SARIF/],
      [['whole.json'], /"whole.json" is not the report of a shard \(run check with --shard i\/n\)/],
      [['broken.json'], /"broken.json" is not a perf-advisor JSON report \(/],
      [['text.json'], /"text.json" is not JSON/],
      [['s1.json', 'broken.json'], /"broken.json" is not a perf-advisor JSON report/],
      [['gone.json'], /cannot read "gone.json": ENOENT/],
      [[], /name at least one report to merge/],
      [['s1.json', '--format', 'json'], /merge: unknown option --format/],
    ];
    for (const [args, message] of cases) {
      const run = runCli(['merge', ...args], dir);
      assert.equal(run.status, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
    }
    const help = runCli(['merge', '--help'], dir);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: perf-advisor merge/);
  });
});
