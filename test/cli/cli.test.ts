// End to end: the built CLI (node dist/cli.js) as a child process over temp projects — exit codes, formats, bad input that must not crash it.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonReport } from '../../server/cli/report';
import { GitHubSarif } from './sarifSchema';
import {
  disposeBuiltCli,
  ensureBuiltCli,
  runCli,
  tempProject,
  N_PLUS_ONE_SOURCE,
  UNBOUNDED_READ_SOURCE,
  type CliRun,
} from './cliProcess';

const dirs: string[] = [];
function project(files: Record<string, string | Buffer>): string {
  const dir = tempProject(files);
  dirs.push(dir);
  return dir;
}
before(() => ensureBuiltCli());
after(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  disposeBuiltCli();
});

/** No stack trace and no internal error ever reaches the user. */
function assertNoCrash(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at .+:\d+:\d+/, run.stderr);
  assert.ok(run.status === 0 || run.status === 1 || run.status === 3, `exit code ${run.status}\n${run.stderr}`);
}

const jsonOf = (run: CliRun) => JsonReport.parse(JSON.parse(run.stdout));

describe('exit codes and messages for invalid input (1)', () => {
  test('--help and --version exit 0 on stdout', () => {
    const dir = project({});
    const help = runCli(['--help'], dir);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: perf-advisor check \[paths\.\.\.\]/);
    assert.match(help.stdout, /2 {2}metrics unavailable/);
    const version = runCli(['--version'], dir);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      'an unknown flag',
      ['check', '--colour'],
      {},
      /^perf-advisor: unknown option --colour\nRun "perf-advisor --help" for usage\.\n$/,
    ],
    ['a bad --format', ['check', '--format', 'html'], {}, /--format must be one of text, json, sarif \(got "html"\)/],
    ['a bad --fail-on', ['check', '--fail-on', 'critical'], {}, /--fail-on must be one of error, warning, info, none/],
    [
      'a missing path',
      ['check', 'src', 'nope'],
      { 'src/a.ts': '' },
      /^perf-advisor: cannot analyse "nope": no such file or directory\n$/,
    ],
    [
      'a missing --config file',
      ['check', '--config', 'cfg.json'],
      {},
      /^perf-advisor: config file not found: cfg\.json\n$/,
    ],
    [
      'a config file with bad JSON',
      ['check'],
      { 'perf-advisor.config.json': '{ rules: }' },
      /^perf-advisor: perf-advisor\.config\.json: invalid JSON \(/,
    ],
    [
      'a config field of the wrong type',
      ['check'],
      { '.perf-advisorrc.json': '{"thresholds":{"maxFileSizeKb":"big"}}' },
      /\.perf-advisorrc\.json: invalid configuration\n {2}thresholds\.maxFileSizeKb: /,
    ],
    [
      'an unknown config field',
      ['check'],
      { 'perf-advisor.config.json': '{"excludes":["x"]}' },
      /perf-advisor\.config\.json: unknown setting "excludes"/,
    ],
    ['no command', [], {}, /missing command/],
  ];
  for (const [name, args, files, message] of cases) {
    test(`${name} exits 1 with a clear message`, () => {
      const run = runCli(args, project(files));
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assertNoCrash(run);
    });
  }

  test('an unwritable --output path exits 1', () => {
    const dir = project({ 'a.ts': 'export const a = 1;\n', blocker: 'a file, not a directory' });
    const run = runCli(['check', '--output', 'blocker/report.txt'], dir);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^perf-advisor: cannot write --output "blocker\/report\.txt": (ENOTDIR|EEXIST)\n$/);
  });
});

