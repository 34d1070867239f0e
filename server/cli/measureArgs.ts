// Arguments of the measuring commands (`loadtest`, `profile`, `redis-stats`): node:util parsing, numbers checked strictly, errors worded for people.
import { parseArgs } from 'node:util';

export const MEASURE_COMMANDS = ['loadtest', 'profile', 'redis-stats'] as const;
export type MeasureCommand = (typeof MEASURE_COMMANDS)[number];
export const isMeasureCommand = (name: string | undefined): name is MeasureCommand =>
  (MEASURE_COMMANDS as readonly string[]).includes(name ?? '');

export type Format = 'text' | 'json';

export interface LoadTestArgs {
  url: string;
  method?: string;
  headers: string[];
  body?: string;
  connections?: number;
  durationS?: number;
  requests?: number;
  rate?: number;
  timeoutS?: number;
  targets: { p50?: number; p95?: number; p99?: number; p999?: number };
  format: Format;
  redisUrl?: string;
  save: boolean;
}

export interface ProfileArgs {
  script?: string;
  scriptArgs: string[];
  attach?: string;
  durationS?: number;
  format: Format;
  output?: string;
  top?: number;
  loadUrl?: string;
  rate?: number;
  connections?: number;
}

export interface RedisStatsArgs {
  url: string;
  format: Format;
}

export type MeasureParse<T> = { ok: true; args: T } | { ok: false; message: string };

export const MEASURE_USAGE = `Measuring commands (they talk to a running service; exit codes: 0 within targets,
1 invalid input, 2 service or Redis unreachable after 3 attempts, 3 a target missed):

  perf-advisor loadtest <url> [--method M] [--header "K: V"]... [--body S]
                        [--connections N] [--duration S | --requests N] [--rate R]
                        [--timeout S] [--target-p50 MS] [--target-p95 MS] [--target-p99 MS]
                        [--target-p999 MS] [--redis redis://host:port] [--save] [--format text|json]
      --rate R is the skill's current_rps: a constant rate, and latencies corrected for
      coordinated omission. --save keeps the result in .perf-advisor/ and compares it
      with the previous run of the same URL.

  perf-advisor profile <script.js> [--duration S] [--top N] [--output FILE.cpuprofile]
                       [--load URL [--rate R] [--connections N]] [--format text|json] [-- script args]
  perf-advisor profile --attach host:port [--duration S] ...
      CPU-profiles a Node entry point (or a process started with --inspect) and maps the
      hottest functions to source through source maps.

  perf-advisor redis-stats [--url redis://[user@]host:port[/db]] [--format text|json]
      The Redis panel's figures once (password from PERF_ADVISOR_REDIS_PASSWORD or the URL).
`;

/** A strictly positive integer from a flag value ("10", not "10.5", "1e3" or "ten"). */
function integer(flag: string, value: string | undefined, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    errors.push(`${flag} must be a positive integer (got "${value}")`);
    return undefined;
  }
  return Number(value);
}

