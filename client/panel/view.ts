// Renders the Redis panel (figures, targets, advice, charts, SLOWLOG, key space) as a VNode tree; pure, testable in Node.
import { keyPrefix } from '../../measure/redis/keys';
import type { Advice, Figures, PanelState, SlowlogEntry } from '../../measure/redis/model';
import { lineChart } from './charts';
import { bytes, clock, micros, percent, rate } from './format';
import { renderKeyspace } from './keyspaceView';
import type { KeyspaceView } from './messages';
import { actionButton, h, type VNode } from './vnode';

/** "Find in code" for a SLOWLOG entry: its command on the static prefix of its key (first argument). */
export function findButtonForSlowlog(entry: SlowlogEntry): VNode {
  const prefix = entry.args[0] !== undefined ? keyPrefix(entry.args[0]) : undefined;
  const usablePrefix = prefix && prefix !== '(no prefix)' ? prefix : undefined;
  const label = `${entry.command}${usablePrefix ? ` ${usablePrefix}*` : ''}`;
  return actionButton(
    'Find in code',
    'find',
    { command: entry.command, prefix: usablePrefix, label },
    { title: `Code sites issuing ${label}` },
  );
}

const FRAGMENTATION_MIN_MEMORY = 64 * 1024 * 1024;

function statusLine(state: PanelState): VNode {
  const badge = { idle: 'idle', connecting: 'connecting…', live: 'live', unavailable: 'metrics unavailable' }[
    state.status
  ];
  return h(
    'div',
    { class: `status status-${state.status}`, 'data-testid': 'status' },
    h('strong', {}, badge),
    state.reason ? h('span', { class: 'reason' }, ` — ${state.reason.kind}: ${state.reason.message}`) : null,
    state.stale && state.updatedAt !== null
      ? h('span', { class: 'stale' }, ` (showing figures from ${clock(state.updatedAt)}, stale)`)
      : null,
  );
}

function header(state: PanelState, status: string | null): VNode {
  return h(
    'header',
    {},
    h(
      'div',
      { class: 'title-row' },
      h('h2', {}, state.connectionName ?? 'No Redis connection'),
      h('span', { class: 'target' }, state.target ?? ''),
    ),
    statusLine(state),
    h(
      'div',
      { class: 'toolbar' },
      actionButton('Reconnect', 'reconnect'),
      actionButton('Select connection', 'selectConnection'),
      actionButton('Set password', 'setPassword'),
    ),
    status ? h('p', { class: 'transient', 'data-testid': 'transient' }, status) : null,
    state.notice ? h('p', { class: 'notice' }, state.notice) : null,
  );
}

/** One figure with its target: off-target figures get the `off` class. */
function metric(label: string, value: string, opts: { off?: boolean; hint?: string; testid?: string } = {}): VNode {
  return h(
    'div',
    { class: `metric${opts.off ? ' off' : ''}`, 'data-testid': opts.testid },
    h('div', { class: 'metric-label' }, label),
    h('div', { class: 'metric-value' }, value),
    opts.hint ? h('div', { class: 'metric-hint' }, opts.hint) : null,
  );
}

function figuresGrid(f: Figures, state: PanelState): VNode {
  const { targets } = state;
  const hit = f.hitRatioInterval ?? f.hitRatioSession;
  const maxmemoryText =
    f.maxmemory > 0
      ? `${bytes(f.usedMemory)} of ${bytes(f.maxmemory)} (${percent(f.memoryUse)})`
      : `${bytes(f.usedMemory)} (no maxmemory)`;
  return h(
    'section',
    { class: 'grid' },
    metric('Hit ratio (last interval)', percent(f.hitRatioInterval), {
      off: hit !== null && hit < targets.hitRatio,
      testid: 'hit-ratio',
      hint: `target ≥ ${percent(targets.hitRatio, 0)} · session ${percent(f.hitRatioSession)} · lifetime ${percent(f.hitRatioLifetime)}`,
    }),
    metric('Memory', maxmemoryText, {
      off: f.maxmemory === 0 || (f.memoryUse !== null && f.memoryUse >= targets.memoryUse),
      testid: 'memory',
      hint: `target < ${percent(targets.memoryUse, 0)} · policy ${f.maxmemoryPolicy}`,
    }),
    metric('Ops/s', rate(f.opsPerSec), { hint: 'excluding the panel’s own commands', testid: 'ops' }),
    metric('Evictions', rate(f.evictionsPerSec), {
      off: (f.evictionsPerSec ?? 0) > 0,
      hint: `${f.evictedKeys} since start`,
      testid: 'evictions',
    }),
    metric('Expirations', rate(f.expirationsPerSec), { hint: `${f.expiredKeys} since start` }),
    metric('Clients', `${f.connectedClients} connected`, {
      off: (f.rejectedInterval ?? 0) > 0,
      hint: `${f.blockedClients} blocked · ${f.rejectedConnections} rejected${f.maxclients !== null ? ` · max ${f.maxclients}` : ''}`,
    }),
    metric('Fragmentation', f.fragmentationRatio === null ? '–' : f.fragmentationRatio.toFixed(2), {
      // RSS / used is dominated by the allocator's baseline on a nearly empty server
      off: (f.fragmentationRatio ?? 1) > 1.5 && f.usedMemory >= FRAGMENTATION_MIN_MEMORY,
      hint:
        f.usedMemory >= FRAGMENTATION_MIN_MEMORY
          ? 'RSS / used memory'
          : 'RSS / used memory (not meaningful below 64 MB)',
    }),
    metric('Panel load', `${state.commandsPerPoll}/poll`, {
      hint: `read-only commands per poll · Redis ${f.redisVersion}`,
    }),
  );
}

