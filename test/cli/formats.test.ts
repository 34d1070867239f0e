// Report building and the three output formats over a hand-made engine result (no dependency on rule behaviour).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisResult, Finding, Span } from '../../server/engine';
import { buildReport, failsAt, JsonReport } from '../../server/cli/report';
import { formatText } from '../../server/cli/format/text';
import { formatSarif } from '../../server/cli/format/sarif';
import { codeFrame } from '../../server/cli/format/codeFrame';
import { colorPalette, plainPalette, shouldUseColor } from '../../server/cli/format/colors';
import { GitHubSarif } from './sarifSchema';

const ROOT = '/work/project';
const SOURCE = `export async function load(users) {\n  for (const u of users) {\n    await db.post.findMany({ where: { authorId: u.id } });\n  }\n}\n`;

/** The span of the `occurrence`-th match of `needle` in SOURCE, as the engine would give it. */
function spanOf(needle: string, file = `${ROOT}/src/load.ts`): Span {
  const start = SOURCE.indexOf(needle);
  assert.ok(start >= 0, needle);
  const end = start + needle.length;
  const position = (offset: number) => {
    const before = SOURCE.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };
  return { file, start, end, range: { start: position(start), end: position(end) } };
}

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'n-plus-one',
    messageId: 'sequential',
    message: '1 query per element of `users`: 101 round trips for 100 users',
    severity: 'warning',
    span: spanOf('db.post.findMany({ where: { authorId: u.id } })'),
    related: [{ span: spanOf('for (const u of users)'), message: 'loop over `users`' }],
    fixes: [],
    data: {},
    docsUrl: 'https://example.test/docs/n-plus-one.md',
    ...overrides,
  };
}

const result: AnalysisResult = {
  findings: [
    finding({
      ruleId: 'unbounded-read',
      severity: 'info',
      message: 'reads every post',
      span: spanOf('findMany'),
      docsUrl: 'https://example.test/docs/unbounded-read.md',
    }),
    finding({}),
  ],
  skipped: [{ path: `${ROOT}/src/generated.ts`, reason: 'too large (2.0 MB > 1024 KB limit)' }],
  unusedDirectives: [{ span: spanOf('users)'), rules: ['n-plus-one'] }],
  errors: [{ path: `${ROOT}/src/odd.ts`, message: 'analysis failed: boom' }],
};
const rules = [
  {
    id: 'n-plus-one',
    description: 'A round trip per element of a collection.',
    defaultSeverity: 'warning' as const,
    docsUrl: 'https://example.test/docs/n-plus-one.md',
  },
  {
    id: 'unbounded-read',
    description: 'A read whose size grows with the data.',
    defaultSeverity: 'warning' as const,
    docsUrl: 'https://example.test/docs/unbounded-read.md',
  },
];
const report = buildReport({
  root: ROOT,
  version: '1.2.3',
  failOn: 'warning',
  filesAnalyzed: 3,
  result,
  skipped: [{ path: `${ROOT}/vendor.min.js`, reason: 'minified (.min.js name)' }],
});
const sourceOf = (file: string) => (file === 'src/load.ts' ? SOURCE : undefined);

test('the report has relative paths, 1-based positions, stable order and counts', () => {
  assert.deepEqual(JsonReport.parse(report), report);
  assert.deepEqual(
    report.findings.map((f) => [f.ruleId, f.location]),
    [
      ['n-plus-one', { file: 'src/load.ts', line: 3, column: 11, endLine: 3, endColumn: 58 }],
      ['unbounded-read', { file: 'src/load.ts', line: 3, column: 19, endLine: 3, endColumn: 27 }],
    ],
  );
  assert.deepEqual(report.summary, {
    filesAnalyzed: 3,
    findings: { total: 2, error: 0, warning: 1, info: 1, hint: 0 },
    skipped: 2,
    unusedDirectives: 1,
    errors: 1,
    failOn: 'warning',
    failed: true,
    types: { enabled: false },
  });
  assert.deepEqual(
    report.skipped.map((s) => s.file),
    ['src/generated.ts', 'vendor.min.js'],
  );
  assert.equal(report.errors[0]!.file, 'src/odd.ts');
});