describe('bad files never crash the CLI', () => {
  test('a directory of syntax errors is analysed without a crash', () => {
    const dir = project({
      'src/unclosed.ts': 'export function f( {\n  const x = `unterminated ${\n',
      'src/merge.ts': '<<<<<<< HEAD\nconst a = 1;\n=======\nconst a = 2;\n>>>>>>> branch\n',
      'src/garbage.js': ')))} ]]] @@@ #!# for while if (((( => => =>\n',
      'src/jsx.tsx': 'export const A = () => <div><span></div>;\n',
      'src/deep.js': `${'(\n'.repeat(5000)}1${')\n'.repeat(5000)};\n`,
      'src/classes.ts': 'class { constructor( private ) } enum { } interface extends {}\n',
    });
    const run = runCli(['check', 'src', '--fail-on', 'none'], dir);
    assertNoCrash(run);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^6 files analysed, 0 findings/m);
  });

  test('binary files with source names are skipped with a notice', () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.alloc(2000, 7),
    ]);
    const dir = project({ 'image.js': png, 'ok.ts': 'export const ok = true;\n' });
    const run = runCli(['check'], dir);
    assertNoCrash(run);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /Skipped 1 file \(1 binary\):\n {2}image\.js: binary \(contains NUL bytes\)/);
    assert.match(run.stdout, /^1 file analysed, 0 findings .*1 file skipped/m);
  });

  test('a 5 MB minified bundle is skipped for its size, or as minified when the limit allows it', () => {
    const bundle = `!function(){${'var a=function(b){return b+1};'.repeat(180_000)}}();`;
    assert.ok(bundle.length > 5 * 1024 * 1024);
    const dir = project({
      'public/app.js': bundle,
      'src/a.ts': 'export const a = 1;\n',
      'big.json': '{"thresholds":{"maxFileSizeKb":8192}}',
    });
    const bySize = runCli(['check'], dir);
    assertNoCrash(bySize);
    assert.match(bySize.stdout, /public\/app\.js: too large \(5\.\d MB > 1024 KB limit\)/);
    const byShape = runCli(['check', '--config', 'big.json'], dir);
    assertNoCrash(byShape);
    assert.match(byShape.stdout, /public\/app\.js: minified \(average line length \d+ > 500\)/);
  });

  test('an empty file is analysed and reports nothing', () => {
    const run = runCli(['check', 'empty.ts'], project({ 'empty.ts': '' }));
    assertNoCrash(run);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^1 file analysed, 0 findings/m);
  });

  test('a symlink loop is reported and the walk finishes', () => {
    const dir = project({ 'src/a.ts': 'export const a = 1;\n' });
    symlinkSync(dir, join(dir, 'src', 'loop'));
    symlinkSync(join(dir, 'gone'), join(dir, 'src', 'dangling.ts'));
    const run = runCli(['check', '--format', 'json'], dir);
    assertNoCrash(run);
    const report = jsonOf(run);
    assert.equal(report.summary.filesAnalyzed, 1);
    assert.deepEqual(
      report.skipped.map((s) => `${s.file}: ${s.reason.replace(/ \(.*/, '')}`),
      ['src/dangling.ts: broken symbolic link', 'src/loop: symbolic link loop'],
    );
    assert.match(run.stderr, /^1 file analysed, 0 findings \(.*\), 2 files skipped/);
  });

  test('an empty directory is not an error', () => {
    const run = runCli(['check'], project({ 'README.md': '# nothing to analyse\n' }));
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^0 files analysed, 0 findings/m);
  });
});

