// The skill's decision tree on real measurements: latency (round trips vs slow Redis commands), CPU (a hotspot vs spread load), memory (a leak).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Redis from 'ioredis';
import { chooseLeaf, conclude, Diagnosis, suggestSymptom, type Evidence } from '../../measure/diagnose/diagnose';
import { routeFiles, routeMatches } from '../../measure/diagnose/routes';
import { DECISION_TREE, DiagnoseInput } from '../../measure/diagnose/tree';
import { ensureReachable } from '../../measure/loadtest/probe';
import { runLoadTest } from '../../measure/loadtest/run';
import { measureHeapGrowth } from '../../measure/profile/heap';
import { runProfile } from '../../measure/profile/profile';
import { openConnection, type OpenConnection } from '../../measure/redis/connection';
import { RedisConnection } from '../../measure/redis/config';
import { defaultProfilingSettings as settings } from '../../measure/settings';
import { adminClient } from '../redis/harness';
import { startRedisServer, type RedisServer } from '../redis/redisServer';
import { closedPort, respondAfter, startService, type TestService } from './httpService';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'src');
function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : [{ path: full, text: readFileSync(full, 'utf8') }];
  });
}

describe('the decision tree', () => {
  it("has the skill's three branches and six leaves with their remedies", () => {
    assert.deepEqual(
      DECISION_TREE.map((s) => `${s.label}: ${s.check}`),
      ['High latency: Check database queries', 'High CPU: Profile code', 'Memory issues: Analyze memory usage'],
    );
    assert.deepEqual(
      DECISION_TREE.flatMap((s) => s.leaves.map((l) => `${l.label} → ${l.remedy}`)),
      [
        'Slow queries → Add indexes, optimize SQL',
        'Network → Add caching, reduce round-trips',
        'Algorithmic → Optimize algorithms',
        'Too much load → Scale horizontally',
        'Leaks → Find and fix leaks',
        'Large data → Implement pagination, streaming',
      ],
    );
  });

  it("validates the skill's parameters", () => {
    assert.ok(
      DiagnoseInput.safeParse({ query: 'GET /orders is slow', current_rps: 200, target_latency_ms: 300 }).success,
    );
    assert.match(DiagnoseInput.safeParse({ query: 'slow' }).error!.issues[0].message, /at least 5/);
    assert.ok(!DiagnoseInput.safeParse({ query: 'x'.repeat(2001) }).success);
    assert.match(DiagnoseInput.safeParse({ query: 'slow api', current_rps: 1.5 }).error!.issues[0].message, /integer/);
  });

  it('finds the files that serve a URL in the examples service (routers mounted at a prefix)', () => {
    const files = sources(EXAMPLES);
    const admin = routeFiles('http://127.0.0.1:3000/admin/staff/search?q=a', files);
    assert.equal(admin[0], join(EXAMPLES, 'routes', 'admin.ts'));
    assert.ok(
      routeFiles('http://127.0.0.1:3000/customers/42/invoices', files).includes(
        join(EXAMPLES, 'routes', 'customers.ts'),
      ),
    );
    assert.ok(routeMatches('/:id/invoices', '/customers/42/invoices'));
    assert.ok(!routeMatches('/:id', '/customers/42'), 'a pattern of parameters only matches everything');
    assert.ok(!routeMatches('/staff/search', '/orders/1'));
  });
});

