// The measuring CLI commands end to end (built bundle, child process): the JSON shape, the skill's exit codes 0/1/2/3, text output.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LoadTestResult } from '../../measure/loadtest/result';
import { ProfileResult } from '../../measure/profile/profile';
import { CpuProfile } from '../../measure/profile/cpuProfile';
import { startRedisServer, type RedisServer } from '../redis/redisServer';
import { disposeBuiltCli, ensureBuiltCli, runCliAsync } from './cliRunner';
import { closedPort, knownDistribution, respondAfter, startService, type TestService } from './httpService';

let service: TestService;
let dir: string;
before(async () => {
  ensureBuiltCli();
  service = await startService({
    '/known': knownDistribution,
    '/fast': (_req, res) => respondAfter(res, 1),
  });
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'pa-measure-cli-')));
});
after(async () => {
  await service.close();
  disposeBuiltCli();
  rmSync(dir, { recursive: true, force: true });
});

describe('perf-advisor loadtest', () => {
  it('prints the JSON shape and exits 3 when a target is missed (P95 of the known distribution)', async () => {
    const run = await runCliAsync(['loadtest', `${service.url}/known`, '--requests', '200', '--format', 'json']);
    assert.equal(run.status, 3, run.stderr);
    const result = LoadTestResult.parse(JSON.parse(run.stdout));
    for (const key of ['url', 'requests', 'durationS', 'rps', 'errors', 'non2xx', 'latencyMs', 'targetsMs', 'verdict'])
      assert.ok(Object.hasOwn(result, key), key);
    assert.deepEqual(Object.keys(result.latencyMs), ['p50', 'p95', 'p99', 'p999', 'max']);
    assert.deepEqual(result.targetsMs, { p50: 50, p95: 200, p99: 500, p999: 1000 });
    assert.equal(result.verdict.p95, 'over');
    assert.equal(result.coordinatedOmission, 'not corrected');
  });

  it('exits 0 within targets, corrects with --rate, takes --target-p99, and says which mode ran in text', async () => {
    const run = await runCliAsync([
      'loadtest',
      `${service.url}/fast`,
      '--duration',
      '2',
      '--rate',
      '50',
      '--connections',
      '2',
      '--target-p99',
      '400',
      '--header',
      'X-Test: 1',
    ]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /coordinated omission: corrected \(constant rate, expected interval 40\.0 ms per connection\)/,
    );
    assert.match(run.stdout, /P99\s+[\d.]+ ms\s+< 400 ms\s+ok/);
    assert.match(run.stdout, /P99\.9/);
    assert.match(run.stdout, /verdict: within the latency targets/);
  });

  it('keeps results with --save and compares with the previous run of the URL', async () => {
    const args = [
      'loadtest',
      `${service.url}/fast`,
      '--requests',
      '50',
      '--connections',
      '2',
      '--save',
      '--format',
      'json',
    ];
    const first = await runCliAsync(args, { cwd: dir });
    assert.equal(first.status, 0, first.stderr);
    const second = await runCliAsync(args, { cwd: dir });
    const parsed = JSON.parse(second.stdout) as { comparison?: { percentiles: { percentile: string }[] } };
    assert.equal(parsed.comparison?.percentiles.length, 4);
    assert.equal(readdirSync(join(dir, '.perf-advisor', 'loadtest')).length, 2);
  });

  it('exits 2 after the skill retries (3 attempts, 1 s then 2 s) when the URL is unreachable', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = await runCliAsync(['loadtest', `http://127.0.0.1:${port}/orders`]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unreachable after 3 attempts: connection refused/);
    assert.match(run.stderr, /attempt 1 failed .*retrying in 1 s/);
    assert.match(run.stderr, /attempt 2 failed .*retrying in 2 s/);
    assert.ok(Date.now() - started >= 3_000);
  });

  it('stops on Ctrl+C and reports the partial run', async () => {
    const started = Date.now();
    const run = await runCliAsync(['loadtest', `${service.url}/fast`, '--duration', '60'], {
      onStderr: (text, interrupt) => {
        if (/[1-9]\d* responses in/.test(text)) interrupt();
      },
    });
    assert.match(run.stdout, /\(cancelled: partial run\)/);
    assert.match(run.stdout, /P99\.9/);
    assert.ok(Date.now() - started < 30_000);
  });

  const invalid: [string, string[], RegExp][] = [
    ['no URL', ['loadtest'], /missing the URL/],
    ['an ftp URL', ['loadtest', 'ftp://127.0.0.1/'], /only http:\/\/ and https:\/\//],
    [
      'a fractional rate',
      ['loadtest', 'http://127.0.0.1/', '--rate', '2.5'],
      /--rate must be a positive integer \(got "2.5"\)/,
    ],
    [
      'duration and requests',
      ['loadtest', 'http://127.0.0.1/', '-d', '1', '-n', '5'],
      /--duration or --requests, not both/,
    ],
    ['an unknown flag', ['loadtest', 'http://127.0.0.1/', '--turbo'], /unknown option --turbo/],
    ['a bad header', ['loadtest', 'http://127.0.0.1/', '--header', 'nocolon'], /--header must look like/],
    ['a bad format', ['loadtest', 'http://127.0.0.1/', '--format', 'xml'], /--format must be one of text, json/],
  ];
  for (const [what, args, message] of invalid)
    it(`exits 1 on ${what}`, async () => {
      const run = await runCliAsync(args);
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
    });
});