function format(value: string | undefined, errors: string[]): Format {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  errors.push(`--format must be one of text, json (got "${value}")`);
  return 'text';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Values as plain records: strings, string lists (multiple) and booleans, checked by the callers. */
function parse(argv: readonly string[], options: OptionSpec) {
  const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
}

function reword(error: unknown): string {
  const message = (error as Error).message;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `option ${missing[1].replace(/^-\w, /, '')} needs a value`;
  return message.split('\n')[0];
}

export function parseLoadTestArgs(argv: readonly string[]): MeasureParse<LoadTestArgs> {
  let parsed;
  try {
    parsed = parse(argv, {
      method: { type: 'string', short: 'm' },
      header: { type: 'string', short: 'H', multiple: true },
      body: { type: 'string', short: 'b' },
      connections: { type: 'string', short: 'c' },
      duration: { type: 'string', short: 'd' },
      requests: { type: 'string', short: 'n' },
      rate: { type: 'string', short: 'R' },
      timeout: { type: 'string' },
      'target-p50': { type: 'string' },
      'target-p95': { type: 'string' },
      'target-p99': { type: 'string' },
      'target-p999': { type: 'string' },
      redis: { type: 'string' },
      save: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
    });
  } catch (error) {
    return { ok: false, message: reword(error) };
  }
  const { values, positionals } = parsed;
  const errors: string[] = [];
  if (positionals.length !== 1)
    errors.push(positionals.length === 0 ? 'missing the URL to load-test' : `one URL only (got ${positionals.length})`);
  const v = values as Record<string, string | undefined>;
  const args: LoadTestArgs = {
    url: positionals[0] ?? '',
    method: v.method?.toUpperCase(),
    headers: (values.header as string[] | undefined) ?? [],
    body: v.body,
    connections: integer('--connections', v.connections, errors),
    durationS: integer('--duration', v.duration, errors),
    requests: integer('--requests', v.requests, errors),
    rate: integer('--rate', v.rate, errors),
    timeoutS: integer('--timeout', v.timeout, errors),
    targets: {
      p50: integer('--target-p50', v['target-p50'], errors),
      p95: integer('--target-p95', v['target-p95'], errors),
      p99: integer('--target-p99', v['target-p99'], errors),
      p999: integer('--target-p999', v['target-p999'], errors),
    },
    format: format(v.format, errors),
    redisUrl: v.redis,
    save: Boolean(values.save),
  };
  if (v.duration !== undefined && v.requests !== undefined) errors.push('give --duration or --requests, not both');
  return errors.length > 0 ? { ok: false, message: errors.join('; ') } : { ok: true, args };
}

export function parseProfileArgs(argv: readonly string[]): MeasureParse<ProfileArgs> {
  const separator = argv.indexOf('--');
  const own = separator >= 0 ? argv.slice(0, separator) : argv;
  const scriptArgs = separator >= 0 ? argv.slice(separator + 1) : [];
  let parsed;
  try {
    parsed = parse(own, {
      attach: { type: 'string', short: 'a' },
      duration: { type: 'string', short: 'd' },
      top: { type: 'string' },
      output: { type: 'string', short: 'o' },
      load: { type: 'string' },
      rate: { type: 'string', short: 'R' },
      connections: { type: 'string', short: 'c' },
      format: { type: 'string', short: 'f' },
    });
  } catch (error) {
    return { ok: false, message: reword(error) };
  }
  const { values, positionals } = parsed;
  const v = values as Record<string, string | undefined>;
  const errors: string[] = [];
  if (v.attach === undefined && positionals.length !== 1)
    errors.push(positionals.length === 0 ? 'missing the script to profile (or --attach host:port)' : 'one script only');
  if (v.attach !== undefined && positionals.length > 0) errors.push('give a script or --attach, not both');
  const args: ProfileArgs = {
    script: positionals[0],
    scriptArgs,
    attach: v.attach,
    durationS: integer('--duration', v.duration, errors),
    top: integer('--top', v.top, errors),
    format: format(v.format, errors),
    output: v.output,
    loadUrl: v.load,
    rate: integer('--rate', v.rate, errors),
    connections: integer('--connections', v.connections, errors),
  };
  return errors.length > 0 ? { ok: false, message: errors.join('; ') } : { ok: true, args };
}

export function parseRedisStatsArgs(argv: readonly string[]): MeasureParse<RedisStatsArgs> {
  let parsed;
  try {
    parsed = parse(argv, { url: { type: 'string', short: 'u' }, format: { type: 'string', short: 'f' } });
  } catch (error) {
    return { ok: false, message: reword(error) };
  }
  const errors: string[] = [];
  if (parsed.positionals.length > 0) errors.push(`unexpected argument "${parsed.positionals[0]}"`);
  const v = parsed.values as Record<string, string | undefined>;
  const args = { url: v.url ?? 'redis://127.0.0.1:6379', format: format(v.format, errors) };
  return errors.length > 0 ? { ok: false, message: errors.join('; ') } : { ok: true, args };
}