describe('high latency, on a real service and redis-server', () => {
  let redis: RedisServer;
  let app: Redis;
  let service: TestService;
  let panel: OpenConnection;
  before(async () => {
    redis = await startRedisServer();
    app = adminClient(redis.port);
    service = await startService({
      // five sequential round trips and 60 ms of waiting per request: over P50 < 50 ms, no slow command
      '/orders': (_req, res) => {
        void (async () => {
          for (let i = 0; i < 5; i++) await app.get(`order:${i}`);
          respondAfter(res, 60);
        })();
      },
      // one Lua script that keeps Redis busy ~200 ms per request: SLOWLOG fills
      '/report': (_req, res) => {
        void app.eval('local i=0 while i<6000000 do i=i+1 end return i', 0).then(() => res.end('ok'));
      },
    });
    panel = await openConnection(RedisConnection.parse({ name: 't', port: redis.port }), { connectTimeoutMs: 2_000 });
  });
  after(async () => {
    panel.close();
    await service.close();
    app.disconnect();
    await redis.stop();
  });
  const watch = () => ({ connection: panel, target: `127.0.0.1:${redis.port}`, hitRatioTarget: 0.9 });

  it('round trips → Network (Add caching, reduce round-trips), with the route’s findings', async () => {
    const { result } = await runLoadTest(
      { url: `${service.url}/orders`, requests: 60, connections: 3 },
      { redis: watch() },
    );
    const evidence: Evidence = {
      loadTest: result,
      findings: [
        { ruleId: 'n-plus-one', file: '/srv/routes/orders.ts', line: 12, message: 'query per order', fixes: ['Batch'] },
        { ruleId: 'n-plus-one', file: '/srv/routes/other.ts', line: 3, message: 'elsewhere', fixes: [] },
      ],
      routeFiles: ['/srv/routes/orders.ts'],
    };
    const symptom = suggestSymptom(evidence, settings);
    assert.equal(symptom.choice, 'high-latency', symptom.reasons.join('; '));
    const leaf = chooseLeaf('high-latency', evidence, settings);
    assert.equal(leaf.choice, 'network', leaf.reasons.join('; '));
    assert.ok(
      leaf.reasons.some((r) => /5\.0 Redis commands per request/.test(r)),
      leaf.reasons.join('; '),
    );
    const diagnosis = Diagnosis.parse(
      conclude({ query: 'GET /orders is slow' }, symptom, leaf, evidence, result.startedAt),
    );
    assert.deepEqual(diagnosis.path, ['High latency', 'Check database queries', 'Network']);
    assert.equal(diagnosis.remedy, 'Add caching, reduce round-trips');
    assert.equal(diagnosis.findingsScope, 'route');
    assert.deepEqual(
      diagnosis.findings.map((f) => f.file),
      ['/srv/routes/orders.ts'],
    );
  });

  it('slow Redis commands in SLOWLOG → Slow queries (Add indexes, optimize SQL)', async () => {
    const { result } = await runLoadTest(
      { url: `${service.url}/report`, requests: 6, connections: 2 },
      { redis: watch() },
    );
    const evidence: Evidence = { loadTest: result, findings: [] };
    assert.equal(suggestSymptom(evidence, settings).choice, 'high-latency');
    const leaf = chooseLeaf('high-latency', evidence, settings);
    assert.equal(leaf.choice, 'slow-queries', leaf.reasons.join('; '));
    assert.ok(
      leaf.reasons.some((r) => /took 100 ms or more \(SLOWLOG\)|of the Redis commands were slow/.test(r)),
      leaf.reasons.join('; ') + JSON.stringify(result.redis),
    );
  });

  it('within every target → no branch', async () => {
    const quick = await startService({ '/ok': (_req, res) => res.end('ok') });
    const { result } = await runLoadTest({ url: `${quick.url}/ok`, requests: 50, connections: 2 });
    await quick.close();
    const step = suggestSymptom({ loadTest: result, findings: [] }, settings);
    assert.equal(step.choice, null);
    assert.match(step.reasons[0], /within its target/);
  });
});

describe('high CPU and memory, on profiled processes', () => {
  let dir: string;
  before(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'pa-diagnose-')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('one hot function of the application → Algorithmic; work spread over many → Too much load', async () => {
    const hot = join(dir, 'hot.js');
    writeFileSync(
      hot,
      'function sortBadly(){let x=0;for(let i=0;i<4e7;i++)x=(x+i*i)%7919;return x}\nconsole.log(sortBadly());\n',
    );
    const spread = join(dir, 'spread.js');
    const fns = Array.from(
      { length: 10 },
      (_, i) => `function step${i}(){let x=0;for(let i=0;i<3e5;i++)x=(x+i)%97;return x}`,
    );
    writeFileSync(
      spread,
      `${fns.join('\n')}\nconst until=Date.now()+1500;let t=0;while(Date.now()<until){${fns.map((_, i) => `t+=step${i}();`).join('')}}\nconsole.log(t);\n`,
    );
    for (const [script, leaf] of [
      [hot, 'algorithmic'],
      [spread, 'too-much-load'],
    ] as const) {
      const { result } = await runProfile({ target: { kind: 'script', script }, durationS: 20 });
      const evidence: Evidence = { profile: result, findings: [] };
      assert.equal(suggestSymptom(evidence, settings).choice, 'high-cpu', JSON.stringify(result.busyMs));
      const step = chooseLeaf('high-cpu', evidence, settings);
      assert.equal(step.choice, leaf, step.reasons.join('; '));
    }
  });

  it('heap growth over a load test → Leaks; a service that lets go → Large data', async () => {
    const service = (keep: boolean) => `const http = require('http'); const kept = [];
http.createServer((req, res) => { const rows = Array.from({ length: 2000 }, (_, i) => ({ i, name: 'row' + i }));
${keep ? 'kept.push(rows);' : ''} res.end(String(rows.length)); }).listen(Number(process.argv[2]), '127.0.0.1');\n`;
    for (const [keep, expected] of [
      [true, 'leaks'],
      [false, 'large-data'],
    ] as const) {
      const script = join(dir, keep ? 'leaky.js' : 'tidy.js');
      writeFileSync(script, service(keep));
      const port = await closedPort();
      const url = `http://127.0.0.1:${port}/rows`;
      const { growth } = await measureHeapGrowth(
        { kind: 'script', script, args: [String(port)] },
        () => runLoadTest({ url, requests: 400, connections: 4 }),
        {
          beforeWork: async () =>
            void (await ensureReachable(url, 'GET', { policy: { attempts: 8, initialDelayMs: 50 }, timeoutMs: 2000 })),
        },
      );
      const evidence: Evidence = {
        heap: growth,
        findings: [{ ruleId: 'unbounded-read', file: '/x.ts', line: 1, message: 'm', fixes: [] }],
      };
      const step = chooseLeaf('memory', evidence, settings);
      assert.equal(step.choice, expected, `${step.reasons.join('; ')} (growth ${growth.growthShare})`);
      if (keep) assert.equal(suggestSymptom(evidence, settings).choice, 'memory');
    }
  });
});