describe('perf-advisor profile', () => {
  it('profiles a script, saves the .cpuprofile and prints the JSON shape', async () => {
    const script = join(dir, 'spin.js');
    writeFileSync(
      script,
      'function spinHard(){let x=0;for(let i=0;i<5e7;i++)x=(x*7+i)%1000003;return x}\nconsole.log(spinHard());\n',
    );
    const run = await runCliAsync(
      ['profile', script, '--duration', '20', '--output', 'spin.cpuprofile', '--format', 'json'],
      {
        cwd: dir,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const result = ProfileResult.parse(JSON.parse(run.stdout));
    assert.equal(result.hotFunctions[0].name, 'spinHard');
    assert.equal(result.hotFunctions[0].file, script);
    assert.equal(result.hotFunctions[0].line, 1);
    for (const key of ['name', 'file', 'line', 'selfMs', 'totalMs', 'selfPercent'])
      assert.ok(Object.hasOwn(result.hotFunctions[0], key));
    assert.equal(result.profilePath, join(dir, 'spin.cpuprofile'));
    CpuProfile.parse(JSON.parse(readFileSync(join(dir, 'spin.cpuprofile'), 'utf8')));
  });

  it('exits 1 for a missing script and for a bad --attach, 2 when nothing listens there', async () => {
    const missing = await runCliAsync(['profile', 'nope.js'], { cwd: dir });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot profile "nope.js": no such file/);
    const bad = await runCliAsync(['profile', '--attach', 'localhost']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--attach must be host:port/);
    const port = await closedPort();
    const none = await runCliAsync(['profile', '--attach', `127.0.0.1:${port}`, '--duration', '1']);
    assert.equal(none.status, 2, none.stderr);
    assert.match(none.stderr, /profiling failed/);
  });
});

describe('perf-advisor redis-stats', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer({ args: ['--requirepass', 'cli-secret'] });
  });
  after(() => redis.stop());

  it('prints the panel figures once as JSON (password from the environment)', async () => {
    const run = await runCliAsync(['redis-stats', '--url', `redis://127.0.0.1:${redis.port}`, '--format', 'json'], {
      env: { PERF_ADVISOR_REDIS_PASSWORD: 'cli-secret' },
    });
    assert.ok(run.status === 0 || run.status === 3, run.stderr);
    const stats = JSON.parse(run.stdout) as { target: string; figures: { redisVersion: string } };
    assert.equal(stats.target, `127.0.0.1:${redis.port}`);
    assert.match(stats.figures.redisVersion, /^\d+\./);
    assert.doesNotMatch(run.stdout + run.stderr, /cli-secret/);
  });

  it('exits 2 when Redis is unreachable after the retries, 1 on a bad URL', async () => {
    const port = await closedPort();
    const run = await runCliAsync(['redis-stats', '--url', `redis://127.0.0.1:${port}`]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unreachable after 3 attempts: connection refused/);
    const bad = await runCliAsync(['redis-stats', '--url', 'http://127.0.0.1:6379']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /starts with redis:\/\/ or rediss:\/\//);
  });
});
