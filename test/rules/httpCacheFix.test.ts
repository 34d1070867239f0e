// The missing-cache fix on HTTP reads caches the parsed body, not the response: the fixed fetch and axios routes
// compile (strict, real typings) and, on a loopback upstream and a real Redis, a hit returns the same JSON as the miss.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyseCaseInSession, applyFix, dedent, editsOf } from './ruleTester';
import { startFixSandbox, type FixSandbox } from './fixSandbox';

const FILE = '/project/src/case.ts';

/** The fixed file and the helper module the first suggestion (cache-aside) of the only finding produces. */
function fixedWithHelper(code: string): { fixed: string; helper: string } {
  const { session, findings } = analyseCaseInSession({ code }, 'missing-cache');
  assert.equal(findings.length, 1);
  const edits = editsOf(session, FILE, findings[0]!.fixes[0]!);
  const helper = edits.find((e) => e.createFile)?.newText;
  assert.ok(helper, 'the fix creates the helper');
  return { fixed: applyFix(code, edits, FILE), helper };
}

const fetchRoute = dedent`
  import express from 'express';
  export const app = express();
  const COUNTRIES_URL = process.env.UPSTREAM_URL + '/countries';
  app.get('/countries', async (req, res) => {
    const response = await fetch(COUNTRIES_URL);
    res.json(await response.json());
  });
`;
const fetchCheckedRoute = dedent`
  import express from 'express';
  export const app = express();
  const PLANS_URL = process.env.UPSTREAM_URL + '/plans';
  app.get('/plans', async (req, res) => {
    const r = await fetch(PLANS_URL);
    if (!r.ok) throw new Error('upstream ' + r.status);
    const plans = (await r.json()) as { name: string }[];
    res.json(plans.map((p) => p.name));
  });
`;
const axiosRoute = dedent`
  import express from 'express';
  import axios from 'axios';
  export const app = express();
  const RATES_URL = process.env.UPSTREAM_URL + '/rates';
  app.get('/rates', async (req, res) => {
    const response = await axios.get<{ rates: Record<string, number> }>(RATES_URL);
    res.json(response.data.rates);
  });
`;

describe('cache-aside on HTTP reads caches the body', () => {
  let sandbox: FixSandbox;
  let upstream: Server;
  const hits = new Map<string, number>();
  const BODIES: Record<string, unknown> = {
    '/countries': [{ name: 'France' }, { name: 'Japan' }],
    '/plans': [{ name: 'free' }, { name: 'pro' }],
    '/rates': { rates: { EUR: 1, USD: 1.08 } },
  };

  before(async () => {
    upstream = createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(BODIES[req.url!]));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const files: Record<string, string> = {};
    for (const [name, code] of Object.entries({ fetchRoute, fetchCheckedRoute, axiosRoute })) {
      const { fixed, helper } = fixedWithHelper(code);
      files[`${name}.ts`] = fixed;
      files['perfAdvisorCache.ts'] = helper;
    }
    sandbox = await startFixSandbox('pa-http-cache-', files);
    process.env.UPSTREAM_URL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    process.env.REDIS_URL = `redis://127.0.0.1:${sandbox.server.port}`;
  });

  after(async () => {
    upstream?.close();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled helper
    await (require(join(sandbox.dir, 'perfAdvisorCache.js')) as { closeCache(): Promise<void> }).closeCache();
    await sandbox?.stop();
  });

  it('the fixed routes compile under strict TypeScript against the express, axios and DOM fetch typings', () => {
    assert.deepEqual(sandbox.compile(['fetchRoute.ts', 'fetchCheckedRoute.ts', 'axiosRoute.ts']), []);
  });

  for (const [name, path] of [
    ['fetchRoute', '/countries'],
    ['fetchCheckedRoute', '/plans'],
    ['axiosRoute', '/rates'],
  ] as const) {
    it(`${name}: the second request is served from Redis with the same JSON, and the upstream is called once`, async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled route
      const { app } = require(join(sandbox.dir, `${name}.js`)) as { app: import('express').Express };
      const server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
        const first = await (await fetch(url)).json();
        const second = await (await fetch(url)).json();
        assert.deepEqual(second, first);
        assert.notDeepEqual(second, {}, 'a cached Response would come back as {}');
        assert.equal(hits.get(path), 1, 'the hit must not reach the upstream');
        const expected = path === '/rates' ? { EUR: 1, USD: 1.08 } : path === '/plans' ? ['free', 'pro'] : BODIES[path];
        assert.deepEqual(first, expected);
      } finally {
        server.close();
      }
    });
  }
});
