// The result webview's render functions and messages in plain Node, on real runs: percentiles against targets, chart, before/after.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { materialize, type DocumentLike, type ElementLike } from '../../client/panel/dom';
import { textOf, walk, type VNode } from '../../client/panel/vnode';
import { latencyChart, nines, niceCeiling } from '../../client/profiling/chart';
import { HostMessage, pathsOf, WebviewMessage, type ResultView } from '../../client/profiling/messages';
import { renderResult } from '../../client/profiling/view';
import { previousRun, saveLoadTest } from '../../measure/loadtest/history';
import { compareRuns, type LoadTestResult } from '../../measure/loadtest/result';
import { runLoadTest } from '../../measure/loadtest/run';
import { listResults } from '../../measure/results';
import { LoadTestResult as LoadTestResultSchema } from '../../measure/loadtest/result';
import { knownDistribution, startService, type TestService } from './httpService';

/** Enough of a DOM for the materializer: counts what it creates. */
function fakeDocument(): DocumentLike & { created: string[] } {
  const created: string[] = [];
  const element = (tag: string): ElementLike => {
    created.push(tag);
    return { setAttribute: () => undefined, appendChild: () => undefined };
  };
  return { created, createElement: element, createElementNS: (_ns, tag) => element(tag), createTextNode: () => ({}) };
}

const XSS = '<img src=x onerror=alert(1)>';
let service: TestService;
let dir: string;
let first: LoadTestResult;
let second: LoadTestResult;

before(async () => {
  service = await startService({ '/known': knownDistribution });
  dir = mkdtempSync(join(tmpdir(), 'pa-view-'));
  first = (
    await runLoadTest({ url: `${service.url}/known?q=${encodeURIComponent(XSS)}`, requests: 100, connections: 5 })
  ).result;
  saveLoadTest(dir, first);
  second = (await runLoadTest({ url: first.url, requests: 100, connections: 5 })).result;
});
after(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

function view(): Extract<ResultView, { kind: 'loadTest' }> {
  const before = previousRun(dir, second);
  assert.ok(before, 'the first run is the baseline of the second');
  return {
    kind: 'loadTest',
    result: second,
    comparison: compareRuns(before.value, second),
    previousDistribution: before.value.distribution,
    savedPath: saveLoadTest(dir, second),
  };
}

describe('load-test result view', () => {
  it('shows each percentile against its target, the verdict, the comparison and the chart', () => {
    const tree = renderResult(view());
    const text = textOf(tree);
    assert.match(text, /P95 over target/);
    const table = [...walk(tree)].find((n) => n.attrs['data-testid'] === 'percentiles')!;
    const rows = [...walk(table)].filter((n) => n.tag === 'tr' && n.attrs['data-percentile']);
    assert.deepEqual(
      rows.map((r) => r.attrs['data-percentile']),
      ['p50', 'p95', 'p99', 'p999'],
    );
    assert.match(textOf(rows[1]), /< 200 ms.*over/);
    assert.match(textOf(rows[0]), /→ [+-]\d+ %/, 'the previous run beside');
    assert.match(text, /Coordinated omission: not corrected/);
    const chart = [...walk(tree)].find((n) => n.attrs['data-testid'] === 'latency-chart')!;
    assert.equal([...walk(chart)].filter((n) => n.tag === 'polyline').length, 2, 'this run and the previous one');
    assert.ok(text.includes(second.url));
  });

  it('materializes with allowed tags and attributes only; markup in data stays text', () => {
    const doc = fakeDocument();
    materialize(doc, renderResult(view()));
    const diagnosis = renderResult({
      kind: 'diagnosis',
      savedPath: null,
      diagnosis: {
        input: { query: XSS },
        startedAt: second.startedAt,
        symptom: 'high-latency',
        leaf: 'network',
        path: ['High latency', 'Check database queries', 'Network'],
        reasons: [XSS],
        remedy: 'Add caching, reduce round-trips',
        findings: [{ ruleId: 'n-plus-one', file: '/src/x.ts', line: 3, message: XSS, fixes: [XSS] }],
        findingsScope: 'route',
        hotFunctions: [],
        loadTest: second,
        heap: null,
      },
    });
    assert.ok(textOf(diagnosis).includes(XSS));
    materialize(doc, diagnosis);
    assert.ok(doc.created.includes('svg') && doc.created.includes('table'));
    assert.ok(!doc.created.includes('img') && !doc.created.includes('script'));
  });

  it('the chart axis is in nines and the y axis ends on a round value', () => {
    assert.equal(nines(0), 0);
    assert.ok(Math.abs(nines(90) - 1) < 1e-9 && Math.abs(nines(99) - 2) < 1e-9 && Math.abs(nines(99.9) - 3) < 1e-9);
    assert.equal(nines(100), 4);
    assert.deepEqual([0.3, 3, 45, 210, 999].map(niceCeiling), [0.5, 5, 50, 500, 1000]);
    const chart: VNode = latencyChart(second.distribution, second.targetsMs, null);
    assert.match(textOf(chart), /P99\.9 < 1000/);
  });

  it('keeps saved results readable and skips files that do not parse', () => {
    const saved = listResults(dir, 'loadtest', LoadTestResultSchema);
    assert.ok(saved.length >= 2);
    assert.ok(saved.every((s) => s.path.includes(`${join(dir, '.perf-advisor', 'loadtest')}`)));
  });
});

describe('result webview messages', () => {
  it('checks both directions and names the only files the host may open', () => {
    const v = view();
    assert.ok(HostMessage.safeParse({ type: 'show', view: v }).success);
    assert.ok(!HostMessage.safeParse({ type: 'show', view: { kind: 'loadTest' } }).success);
    assert.ok(WebviewMessage.safeParse({ type: 'open', file: '/a.ts', line: 3 }).success);
    assert.ok(!WebviewMessage.safeParse({ type: 'open', file: '/a.ts', line: 0 }).success);
    assert.ok(!WebviewMessage.safeParse({ type: 'findInCode', command: 'FLUSHALL; rm' }).success);
    assert.ok(!WebviewMessage.safeParse({ type: 'eval', code: '1' }).success);
    const { files, saved } = pathsOf(v);
    assert.equal(files.size, 0);
    assert.deepEqual([...saved], [v.savedPath]);
  });
});
