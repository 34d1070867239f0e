// Renders a load test, a profile or a diagnosis as a VNode tree for the result webview; pure, testable in plain Node.
import type { Diagnosis } from '../../measure/diagnose/diagnose';
import { PERCENTILE_LABEL, PERCENTILES, type LoadTestResult } from '../../measure/loadtest/result';
import type { ProfileResult } from '../../measure/profile/model';
import { actionButton, h, type VNode } from '../panel/vnode';
import { latencyChart } from './chart';
import type { ResultView } from './messages';

const ms = (value: number) =>
  `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ms`;
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

function openButton(file: string, line: number): VNode {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)
    ? actionButton(`${baseName(file)}:${line}`, 'open', { file, line: String(line) }, { title: `${file}:${line}` })
    : h('code', {}, `${file}:${line}`);
}

function verdictBadge(result: LoadTestResult): VNode {
  const over = PERCENTILES.filter((p) => result.verdict[p] === 'over').map((p) => PERCENTILE_LABEL[p]);
  return h(
    'div',
    { class: `verdict ${over.length === 0 ? 'verdict-ok' : 'verdict-over'}`, 'data-testid': 'verdict' },
    over.length === 0 ? 'Within the latency targets' : `${over.join(', ')} over target`,
  );
}

function loadTestView(view: Extract<ResultView, { kind: 'loadTest' }>): VNode {
  const { result, comparison } = view;
  const change = (p: (typeof PERCENTILES)[number]) => comparison?.percentiles.find((c) => c.percentile === p);
  return h(
    'section',
    { 'data-testid': 'load-test' },
    h('h2', {}, `Load test: ${result.method} ${result.url}`),
    verdictBadge(result),
    result.cancelled ? h('p', { class: 'warning' }, 'Cancelled: these figures are from a partial run.') : null,
    h(
      'p',
      { class: 'muted' },
      `${result.requests} responses in ${result.durationS.toFixed(1)} s over ${result.connections} connection(s): ` +
        `${result.rps.toFixed(1)} req/s${result.rate ? ` (asked ${result.rate} req/s)` : ''}; ` +
        `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}.`,
    ),
    h(
      'p',
      { class: 'muted', 'data-testid': 'coordinated-omission' },
      result.coordinatedOmission === 'corrected'
        ? `Coordinated omission: corrected (constant rate, ${ms(result.expectedIntervalMs ?? 0)} between requests of a connection).`
        : 'Coordinated omission: not corrected (no rate given): a stall hides the requests it held back.',
    ),
    h(
      'table',
      { 'data-testid': 'percentiles' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'percentile'),
          h('th', {}, 'latency'),
          h('th', {}, 'target'),
          h('th', {}, 'verdict'),
          comparison ? h('th', {}, 'previous run') : null,
          result.uncorrectedLatencyMs ? h('th', {}, 'uncorrected') : null,
        ),
      ),
      h(
        'tbody',
        {},
        PERCENTILES.map((p) => {
          const c = change(p);
          return h(
            'tr',
            { class: result.verdict[p] === 'over' ? 'row-over' : 'row-ok', 'data-percentile': p },
            h('td', {}, PERCENTILE_LABEL[p]),
            h('td', {}, ms(result.latencyMs[p])),
            h('td', {}, `< ${result.targetsMs[p]} ms`),
            h('td', { class: 'verdict-cell' }, result.verdict[p] === 'ok' ? 'ok' : 'over'),
            comparison && c
              ? h(
                  'td',
                  { class: c.changeMs > 0 ? 'worse' : 'better' },
                  `${ms(c.beforeMs)} → ${c.changeShare === null ? '' : `${c.changeShare >= 0 ? '+' : ''}${(c.changeShare * 100).toFixed(0)} %`}`,
                )
              : null,
            result.uncorrectedLatencyMs ? h('td', { class: 'muted' }, ms(result.uncorrectedLatencyMs[p])) : null,
          );
        }),
        h('tr', {}, h('td', {}, 'max'), h('td', {}, ms(result.latencyMs.max))),
      ),
    ),
    comparison
      ? h(
          'p',
          { class: 'muted', 'data-testid': 'comparison' },
          `Compared with the run of ${comparison.before.startedAt}.`,
        )
      : h('p', { class: 'muted', 'data-testid': 'comparison' }, 'No earlier run of this URL to compare with.'),
    latencyChart(result.distribution, result.targetsMs, view.previousDistribution),
    result.redis ? redisSection(result) : null,
    view.savedPath ? h('p', {}, actionButton('Open the saved result', 'openSaved', { path: view.savedPath })) : null,
  );
}

