// Load tests against real loopback services: percentiles of a known distribution, coordinated omission, cancellation, retries, bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RELATIVE_PRECISION } from '../../measure/loadtest/histogram';
import { EndpointUnreachableError } from '../../measure/loadtest/probe';
import { InvalidInputError, runLoadTest } from '../../measure/loadtest/run';
import { CancelledError } from '../../measure/retry';
import { closedPort, knownDistribution, respondAfter, startService, stallOnce, type TestService } from './httpService';

/** Nearest-rank percentile of raw values (the definition HdrHistogram approximates). */
function rawPercentile(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1];
}

let service: TestService;
before(async () => {
  service = await startService({
    '/known': knownDistribution,
    '/stall': stallOnce(60, 1_000),
    '/slow': (_req, res) => respondAfter(res, 50),
    '/fast': (_req, res) => res.end('ok'),
  });
});
after(() => service.close());

describe('percentiles of a known distribution (90 % at 10 ms, 10 % at 200 ms)', () => {
  it('gives P50 ≈ 10 ms and P95 ≈ 200 ms, equal to the raw latencies within the histogram precision', async () => {
    const { result, rawLatenciesMs } = await runLoadTest({
      url: `${service.url}/known`,
      requests: 400,
      connections: 10,
      keepRawLatencies: true,
    });
    assert.equal(result.requests, 400);
    assert.equal(result.errors + result.timeouts + result.non2xx, 0);
    assert.ok(result.latencyMs.p50 >= 10 && result.latencyMs.p50 < 25, `P50 ${result.latencyMs.p50}`);
    assert.ok(result.latencyMs.p95 >= 200 && result.latencyMs.p95 < 240, `P95 ${result.latencyMs.p95}`);
    assert.ok(rawLatenciesMs && rawLatenciesMs.length === 400);
    for (const [key, percentile] of [
      ['p50', 50],
      ['p95', 95],
      ['p99', 99],
    ] as const) {
      const raw = rawPercentile(rawLatenciesMs, percentile);
      // the histogram keeps 3 significant digits (of µs): its value is the bucket's upper edge
      const tolerance = raw * RELATIVE_PRECISION * 2 + 0.002;
      assert.ok(
        Math.abs(result.latencyMs[key] - raw) <= tolerance,
        `${key}: histogram ${result.latencyMs[key]}, raw ${raw}`,
      );
    }
    const rawMax = Math.max(...rawLatenciesMs);
    assert.ok(
      Math.abs(result.latencyMs.max - rawMax) <= rawMax * RELATIVE_PRECISION * 2,
      `max ${result.latencyMs.max}`,
    );
    // the skill's targets: P50 < 50 ok, P95 < 200 over (the slow tenth is 200 ms)
    assert.deepEqual(result.verdict, { p50: 'ok', p95: 'over', p99: 'ok', p999: 'ok' });
    assert.equal(result.withinTargets, false);
    assert.equal(result.coordinatedOmission, 'not corrected');
    assert.ok(result.distribution.length > 10 && result.distribution.at(-1)!.percentile === 100);
  });

  it('judges each percentile against its own target', async () => {
    const { result } = await runLoadTest({
      url: `${service.url}/slow`,
      requests: 40,
      connections: 4,
      targetsMs: { p50: 40, p95: 2000, p99: 2000, p999: 2000 },
    });
    assert.equal(result.verdict.p50, 'over', `P50 ${result.latencyMs.p50}`);
    assert.equal(result.verdict.p95, 'ok');
    assert.deepEqual(result.targetsMs, { p50: 40, p95: 2000, p99: 2000, p999: 2000 });
  });
});

describe('coordinated omission (the service stalls once for 1 s)', () => {
  it('with a rate, P99 and P99.9 show the stall; without the correction they would not', async () => {
    const { result } = await runLoadTest({ url: `${service.url}/stall`, durationS: 4, connections: 2, rate: 100 });
    assert.equal(result.coordinatedOmission, 'corrected');
    assert.equal(result.expectedIntervalMs, 20);
    assert.ok(result.latencyMs.p999 >= 900, `corrected P99.9 ${result.latencyMs.p999}`);
    assert.ok(result.latencyMs.p99 >= 500, `corrected P99 ${result.latencyMs.p99}`);
    assert.ok(result.uncorrectedLatencyMs, 'the uncorrected figures are kept beside');
    assert.ok(result.uncorrectedLatencyMs.p99 < 100, `uncorrected P99 ${result.uncorrectedLatencyMs.p99}`);
    assert.ok(result.latencyMs.max >= 990);
  });
});

describe('cancellation, unreachable endpoints and bad input', () => {
  it('stops mid-run when cancelled and returns the partial result', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const { result } = await runLoadTest(
      { url: `${service.url}/fast`, durationS: 30, connections: 2 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.responses > 0) controller.abort();
        },
      },
    );
    assert.equal(result.cancelled, true);
    assert.ok(result.requests > 0);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms of a 30 s run`);
  });

  it('an abort before the start rejects with CancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runLoadTest({ url: `${service.url}/fast` }, { signal: controller.signal }), CancelledError);
  });

  it('retries an unreachable URL per the policy, then names the cause', async () => {
    const port = await closedPort();
    const retries: string[] = [];
    const started = Date.now();
    await assert.rejects(
      runLoadTest(
        { url: `http://127.0.0.1:${port}/`, durationS: 1 },
        {
          retry: { attempts: 3, initialDelayMs: 50 },
          onProgress: (p) => p.message.startsWith('attempt') && retries.push(p.message),
        },
      ),
      (error: unknown) => {
        assert.ok(error instanceof EndpointUnreachableError);
        assert.equal(error.attempts, 3);
        assert.match(error.message, /unreachable after 3 attempts: connection refused/);
        return true;
      },
    );
    assert.deepEqual(
      retries.map((r) => /retrying in ([\d.]+) s/.exec(r)?.[1]),
      ['0.05', '0.1'],
      'exponential back-off from the initial delay',
    );
    assert.ok(Date.now() - started >= 150);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a non-http URL', { url: 'ftp://127.0.0.1/x' }, /only http:\/\/ and https:\/\//],
    ['not a URL', { url: 'localhost 3000' }, /not a URL/],
    ['a fractional rate', { url: 'http://127.0.0.1/', rate: 2.5 }, /rate must be an integer/],
    ['zero connections', { url: 'http://127.0.0.1/', connections: 0 }, /connections must be at least 1/],
    [
      'duration and requests',
      { url: 'http://127.0.0.1/', durationS: 1, requests: 10 },
      /either a duration or a number/,
    ],
    ['a header with a line break', { url: 'http://127.0.0.1/', headers: { 'X-A': 'a\r\nb' } }, /line breaks/],
    ['an unknown method', { url: 'http://127.0.0.1/', method: 'BREW' }, /method/],
  ];
  for (const [what, input, message] of bad)
    it(`rejects ${what} with a clear message`, async () => {
      await assert.rejects(
        runLoadTest(input as never),
        (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
      );
    });
});
