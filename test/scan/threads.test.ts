// Scans on several threads find exactly what one thread finds (examples/, a generated cross-file project), and the
// thread count and shard split are what the docs say.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig, type AnalysisResult } from '../../server/engine';
import { analyzeProject } from '../../server/cli/analyze';
import { discoverFiles } from '../../server/workspace';
import { MAX_THREADS, assignShards, parseShard, scanThreads } from '../../server/scan/partition';
import { ScanPool } from '../../server/scan/pool';
import { crossFileProject, writeProject } from './crossFileProject';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function discover(root: string) {
  return discoverFiles([root], {
    root,
    exclude: defaultConfig.exclude,
    maxFileSizeKb: defaultConfig.thresholds.maxFileSizeKb,
    minifiedLineLength: defaultConfig.thresholds.minifiedLineLength,
  }).files;
}

/** Everything a report is built from, as data (the thread count aside). */
function comparable(result: AnalysisResult & { threads?: number }): unknown {
  const { threads: _threads, ...rest } = result;
  return JSON.parse(JSON.stringify(rest));
}

describe('scan threads', () => {
  it('finds on 2 threads exactly what 1 thread finds in examples/', async () => {
    const files = discover(EXAMPLES);
    const one = await analyzeProject(files, defaultConfig, { jobs: 1 });
    const two = await analyzeProject(files, defaultConfig, { jobs: 2 });
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    assert.ok(one.findings.length >= 20, `examples/ has its findings (${one.findings.length})`);
    assert.deepEqual(comparable(two), comparable(one));
  });

  it('finds on 3 threads exactly what 1 thread finds when the N+1s cross files (route → service → store → repository)', async () => {
    const root = writeProject(crossFileProject(24));
    const files = discover(root);
    const one = await analyzeProject(files, defaultConfig, { jobs: 1 });
    const done: string[] = [];
    const three = await analyzeProject(files, defaultConfig, { jobs: 3, progress: (_d, _t, path) => done.push(path) });
    assert.equal(three.threads, 3);
    // The loop is in service.ts, the query two files away: only cross-file summaries find these.
    const services = one.findings.filter((f) => f.ruleId === 'n-plus-one' && f.span.file.endsWith('/service.ts'));
    assert.equal(services.length, 16, 'every module that does not batch (16 of 24)');
    assert.ok(
      services.every((f) => f.related.length > 0 || /findUnique/.test(f.message)),
      'the query is named',
    );
    assert.deepEqual(comparable(three), comparable(one));
    assert.deepEqual([...done].sort(), files.map((f) => f.path).sort(), 'progress once per file');
  });

  it('reports on a shard only its files, with the findings the whole run has for them', async () => {
    const root = writeProject(crossFileProject(9));
    const files = discover(root);
    const whole = await analyzeProject(files, defaultConfig, { jobs: 1 });
    const shardOf = assignShards(
      files.map((f) => ({ key: f.path, size: f.text.length })),
      3,
    );
    const parts = [];
    for (const index of [1, 2, 3]) {
      const targets = files.filter((f) => shardOf.get(f.path) === index);
      parts.push(await analyzeProject(files, defaultConfig, { jobs: 1, targets }));
    }
    const union = parts.flatMap((p) => p.findings).map((f) => JSON.stringify(f));
    assert.deepEqual(union.sort(), whole.findings.map((f) => JSON.stringify(f)).sort());
  });

  it('stops a cancelled pool run and hands back the files it did not analyse', async () => {
    const root = writeProject(crossFileProject(6));
    const files = discover(root);
    const pool = new ScanPool(1, { files, config: defaultConfig });
    try {
      const token = { isCancellationRequested: true };
      const outcome = await pool.analyze(
        files.map((f) => f.path),
        { onResult: () => assert.fail('nothing is analysed after cancellation'), token },
      );
      assert.equal(outcome.unfinished.length, files.length);
    } finally {
      await pool.close();
    }
  });
});

describe('thread count and shards', () => {
  it('stays on one thread unless asked (each thread rebuilds the cross-file index), and honours what was asked', () => {
    assert.equal(scanThreads(0, 16, 8), 1);
    assert.equal(scanThreads(0, 100_000, 4), 1, 'automatic: one thread until the index is split');
    assert.equal(scanThreads(3, 16, 2), 3, 'an explicit count is honoured');
    assert.equal(scanThreads(64, 1000, 2), MAX_THREADS);
    assert.equal(scanThreads(4, 2, 8), 2, 'never more threads than files');
  });

  it('parses i/n and explains what is wrong', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.match((parseShard('0/4') as { error: string }).error, /between 1 and 4/);
    assert.match((parseShard('5/4') as { error: string }).error, /between 1 and 4/);
    assert.match((parseShard('2-4') as { error: string }).error, /i\/n/);
    assert.match((parseShard('1/0') as { error: string }).error, /at least 1/);
  });

  it('splits files the same way every time, each file in one shard, bytes balanced', () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ key: `src/f${i}.ts`, size: 100 + ((i * 37) % 900) }));
    const a = assignShards(files, 4);
    const b = assignShards([...files].reverse(), 4);
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort(), 'input order does not matter');
    assert.equal(a.size, files.length);
    const load = [0, 0, 0, 0];
    for (const file of files) load[a.get(file.key)! - 1]! += file.size;
    const total = load.reduce((x, y) => x + y, 0);
    for (const bytes of load) assert.ok(Math.abs(bytes - total / 4) <= 1000, `balanced: ${load.join(', ')}`);
  });
});
