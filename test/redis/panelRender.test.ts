// The panel's render functions, DOM materializer, HTML shell and messages in plain Node: data stays text, CSP is strict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineChart } from '../../client/panel/charts';
import { materialize, type DocumentLike, type ElementLike } from '../../client/panel/dom';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../client/panel/html';
import { HostMessage, idleKeyspace, WebviewMessage, type KeyspaceView } from '../../client/panel/messages';
import { renderPanel } from '../../client/panel/view';
import { h, textOf, walk, type VNode } from '../../client/panel/vnode';
import { emptyState, type Figures, type PanelState } from '../../measure/redis/model';

const XSS = '<img src=x onerror=alert(1)>';

const figures: Figures = {
  hitRatioInterval: 0.5,
  hitRatioSession: 0.6,
  hitRatioLifetime: 0.7,
  keyspaceHits: 10,
  keyspaceMisses: 10,
  usedMemory: 900,
  maxmemory: 1000,
  memoryUse: 0.9,
  maxmemoryPolicy: 'allkeys-lru',
  fragmentationRatio: 1.1,
  opsPerSec: 12,
  evictionsPerSec: 3,
  expirationsPerSec: 0,
  evictedKeys: 5,
  expiredKeys: 0,
  connectedClients: 2,
  blockedClients: 0,
  rejectedConnections: 0,
  rejectedInterval: 0,
  maxclients: 10000,
  keyspace: [{ db: 0, keys: 3, expires: 1, ttlShare: 1 / 3, avgTtlMs: 1000 }],
  redisVersion: '7.0.15',
  uptimeSeconds: 10,
};

function liveState(): PanelState {
  return {
    ...emptyState({ hitRatio: 0.9, memoryUse: 0.8 }),
    connectionName: XSS,
    target: '127.0.0.1:6379',
    status: 'live',
    updatedAt: Date.now(),
    combined: figures,
    slowlog: [
      {
        node: '127.0.0.1:6379',
        id: 1,
        timestamp: 1,
        durationMicros: 1500,
        command: 'HGETALL',
        args: [XSS, 'session:abc'],
        client: '127.0.0.1:5000',
        clientName: XSS,
      },
    ],
    history: [
      { at: 1, hitRatio: null, opsPerSec: null, usedMemory: 800, evictionsPerSec: null },
      { at: 2, hitRatio: 0.5, opsPerSec: 12, usedMemory: 900, evictionsPerSec: 3 },
    ],
    advice: [{ figure: 'hitRatio', severity: 'warning', title: 'low', detail: 'd', ruleId: 'unstable-cache-key' }],
    commandsPerPoll: 3,
  };
}

function keyspaceDone(): KeyspaceView {
  const prefix = { prefix: 'user:', count: 2, memory: 100, noTtl: 2, type: 'hash' };
  return {
    ...idleKeyspace(1000),
    phase: 'done',
    sampled: 3,
    target: 3,
    result: {
      sampled: 3,
      totalKeys: 3,
      prefixesByCount: [prefix, { ...prefix, prefix: '(no prefix)', count: 1 }],
      prefixesByMemory: [prefix],
      ttlBuckets: { none: 2, underHour: 1, hourToDay: 0, overDay: 0 },
      biggestKeys: [{ key: XSS, type: 'string', memory: 50, ttlMs: -1 }],
      cancelled: false,
    },
  };
}

/** A fake document that records what the materializer does. */
function recordingDocument() {
  const texts: string[] = [];
  const attributes: Array<[string, string]> = [];
  const tags: string[] = [];
  const element = (tag: string): ElementLike => {
    tags.push(tag);
    return {
      setAttribute: (name, value) => {
        attributes.push([name, value]);
      },
      appendChild: () => undefined,
    };
  };
  const doc: DocumentLike = {
    createElement: element,
    createElementNS: (_ns, tag) => element(tag),
    createTextNode: (text) => {
      texts.push(text);
      return text;
    },
  };
  return { doc, texts, attributes, tags };
}

