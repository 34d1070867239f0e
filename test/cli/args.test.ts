// Argument parsing: defaults, every flag, and a clear one-line error for each kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine } from '../../server/cli/args';

test('check with no arguments uses the defaults', () => {
  assert.deepEqual(parseCommandLine(['check']), {
    kind: 'check',
    options: { paths: ['.'], format: 'text', failOn: 'warning', quiet: false, types: false },
  });
});

test('check takes paths and every option, long and short', () => {
  const parsed = parseCommandLine([
    'check',
    'src',
    'lib/a.ts',
    '--format',
    'sarif',
    '-o',
    'out.sarif',
    '--fail-on',
    'error',
    '-c',
    'cfg.json',
    '-q',
    '--types',
  ]);
  assert.deepEqual(parsed, {
    kind: 'check',
    options: {
      paths: ['src', 'lib/a.ts'],
      format: 'sarif',
      output: 'out.sarif',
      failOn: 'error',
      config: 'cfg.json',
      quiet: true,
      types: true,
    },
  });
  assert.deepEqual(parseCommandLine(['check', '--format=json', '--fail-on=none']), {
    kind: 'check',
    options: { paths: ['.'], format: 'json', failOn: 'none', quiet: false, types: false },
  });
});

test('--help and --version win over everything else', () => {
  assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['check', '-h']), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['help']), { kind: 'help' });
  assert.deepEqual(parseCommandLine(['--version']), { kind: 'version' });
  assert.deepEqual(parseCommandLine(['check', 'src', '-v']), { kind: 'version' });
});

const errorOf = (argv: string[]) => {
  const parsed = parseCommandLine(argv);
  assert.equal(parsed.kind, 'error');
  return (parsed as { message: string }).message;
};

test('bad input gets a one-line message naming the flag', () => {
  assert.equal(errorOf(['check', '--format', 'xml']), '--format must be one of text, json, sarif (got "xml")');
  assert.equal(
    errorOf(['check', '--fail-on', 'fatal']),
    '--fail-on must be one of error, warning, info, none (got "fatal")',
  );
  assert.equal(errorOf(['check', '--bogus']), 'unknown option --bogus');
  assert.equal(errorOf(['check', '--format']), 'option --format <value> needs a value');
  assert.equal(errorOf(['check', '--quiet=yes']), 'option --quiet does not take a value');
  assert.equal(errorOf(['check', '--output', '']), '--output: --output needs a file name');
  assert.equal(errorOf(['check', '']), 'path: a path must not be empty');
});

test('a missing or unknown command is an error', () => {
  assert.match(errorOf([]), /missing command/);
  assert.match(errorOf(['lint', 'src']), /unknown command "lint"/);
});

test('--no-types turns types off, and --types with --no-types is an error', () => {
  const types = (argv: string[]) => {
    const parsed = parseCommandLine(['check', ...argv]);
    return parsed.kind === 'check' ? parsed.options.types : parsed;
  };
  assert.equal(types([]), false);
  assert.equal(types(['--types']), true);
  assert.equal(types(['--no-types']), false);
  assert.deepEqual(types(['--types', '--no-types']), {
    kind: 'error',
    message: '--types and --no-types contradict each other',
  });
});
