// Command-line arguments of `perf-advisor`: parsed with node:util, validated with zod, errors worded for people.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MAX_THREADS, parseShard } from '../scan/partition';
import { parseMergeCommand, type MergeOptions } from './mergeArgs';

export const OutputFormat = z.enum(['text', 'json', 'sarif']);
export type OutputFormat = z.infer<typeof OutputFormat>;
export const FailOn = z.enum(['error', 'warning', 'info', 'none']);
export type FailOn = z.infer<typeof FailOn>;

/** Whether `check` consults the TypeScript checker unless told: see docs/cli.md for the measurements behind it. */
export const TYPES_BY_DEFAULT = false;

export const CheckOptions = z.object({
  paths: z.array(z.string().min(1, 'a path must not be empty')).default(['.']),
  format: OutputFormat.default('text'),
  output: z.string().min(1, '--output needs a file name').optional(),
  failOn: FailOn.default('warning'),
  config: z.string().min(1, '--config needs a file name').optional(),
  quiet: z.boolean().default(false),
  /** Ask the TypeScript checker about receivers syntax cannot place (`--types` / `--no-types`). */
  types: z.boolean().default(TYPES_BY_DEFAULT),
  /** Analysis threads; 0 = one per available core (or the config file's `scan.threads`). */
  jobs: z
    .string()
    .regex(/^\s*\d+\s*$/, 'must be a whole number: 0 (automatic) or more')
    .transform(Number)
    .pipe(z.number().max(MAX_THREADS, `must be at most ${MAX_THREADS}`))
    .optional(),
  /** This run's part of a CI matrix: only files of shard `index` of `count` are reported. */
  shard: z
    .string()
    .transform((text, ctx) => {
      const shard = parseShard(text);
      if ('error' in shard) {
        ctx.addIssue({ code: 'custom', message: shard.error });
        return z.NEVER;
      }
      return shard;
    })
    .optional(),
});
export type CheckOptions = z.infer<typeof CheckOptions>;

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'check'; options: CheckOptions }
  | { kind: 'merge'; options: MergeOptions }
  | { kind: 'mergeHelp' }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: perf-advisor check [paths...] [options]

Finds N+1 queries, unpooled connections, unbounded reads, missing caches and Redis misuse
in TypeScript/JavaScript backends.

Arguments:
  paths                    files or directories to analyse (default: .)

Options:
  -f, --format <format>    text | json | sarif (default: text)
  -o, --output <file>      write the report to a file instead of stdout
      --fail-on <level>    error | warning | info | none: exit 3 when a finding is at or
                           above this severity (default: warning)
  -c, --config <file>      configuration file (default: perf-advisor.config.json or
                           .perf-advisorrc.json in the current directory, if present)
  -j, --jobs <n>           analysis threads (default: the config file's scan.threads, else 0 =
                           automatic, one for now); findings are the same for any n
      --shard <i/n>        report only shard i of n (a CI matrix job); every file is still read
                           for cross-file facts, so a file's findings never depend on the shard
      --types, --no-types  ask the TypeScript checker (each file's nearest tsconfig) what a
                           receiver is where syntax cannot tell (default: off); the report
                           says whether it ran with or without types
  -q, --quiet              print findings only: no progress, skip notices or summary
  -h, --help               show this help
  -v, --version            print the version

Merging the reports of shards: perf-advisor merge --help

Measuring a running service: perf-advisor loadtest | profile | redis-stats --help

Exit codes:
  0  no finding at or above --fail-on
  1  invalid input: bad flag, missing path, bad configuration file
  2  metrics unavailable (reserved for commands that need a live Redis)
  3  findings at or above --fail-on
`;

const optionSpec = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string', short: 'c' },
  quiet: { type: 'boolean', short: 'q' },
  types: { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  shard: { type: 'string' },
  'no-types': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Rewords node:util's parse errors into one short sentence. */
function describeParseError(error: Error): string {
  const message = error.message;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${missing[1]!.replace(/^-\w, /, '')} needs a value`;
  const notBoolean = /Option '([^']+)' does not take an argument/.exec(message);
  if (notBoolean) return `option ${notBoolean[1]!.replace(/^-\w, /, '')} does not take a value`;
  return message.split('\n')[0]!;
}

/** Explains a zod issue in terms of the flag the user typed. */
function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string {
  const key = String(issue.path[0] ?? '');
  const flag = key === 'failOn' ? '--fail-on' : key === 'paths' ? 'path' : `--${key}`;
  if (issue.code === 'custom') return issue.message;
  if (key === 'jobs') return `--jobs ${issue.message} (got "${String(raw[key])}")`;
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `${flag} must be one of ${issue.values.join(', ')} (got "${String(raw[key])}")`;
  }
  return `${flag}: ${issue.message}`;
}

/** Parses `argv` (without node and the script path). */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  if (argv[0] === 'merge') {
    const merge = parseMergeCommand(argv.slice(1));
    return merge.kind === 'help' ? { kind: 'mergeHelp' } : merge;
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpec; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'error', message: describeParseError(error as Error) };
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return { kind: 'help' };
  if (command === undefined) return { kind: 'error', message: 'missing command (did you mean "perf-advisor check"?)' };
  if (command !== 'check')
    return {
      kind: 'error',
      message: `unknown command "${command}" (commands: check, merge, loadtest, profile, redis-stats)`,
    };
  const raw: Record<string, unknown> = {
    paths: rest.length > 0 ? rest : undefined,
    format: values.format,
    output: values.output,
    failOn: values['fail-on'],
    config: values.config,
    quiet: values.quiet,
    types: values['no-types'] ? false : values.types,
    jobs: values.jobs,
    shard: values.shard,
  };
  if (values.types && values['no-types'])
    return { kind: 'error', message: '--types and --no-types contradict each other' };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  const result = CheckOptions.safeParse(raw);
  if (!result.success)
    return { kind: 'error', message: result.error.issues.map((issue) => describeIssue(issue, raw)).join('; ') };
  return { kind: 'check', options: result.data };
}