describe('Redis panel rendering', () => {
  it('renders key names, arguments and client names as text, never as elements or attributes', () => {
    const tree = renderPanel(liveState(), keyspaceDone());
    const elements = [...walk(tree)];
    assert.ok(!elements.some((node) => node.tag === 'img' || node.tag === 'script'));
    assert.ok(!elements.some((node) => Object.keys(node.attrs).some((name) => /^on|^src$|^href$|^style$/.test(name))));
    const text = textOf(tree);
    assert.ok(text.includes(XSS), 'the key is shown verbatim');
    assert.ok(text.includes(`HGETALL ${XSS} session:abc`));

    const { doc, texts, attributes, tags } = recordingDocument();
    materialize(doc, tree);
    assert.ok(
      texts.some((t) => t.includes(XSS)),
      'the key reaches the DOM as a text node',
    );
    assert.ok(!tags.includes('img'));
    assert.ok(attributes.every(([name]) => !/^on/.test(name)));
  });

  it('refuses unknown tags and event-handler attributes in the materializer', () => {
    const { doc } = recordingDocument();
    assert.throws(() => materialize(doc, h('script', {}, 'x')), /tag not allowed/);
    assert.throws(() => materialize(doc, h('div', { onclick: 'x' })), /attribute not allowed/);
    assert.throws(() => materialize(doc, h('div', { style: 'color:red' })), /attribute not allowed/);
  });

  it('shows the figures against their targets, advice with the rule link, and Find in code per SLOWLOG entry and prefix', () => {
    const tree = renderPanel(liveState(), keyspaceDone());
    const buttons = [...walk(tree)].filter((node) => node.tag === 'button');
    const find = buttons.filter((b) => b.attrs['data-action'] === 'find');
    assert.ok(
      find.some((b) => b.attrs['data-command'] === 'HGETALL' && b.attrs['data-prefix'] === undefined),
      'the XSS key has no static prefix',
    );
    assert.ok(find.some((b) => b.attrs['data-prefix'] === 'user:' && b.attrs['data-command'] === undefined));
    assert.ok(
      find.some((b) => b.attrs['data-prefix'] === 'user:' && b.attrs['data-command'] === 'HSET'),
      'TTL-less writes of a hash prefix',
    );
    assert.ok(buttons.some((b) => b.attrs['data-action'] === 'docs' && b.attrs['data-rule'] === 'unstable-cache-key'));
    const hit = [...walk(tree)].find((n) => n.attrs['data-testid'] === 'hit-ratio') as VNode;
    assert.match(hit.attrs.class, /off/);
    assert.match(textOf(hit), /50\.0%.*target ≥ 90%/);
    assert.match(textOf(tree), /900 B of 1000 B \(90\.0%\)/);
  });

  it('marks stale figures and explains why metrics are unavailable', () => {
    const state: PanelState = {
      ...liveState(),
      status: 'unavailable',
      stale: true,
      reason: { kind: 'refused', message: 'connection refused' },
    };
    const text = textOf(renderPanel(state, idleKeyspace(1000)));
    assert.match(text, /metrics unavailable — refused: connection refused/);
    assert.match(text, /stale/);
  });

  it('draws charts with gaps for missing values and a target line', () => {
    const chart = lineChart({ title: 'Hit ratio', values: [0.5, null, 0.9, 1], format: String, target: 0.9, max: 1 });
    const nodes = [...walk(chart)];
    assert.equal(nodes.filter((n) => n.tag === 'polyline').length, 1);
    assert.equal(nodes.filter((n) => n.tag === 'rect' && n.attrs.class === 'chart-dot').length, 1);
    assert.equal(nodes.filter((n) => n.tag === 'line').length, 1);
    assert.match(textOf(chart), /Hit ratio: 1/);
  });

  it('builds an HTML shell with a strict CSP and a fresh nonce', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.ok(Buffer.from(a, 'base64').length >= 16);
    const csp = contentSecurityPolicy('vscode-resource:', a);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${a.replace(/[+/=]/g, '\\$&')}'`));
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    const html = panelHtml({
      cspSource: 'vscode-resource:',
      nonce: a,
      scriptUri: 'x://main.js',
      styleUri: 'x://panel.css',
    });
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${a}" src="x://main.js">`));
  });

  it('validates messages in both directions', () => {
    assert.ok(
      WebviewMessage.safeParse({ type: 'findInCode', query: { command: 'HGETALL', keyPrefix: 'session:' }, label: 'x' })
        .success,
    );
    assert.ok(!WebviewMessage.safeParse({ type: 'runCommand', command: 'FLUSHALL' }).success);
    assert.ok(!WebviewMessage.safeParse({ type: 'openRuleDocs', ruleId: '../../etc/passwd' }).success);
    assert.ok(!WebviewMessage.safeParse({ type: 'findInCode', query: { command: 'SET; rm -rf' }, label: '' }).success);
    assert.ok(HostMessage.safeParse({ type: 'state', state: liveState() }).success);
    assert.ok(HostMessage.safeParse({ type: 'keyspace', keyspace: keyspaceDone() }).success);
    assert.ok(!HostMessage.safeParse({ type: 'state', state: { ...liveState(), status: 'exploded' } }).success);
  });
});