function adviceList(advice: readonly Advice[]): VNode | null {
  if (advice.length === 0) return null;
  return h(
    'section',
    { class: 'advice', 'data-testid': 'advice' },
    h('h3', {}, 'Advice'),
    // warnings first and in full; info-level notes (e.g. noeviction on a store that is not a cache) stay one line
    h(
      'ul',
      {},
      [...advice]
        .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1))
        .map((a) =>
          h(
            'li',
            { class: `advice-${a.severity}`, title: a.detail },
            h('strong', {}, a.title),
            a.severity === 'warning' ? h('p', {}, a.detail) : null,
            actionButton(`Rule: ${a.ruleId}`, 'docs', { rule: a.ruleId }),
          ),
        ),
    ),
  );
}

function charts(state: PanelState): VNode {
  const history = state.history;
  return h(
    'section',
    { class: 'charts' },
    lineChart({
      title: 'Hit ratio',
      values: history.map((p) => p.hitRatio),
      format: (v) => percent(v),
      target: state.targets.hitRatio,
      max: 1,
    }),
    lineChart({ title: 'Ops/s', values: history.map((p) => p.opsPerSec), format: rate }),
    lineChart({ title: 'Memory', values: history.map((p) => p.usedMemory), format: bytes }),
    lineChart({ title: 'Evictions/s', values: history.map((p) => p.evictionsPerSec), format: rate }),
  );
}

function keyspaceTable(f: Figures): VNode {
  return h(
    'section',
    {},
    h('h3', {}, 'Keyspace'),
    f.keyspace.length === 0
      ? h('p', { class: 'muted' }, 'No keys.')
      : h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', {}, 'db'), h('th', {}, 'keys'), h('th', {}, 'with TTL'))),
          h(
            'tbody',
            {},
            f.keyspace.map((db) =>
              h(
                'tr',
                {},
                h('td', {}, `db${db.db}`),
                h('td', {}, String(db.keys)),
                h('td', { class: db.ttlShare !== null && db.ttlShare < 0.5 ? 'off' : '' }, percent(db.ttlShare, 0)),
              ),
            ),
          ),
        ),
  );
}

function nodesTable(state: PanelState): VNode | null {
  if (state.nodes.length === 0) return null;
  return h(
    'section',
    { 'data-testid': 'nodes' },
    h('h3', {}, `Cluster primaries (${state.nodes.length})`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['node', 'keys', 'hit ratio', 'memory', 'ops/s'].map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        state.nodes.map((n) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, n.node)),
            h('td', {}, String(n.figures.keyspace.reduce((sum, db) => sum + db.keys, 0))),
            h('td', {}, percent(n.figures.hitRatioInterval)),
            h('td', {}, bytes(n.figures.usedMemory)),
            h('td', {}, rate(n.figures.opsPerSec)),
          ),
        ),
      ),
    ),
  );
}

function slowlogTable(state: PanelState): VNode {
  const multiNode = state.nodes.length > 0;
  return h(
    'section',
    { 'data-testid': 'slowlog' },
    h('h3', {}, 'SLOWLOG'),
    state.slowlog.length === 0
      ? h('p', { class: 'muted' }, 'No slow commands logged.')
      : h(
          'table',
          {},
          h('thead', {}, h('tr', {}, h('th', {}, 'duration'), h('th', {}, 'command · client'), h('th', {}, ''))),
          // client and node go under the command: a side bar has no room for more columns
          h(
            'tbody',
            {},
            state.slowlog.map((e) =>
              h(
                'tr',
                { class: 'slowlog-row', 'data-command': e.command },
                h('td', {}, micros(e.durationMicros)),
                h(
                  'td',
                  {},
                  h('code', {}, [e.command, ...e.args].join(' ')),
                  h(
                    'div',
                    { class: 'muted small' },
                    [
                      e.clientName ? `${e.clientName} (${e.client})` : e.client,
                      multiNode ? ` · node ${e.node}` : '',
                    ].join(''),
                  ),
                ),
                h('td', {}, findButtonForSlowlog(e)),
              ),
            ),
          ),
        ),
  );
}

function latencySection(state: PanelState): VNode {
  return h(
    'section',
    {},
    h('h3', {}, 'Latency'),
    state.latency.length === 0
      ? h(
          'p',
          { class: 'muted' },
          'No latency events (the latency monitor is off while latency-monitor-threshold is 0).',
        )
      : h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['event', 'latest', 'max', 'node'].map((c) => h('th', {}, c)),
            ),
          ),
          h(
            'tbody',
            {},
            state.latency.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, e.event),
                h('td', {}, `${e.latestMs} ms`),
                h('td', {}, `${e.maxMs} ms`),
                h('td', {}, e.node),
              ),
            ),
          ),
        ),
  );
}

/** The whole panel. `status` is a transient line (e.g. the result of "Find in code"). */
export function renderPanel(state: PanelState, keyspace: KeyspaceView, status: string | null = null): VNode {
  const f = state.combined;
  return h(
    'div',
    { class: `panel${state.stale ? ' is-stale' : ''}` },
    header(state, status),
    f
      ? [
          figuresGrid(f, state),
          adviceList(state.advice),
          charts(state),
          nodesTable(state),
          keyspaceTable(f),
          slowlogTable(state),
          latencySection(state),
          renderKeyspace(keyspace, state.status === 'live'),
        ]
      : h('p', { class: 'muted' }, state.status === 'connecting' ? 'Connecting…' : 'No figures yet.'),
  );
}