test('--fail-on compares severities: error > warning > info > hint; none never fails', () => {
  assert.deepEqual(
    ['error', 'warning', 'info', 'hint'].map((s) => failsAt(s as 'error', 'warning')),
    [true, true, false, false],
  );
  assert.deepEqual(
    ['error', 'warning', 'info', 'hint'].map((s) => failsAt(s as 'error', 'info')),
    [true, true, true, false],
  );
  assert.equal(failsAt('error', 'none'), false);
  assert.equal(failsAt('warning', 'error'), false);
});

test('text output groups by file with a code frame, related places, docs and a summary', () => {
  const text = formatText(report, { palette: plainPalette, quiet: false, sourceOf });
  const expectedFrame = [
    '    2 |   for (const u of users) {',
    '  > 3 |     await db.post.findMany({ where: { authorId: u.id } });',
    '      |           ' + '^'.repeat(47),
    '    4 |   }',
  ]
    .map((l) => `  ${l}`)
    .join('\n');
  assert.ok(
    text.startsWith(
      'src/load.ts\n  3:11  warning  1 query per element of `users`: 101 round trips for 100 users  n-plus-one\n',
    ),
    text,
  );
  assert.ok(text.includes(expectedFrame), text);
  assert.ok(text.includes('    ↳ src/load.ts:2:3 loop over `users`'));
  assert.ok(text.includes('    docs: https://example.test/docs/n-plus-one.md'));
  assert.ok(
    text.includes(
      'Skipped 2 files (1 too large, 1 minified):\n  src/generated.ts: too large (2.0 MB > 1024 KB limit)\n  vendor.min.js: minified (.min.js name)',
    ),
  );
  assert.ok(
    text.includes('Unused perf-advisor-ignore-next-line directive:\n  src/load.ts:1:28  silences nothing (n-plus-one)'),
  );
  assert.ok(text.includes('Could not analyse 1 file:\n  src/odd.ts: analysis failed: boom'));
  assert.ok(
    text
      .trimEnd()
      .endsWith(
        '3 files analysed, 2 findings (0 error, 1 warning, 1 info), 2 files skipped, 1 unused directive, 1 file error, without types — failing (--fail-on warning)',
      ),
  );
  assert.ok(!text.includes('\u001b['), 'no colour codes with the plain palette');
});

test('quiet text output has the findings only', () => {
  const text = formatText(report, { palette: plainPalette, quiet: true, sourceOf });
  assert.ok(text.includes('n-plus-one'));
  assert.ok(!text.includes('Skipped') && !text.includes('files analysed') && !text.includes('Unused'));
});

test('colours: on a TTY only, NO_COLOR wins, FORCE_COLOR forces', () => {
  assert.equal(shouldUseColor(true, {}), true);
  assert.equal(shouldUseColor(false, {}), false);
  assert.equal(shouldUseColor(true, { NO_COLOR: '1' }), false);
  assert.equal(shouldUseColor(true, { NO_COLOR: '' }), true);
  assert.equal(shouldUseColor(false, { FORCE_COLOR: '1' }), true);
  assert.equal(shouldUseColor(true, { FORCE_COLOR: '0' }), false);
  assert.equal(shouldUseColor(true, { TERM: 'dumb' }), false);
  assert.ok(
    formatText(report, { palette: colorPalette, quiet: false, sourceOf }).includes('\u001b[33mwarning\u001b[39m'),
  );
});