describe('findings, formats and --fail-on', () => {
  const files = {
    'src/posts.ts': N_PLUS_ONE_SOURCE,
    'src/cache.ts': UNBOUNDED_READ_SOURCE,
    'node_modules/dep/index.js': N_PLUS_ONE_SOURCE,
    '.gitignore': 'generated/\n',
    'generated/posts.ts': N_PLUS_ONE_SOURCE,
  };

  test('text output shows the n-plus-one with a code frame and exits 3 at the default --fail-on warning', () => {
    const run = runCli(['check'], project(files));
    assertNoCrash(run);
    assert.equal(run.status, 3, run.stdout + run.stderr);
    assert.match(run.stdout, /^src\/posts\.ts\n {2}7:\d+ {2}(warning|error) {2}.+ {2}n-plus-one$/m);
    assert.match(run.stdout, /> 7 \| {5}all\.push\(await prisma\.post\.findMany/);
    assert.match(run.stdout, /^src\/cache\.ts\n {2}4:\d+ {2}\w+ {2}.+ {2}unbounded-read$/m);
    assert.match(run.stdout, /^2 files analysed, /m);
    assert.doesNotMatch(run.stdout, /node_modules|generated/);
    assert.doesNotMatch(run.stdout, /\u001b\[/, 'no colours in a pipe');
  });

  test('--fail-on decides the exit code', () => {
    const dir = project(files);
    assert.equal(runCli(['check', '--fail-on', 'none'], dir).status, 0);
    assert.equal(runCli(['check', '--fail-on', 'info'], dir).status, 3);
    const report = jsonOf(runCli(['check', '--format', 'json', '--fail-on', 'none'], dir));
    const worst = report.findings.some((f) => f.severity === 'error');
    assert.equal(runCli(['check', '--fail-on', 'error'], dir).status, worst ? 3 : 0);
  });

  test('JSON output follows the documented schema', () => {
    const run = runCli(['check', '--format', 'json'], project(files));
    assert.equal(run.status, 3);
    const report = jsonOf(run);
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))].sort(), ['n-plus-one', 'unbounded-read']);
    const nPlusOne = report.findings.find((f) => f.ruleId === 'n-plus-one')!;
    assert.equal(nPlusOne.location.file, 'src/posts.ts');
    assert.equal(nPlusOne.location.line, 7);
    assert.match(nPlusOne.docsUrl, /n-plus-one/);
    assert.equal(report.summary.filesAnalyzed, 2);
    assert.match(run.stderr, /^2 files analysed, \d+ findings/);
  });

  test('SARIF output is accepted by the GitHub code scanning structure, written with --output', () => {
    const dir = project(files);
    const run = runCli(['check', '--format', 'sarif', '--output', 'reports/perf.sarif'], dir);
    assert.equal(run.status, 3);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /report written to reports\/perf\.sarif/);
    const sarif = GitHubSarif.parse(JSON.parse(readFileSync(join(dir, 'reports', 'perf.sarif'), 'utf8')));
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'n-plus-one')!;
    assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uri, 'src/posts.ts');
    assert.equal(result.locations[0]!.physicalLocation.region.startLine, 7);
    assert.ok(
      sarif.runs[0]!.tool.driver.rules.some((r) => r.id === 'n-plus-one' && r.helpUri.endsWith('n-plus-one.md')),
    );
  });

  test('config: a disabled rule and an exclude glob are honoured', () => {
    const dir = project({
      ...files,
      'perf-advisor.config.json': JSON.stringify({
        rules: { 'unbounded-read': { enabled: false } },
        exclude: ['src/cache.ts'],
      }),
    });
    const report = jsonOf(runCli(['check', '--format', 'json', '--fail-on', 'none'], dir));
    assert.equal(report.summary.filesAnalyzed, 1);
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))], ['n-plus-one']);
  });

  test('an unused ignore directive is reported in the summary', () => {
    const source = `// perf-advisor-ignore-next-line n-plus-one\nexport const nothing = 1;\n${N_PLUS_ONE_SOURCE}`;
    const run = runCli(['check', '--fail-on', 'none'], project({ 'a.ts': source }));
    assert.match(
      run.stdout,
      /Unused perf-advisor-ignore-next-line directive:\n {2}a\.ts:1:\d+ {2}silences nothing \(n-plus-one\)/,
    );
    assert.match(run.stdout, /, 1 unused directive,/);
  });

  test('--quiet prints findings only; colours appear only when forced and not disabled', () => {
    const dir = project(files);
    const quiet = runCli(['check', '--quiet', '--format', 'json'], dir);
    assert.equal(quiet.stderr, '');
    const forced = runCli(['check'], dir, { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\u001b\[33m|\u001b\[31m/);
    const disabled = runCli(['check'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' });
    assert.doesNotMatch(disabled.stdout, /\u001b\[/);
  });

  test('no progress line is written when stderr is a pipe', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 300; i++) many[`src/f${i}.ts`] = N_PLUS_ONE_SOURCE;
    const run = runCli(['check', '--format', 'json', '--fail-on', 'none'], project(many));
    assert.doesNotMatch(run.stderr, /analysing|\r/);
    assert.equal(jsonOf(run).summary.filesAnalyzed, 300);
  });

  test('a file given twice, or through a link, is analysed once', () => {
    const dir = project({ 'src/posts.ts': N_PLUS_ONE_SOURCE });
    symlinkSync(join(dir, 'src'), join(dir, 'alias'));
    writeFileSync(join(dir, 'x.ts'), 'export {};\n');
    const report = jsonOf(
      runCli(['check', 'src', 'src/posts.ts', 'alias', '--format', 'json', '--fail-on', 'none'], dir),
    );
    assert.equal(report.summary.filesAnalyzed, 1);
  });
});

describe('with and without types (--types / --no-types)', () => {
  const files = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, module: 'commonjs' },
      extends: './missing.json',
    }),
    'src/posts.ts': N_PLUS_ONE_SOURCE,
    'src/unclosed.ts': 'export function f( {\n  const x = `unterminated ${\n',
    'src/deep.ts': `export const x = ${'(\n'.repeat(20000)}1${')\n'.repeat(20000)};\n`,
    'src/odd.ts':
      'export function f(constructor: { toString(): string }, __proto__: string[]) {\n' +
      '  for (const valueOf of __proto__) constructor.toString.call(valueOf).hasOwnProperty(valueOf);\n}\n',
    'public/app.min.js': 'var a=1;',
  };

  test('every output says which; bad files keep their own messages and stop nothing', () => {
    const dir = project(files);
    for (const flag of ['--types', '--no-types']) {
      const text = runCli(['check', flag, '--fail-on', 'none'], dir);
      assertNoCrash(text);
      assert.match(text.stdout, flag === '--types' ? /, with types \(1 tsconfig project, / : /, without types$/m);
      const report = jsonOf(runCli(['check', flag, '--format', 'json', '--fail-on', 'none'], dir));
      assert.equal(report.summary.types.enabled, flag === '--types');
      if (report.summary.types.enabled) {
        assert.deepEqual(report.summary.types.projects, ['tsconfig.json']);
        assert.match(report.summary.types.problems.join('\n'), /missing\.json/);
      }
      assert.deepEqual(
        report.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`),
        ['src/posts.ts:7 n-plus-one'],
      );
      assert.deepEqual(
        report.errors.map((e) => e.file),
        ['src/deep.ts'],
      );
      assert.match(report.errors[0]!.message, /^could not parse: /);
      assert.deepEqual(report.skipped, [{ file: 'public/app.min.js', reason: 'minified (.min.js name)' }]);
      const sarif = JSON.parse(runCli(['check', flag, '--format', 'sarif', '--fail-on', 'none'], dir).stdout) as {
        runs: {
          invocations: {
            properties: { types: { enabled: boolean } };
            toolExecutionNotifications: { message: { text: string } }[];
          }[];
        }[];
      };
      GitHubSarif.parse(sarif);
      const invocation = sarif.runs[0]!.invocations[0];
      assert.equal(invocation?.properties?.types?.enabled, flag === '--types');
      assert.ok(
        invocation?.toolExecutionNotifications?.some((n) =>
          n.message.text.startsWith(flag === '--types' ? 'Ran with types' : 'Ran without types'),
        ),
      );
    }
  });

  test('--types and --no-types together are an error', () => {
    const run = runCli(['check', '--types', '--no-types'], project({ 'a.ts': '' }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /--types and --no-types contradict each other/);
  });
});
