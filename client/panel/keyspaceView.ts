// Renders the on-demand key-space analysis: button, progress and cancel, prefixes, TTL buckets, biggest keys.
import { writeCommandFor } from '../../measure/redis/keys';
import type { PrefixStats } from '../../measure/redis/model';
import { bytes, percent, ttl } from './format';
import type { KeyspaceView } from './messages';
import { actionButton, h, type VNode } from './vnode';

function prefixFindButtons(p: PrefixStats): VNode[] {
  if (p.prefix === '(no prefix)') return [];
  const buttons = [
    actionButton(
      'Find in code',
      'find',
      { prefix: p.prefix, label: `${p.prefix}*` },
      { title: `Code sites using keys ${p.prefix}*` },
    ),
  ];
  if (p.noTtl > 0) {
    const command = writeCommandFor(p.type);
    buttons.push(
      actionButton(
        'Writes w/o TTL',
        'find',
        { command, prefix: p.prefix, label: `${command} ${p.prefix}* (no TTL)` },
        { title: `${command} calls on ${p.prefix}* that set no expiry` },
      ),
    );
  }
  return buttons;
}

function prefixTable(title: string, rows: readonly PrefixStats[], testid: string): VNode {
  return h(
    'div',
    { 'data-testid': testid },
    h('h3', {}, title),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['prefix', 'keys', 'memory', 'no TTL'].map((c) => h('th', {}, c)),
        ),
      ),
      // the buttons sit under the prefix: a side bar has no room for another column
      h(
        'tbody',
        {},
        rows.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, p.prefix), h('div', { class: 'row-actions' }, prefixFindButtons(p))),
            h('td', {}, String(p.count)),
            h('td', {}, bytes(p.memory)),
            h('td', { class: p.noTtl > 0 ? 'off' : '' }, percent(p.noTtl / p.count, 0)),
          ),
        ),
      ),
    ),
  );
}

export function renderKeyspace(view: KeyspaceView, connected: boolean): VNode {
  const running = view.phase === 'running';
  const r = view.result;
  return h(
    'section',
    { class: 'keyspace', 'data-testid': 'keyspace' },
    h('h3', {}, 'Key-space analysis'),
    h(
      'p',
      { class: 'muted' },
      `A SCAN sample of at most ${view.sampleSize} keys with TYPE, PTTL and MEMORY USAGE per key (never KEYS).`,
    ),
    running
      ? h(
          'div',
          { class: 'progress-row' },
          h('progress', { max: Math.max(1, view.target), value: view.sampled }),
          h('span', {}, ` ${view.sampled} / ${view.target} keys `),
          actionButton('Cancel', 'cancelKeyspace'),
        )
      : actionButton('Analyze key space', 'analyzeKeyspace', {}, connected ? {} : { disabled: '' }),
    view.error ? h('p', { class: 'off' }, view.error) : null,
    r
      ? [
          h(
            'p',
            {},
            `${r.sampled} keys sampled of ${r.totalKeys}${r.cancelled ? ' (cancelled: partial results)' : ''}.`,
          ),
          h(
            'div',
            { class: 'ttl-buckets', 'data-testid': 'ttl-buckets' },
            h('span', {}, `no expiry ${r.ttlBuckets.none}`),
            h('span', {}, ` · < 1 h ${r.ttlBuckets.underHour}`),
            h('span', {}, ` · 1–24 h ${r.ttlBuckets.hourToDay}`),
            h('span', {}, ` · > 1 day ${r.ttlBuckets.overDay}`),
          ),
          prefixTable('Top prefixes by count', r.prefixesByCount, 'prefixes-count'),
          prefixTable('Top prefixes by memory', r.prefixesByMemory, 'prefixes-memory'),
          h(
            'div',
            { 'data-testid': 'biggest' },
            h('h3', {}, 'Biggest keys'),
            h(
              'table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['key', 'type', 'memory', 'TTL'].map((c) => h('th', {}, c)),
                ),
              ),
              h(
                'tbody',
                {},
                r.biggestKeys.map((k) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('code', { class: 'key-name' }, k.key)),
                    h('td', {}, k.type),
                    h('td', {}, bytes(k.memory)),
                    h('td', {}, ttl(k.ttlMs)),
                  ),
                ),
              ),
            ),
          ),
        ]
      : null,
  );
}