test('code frames: multi-line spans underline to the end of the line; long lines are windowed around the caret', () => {
  const multi = codeFrame(
    ['a', 'foo(bar,', '  baz)'],
    { file: 'x', line: 2, column: 1, endLine: 3, endColumn: 7 },
    plainPalette,
    '',
  );
  assert.equal(multi, '  1 | a\n> 2 | foo(bar,\n    | ^^^^^^^^\n  3 |   baz)');
  const long = `${'x'.repeat(500)}TARGET${'y'.repeat(500)}`;
  const frame = codeFrame([long], { file: 'x', line: 1, column: 501, endLine: 1, endColumn: 507 }, plainPalette, '');
  const [codeLine, caretLine] = frame.split('\n') as [string, string];
  assert.ok(
    codeLine.length < 200 && codeLine.includes('…xxx') && codeLine.includes('TARGETyyy') && codeLine.endsWith('…'),
  );
  assert.equal(caretLine.indexOf('^^^^^^'), codeLine.indexOf('TARGET'));
  assert.equal(codeFrame(['only'], { file: 'x', line: 5, column: 1, endLine: 5, endColumn: 2 }, plainPalette), '');
});

test('SARIF output satisfies the structure GitHub code scanning requires', () => {
  const sarif = GitHubSarif.parse(
    JSON.parse(formatSarif(report, { version: '1.2.3', informationUri: 'https://example.test', rules, sourceOf })),
  );
  const run = sarif.runs[0]!;
  assert.deepEqual(
    run.tool.driver.rules.map((r) => [r.id, r.helpUri, r.defaultConfiguration.level]),
    [
      ['n-plus-one', 'https://example.test/docs/n-plus-one.md', 'warning'],
      ['unbounded-read', 'https://example.test/docs/unbounded-read.md', 'warning'],
    ],
  );
  assert.deepEqual(
    run.results.map((r) => [r.ruleId, r.ruleIndex, r.level]),
    [
      ['n-plus-one', 0, 'warning'],
      ['unbounded-read', 1, 'note'],
    ],
  );
  assert.deepEqual(run.results[0]!.locations[0]!.physicalLocation, {
    artifactLocation: { uri: 'src/load.ts', uriBaseId: '%SRCROOT%' },
    region: { startLine: 3, startColumn: 11, endLine: 3, endColumn: 58 },
  });
  assert.equal(run.results[0]!.relatedLocations![0]!.message!.text, 'loop over `users`');
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, 'file:///work/project/');
  assert.deepEqual(
    run.invocations[0]!.toolExecutionNotifications!.map((n) => n.level),
    ['note', 'error', 'note', 'note'],
  );
  assert.equal(run.invocations[0]!.toolExecutionNotifications![0]!.message.text, 'Ran without types');
});

test('SARIF: rules missing from the catalog are added; fingerprints are stable and distinct', () => {
  const extra = buildReport({
    root: ROOT,
    version: '1',
    failOn: 'none',
    filesAnalyzed: 1,
    skipped: [],
    result: { ...result, findings: [finding({ ruleId: 'custom-rule' }), finding({}), finding({})] },
  });
  const sarif = GitHubSarif.parse(
    JSON.parse(formatSarif(extra, { version: '1.0.0', informationUri: 'https://example.test', rules, sourceOf })),
  );
  const run = sarif.runs[0]!;
  assert.deepEqual(
    run.tool.driver.rules.map((r) => r.id),
    ['n-plus-one', 'unbounded-read', 'custom-rule'],
  );
  const prints = run.results.map((r) => r.partialFingerprints['perfAdvisorFingerprint/v1']);
  assert.equal(new Set(prints).size, 3);
  const again = JSON.parse(
    formatSarif(extra, { version: '1.0.0', informationUri: 'https://example.test', rules, sourceOf }),
  );
  assert.deepEqual(
    again.runs[0].results.map(
      (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['perfAdvisorFingerprint/v1'],
    ),
    prints,
  );
});

test('SARIF escapes URIs of paths with spaces and special characters', () => {
  const spaced = buildReport({
    root: ROOT,
    version: '1',
    failOn: 'none',
    filesAnalyzed: 1,
    skipped: [],
    result: { ...result, findings: [finding({ span: spanOf('findMany', `${ROOT}/my src/a#b.ts`) })] },
  });
  const sarif = GitHubSarif.parse(
    JSON.parse(formatSarif(spaced, { version: '1.0.0', informationUri: 'https://example.test', rules, sourceOf })),
  );
  assert.equal(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'my%20src/a%23b.ts');
});