function redisSection(result: LoadTestResult): VNode {
  const redis = result.redis!;
  if (redis.error)
    return h('section', {}, h('h3', {}, `Redis (${redis.target})`), h('p', { class: 'warning' }, redis.error));
  return h(
    'section',
    { 'data-testid': 'redis' },
    h('h3', {}, `Redis during the run (${redis.target})`),
    h(
      'p',
      {},
      `${redis.commands} commands` +
        (redis.commandsPerRequest === null ? '' : `, ${redis.commandsPerRequest.toFixed(2)} per request`) +
        (redis.hitRatio === null ? '' : `; hit ratio ${pct(redis.hitRatio)} (target > ${pct(redis.hitRatioTarget)})`),
    ),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'command'),
          h('th', {}, 'calls'),
          h('th', {}, 'per request'),
          h('th', {}, 'µs/call'),
          h('th', {}, ''),
        ),
      ),
      h(
        'tbody',
        {},
        redis.commandStats
          .slice(0, 12)
          .map((s) =>
            h(
              'tr',
              {},
              h('td', {}, h('code', {}, s.command)),
              h('td', {}, String(s.calls)),
              h('td', {}, s.perRequest === null ? '' : s.perRequest.toFixed(2)),
              h('td', {}, s.usecPerCall.toFixed(1)),
              h(
                'td',
                {},
                /^[A-Za-z|]{1,40}$/.test(s.command)
                  ? actionButton('Find in code', 'findInCode', { command: s.command })
                  : null,
              ),
            ),
          ),
      ),
    ),
    redis.slowlog.length > 0
      ? h(
          'details',
          { open: true },
          h('summary', {}, `${redis.slowlog.length} new SLOWLOG entries`),
          h(
            'ul',
            {},
            redis.slowlog
              .slice(0, 10)
              .map((e) =>
                h(
                  'li',
                  {},
                  h('code', {}, `${e.command} ${e.args.join(' ')}`),
                  ` ${(e.durationMicros / 1000).toFixed(2)} ms`,
                ),
              ),
          ),
        )
      : null,
  );
}

function hotTable(functions: ProfileResult['hotFunctions']): VNode {
  return h(
    'table',
    { 'data-testid': 'hot-functions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'function'),
        h('th', {}, 'where'),
        h('th', {}, 'self'),
        h('th', {}, 'self %'),
        h('th', {}, 'total'),
      ),
    ),
    h(
      'tbody',
      {},
      functions.map((f) =>
        h(
          'tr',
          { 'data-function': f.name },
          h('td', {}, h('code', {}, f.name)),
          h('td', {}, f.file ? openButton(f.file, f.hotLine ?? f.line) : ''),
          h('td', {}, ms(f.selfMs)),
          h('td', {}, `${f.selfPercent.toFixed(1)} %`),
          h('td', {}, ms(f.totalMs)),
        ),
      ),
    ),
  );
}

function profileView(view: Extract<ResultView, { kind: 'profile' }>): VNode {
  const { result } = view;
  return h(
    'section',
    { 'data-testid': 'profile' },
    h('h2', {}, `CPU profile: ${result.target}`),
    h(
      'p',
      { class: 'muted' },
      `${(result.durationMs / 1000).toFixed(1)} s, ${result.samples} samples, busy ${(result.busyMs / 1000).toFixed(1)} s` +
        (result.stoppedBy === 'exit' ? '; the script ended before the duration.' : '.'),
    ),
    hotTable(result.hotFunctions),
    result.profilePath
      ? h('p', {}, actionButton('Open the .cpuprofile (flame chart)', 'openSaved', { path: result.profilePath }))
      : null,
  );
}

function diagnosisView(view: Extract<ResultView, { kind: 'diagnosis' }>): VNode {
  const d: Diagnosis = view.diagnosis;
  return h(
    'section',
    { 'data-testid': 'diagnosis' },
    h('h2', {}, 'Diagnosis'),
    h('p', {}, h('em', {}, d.input.query)),
    h(
      'p',
      { 'data-testid': 'path' },
      h('strong', {}, d.path.length > 0 ? d.path.join(' → ') : 'No branch of the decision tree applies'),
    ),
    h(
      'ul',
      {},
      d.reasons.map((r) => h('li', {}, r)),
    ),
    d.remedy ? h('p', { class: 'remedy' }, `Remedy: ${d.remedy}`) : null,
    h(
      'h3',
      {},
      `Findings${d.findingsScope === 'workspace' ? ' (workspace)' : d.findingsScope === 'route' ? ' on this route' : ' in the hot files'}`,
    ),
    d.findings.length === 0
      ? h('p', { class: 'muted' }, 'No static finding for this leaf.')
      : h(
          'ul',
          { 'data-testid': 'findings' },
          d.findings.map((f) =>
            h(
              'li',
              {},
              openButton(f.file, f.line),
              ' ',
              h('code', {}, f.ruleId),
              ` ${f.message}`,
              f.fixes.length > 0 ? h('small', { class: 'muted' }, ` — fixes: ${f.fixes.join('; ')}`) : null,
            ),
          ),
        ),
    d.hotFunctions.length > 0 ? [h('h3', {}, 'Hot functions'), hotTable(d.hotFunctions)] : null,
    d.loadTest
      ? [
          h('h3', {}, 'Load test'),
          verdictBadge(d.loadTest),
          latencyChart(d.loadTest.distribution, d.loadTest.targetsMs, null),
        ]
      : null,
    view.savedPath ? h('p', {}, actionButton('Open the saved diagnosis', 'openSaved', { path: view.savedPath })) : null,
  );
}

export function renderResult(view: ResultView): VNode {
  switch (view.kind) {
    case 'empty':
      return h('p', { class: 'muted' }, 'No result yet: run a Perf Advisor profiling command.');
    case 'loadTest':
      return loadTestView(view);
    case 'profile':
      return profileView(view);
    case 'diagnosis':
      return diagnosisView(view);
  }
}
