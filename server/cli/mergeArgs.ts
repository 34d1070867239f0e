// Arguments of `perf-advisor merge <reports…>`: the shards' JSON or SARIF reports in, one report out.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { JsonReport } from './report';

/** The same levels as `check --fail-on` (args.ts imports this module, so they are taken from the report schema). */
const FailOn = JsonReport.shape.summary.shape.failOn;

export const MergeOptions = z.object({
  inputs: z.array(z.string().min(1, 'a report path must not be empty')).min(1, 'name at least one report to merge'),
  output: z.string().min(1, '--output needs a file name').optional(),
  /** Exit 3 when the merged report has a finding at or above this severity (as `check` does). */
  failOn: FailOn.default('warning'),
  quiet: z.boolean().default(false),
});
export type MergeOptions = z.infer<typeof MergeOptions>;

export const MERGE_USAGE = `Usage: perf-advisor merge <report> [report...] [options]

Merges the reports of the shards of one run (perf-advisor check --shard i/n) into one report, as if the
run had not been split: all JSON (--format json) or all SARIF (--format sarif), written in the same format.
Every shard 1..n must be given exactly once; reports of the same files from unsharded runs are refused.

Options:
  -o, --output <file>      write the merged report to a file instead of stdout
      --fail-on <level>    error | warning | info | none: exit 3 when a finding is at or above this
                           severity (default: warning)
  -q, --quiet              no summary line on stderr
  -h, --help               show this help

Exit codes: 0 merged, nothing at or above --fail-on; 1 invalid input; 3 findings at or above --fail-on
`;

export type ParsedMerge =
  { kind: 'merge'; options: MergeOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/** Parses the arguments after `merge`. */
export function parseMergeCommand(argv: readonly string[]): ParsedMerge {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: 'string', short: 'o' },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const unknown = /Unknown option '([^']+)'/.exec((error as Error).message);
    return {
      kind: 'error',
      message: unknown ? `merge: unknown option ${unknown[1]}` : `merge: ${(error as Error).message.split('\n')[0]!}`,
    };
  }
  if (parsed.values.help) return { kind: 'help' };
  const raw: Record<string, unknown> = {
    inputs: parsed.positionals,
    output: parsed.values.output,
    failOn: parsed.values['fail-on'],
    quiet: parsed.values.quiet,
  };
  for (const key of Object.keys(raw)) if (raw[key] === undefined) delete raw[key];
  const result = MergeOptions.safeParse(raw);
  if (result.success) return { kind: 'merge', options: result.data };
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  if (key === 'failOn' && issue.code === 'invalid_value' && 'values' in issue)
    return {
      kind: 'error',
      message: `merge: --fail-on must be one of ${issue.values.join(', ')} (got "${String(raw.failOn)}")`,
    };
  return { kind: 'error', message: `merge: ${issue.message}` };
}
