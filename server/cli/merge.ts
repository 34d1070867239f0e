// `perf-advisor merge`: the JSON or SARIF reports of a run's shards joined into the report the unsplit run writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { CliIo } from './run';
import type { MergeOptions } from './mergeArgs';
import { byFile, compareFindings, compareLocations, failsAt, JsonReport, type ReportTypes } from './report';
import { fileOfUri } from './format/sarif';
import { colorPalette, plainPalette, shouldUseColor } from './format/colors';
import { summaryLine } from './format/text';

/** The parts of a SARIF log `merge` reads; everything else is kept as the first shard wrote it. */
const SarifResult = z.looseObject({
  ruleId: z.string(),
  level: z.enum(['error', 'warning', 'note', 'none']),
  locations: z
    .array(
      z.looseObject({
        physicalLocation: z.looseObject({
          artifactLocation: z.looseObject({ uri: z.string() }),
          region: z.looseObject({ startLine: z.number().int(), startColumn: z.number().int() }),
        }),
      }),
    )
    .min(1),
});
type SarifResult = z.infer<typeof SarifResult>;

const Notification = z.looseObject({
  level: z.string(),
  message: z.looseObject({ text: z.string() }),
  locations: z
    .array(z.looseObject({ physicalLocation: z.looseObject({ artifactLocation: z.looseObject({ uri: z.string() }) }) }))
    .optional(),
});
type Notification = z.infer<typeof Notification>;

const Shard = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });

const SarifLog = z.looseObject({
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.looseObject({
        tool: z.looseObject({
          driver: z.looseObject({
            name: z.literal('perf-advisor'),
            version: z.string(),
            rules: z.array(z.looseObject({ id: z.string() })),
          }),
        }),
        invocations: z
          .array(
            z.looseObject({
              properties: z.looseObject({ types: z.unknown(), shard: Shard.optional() }),
              toolExecutionNotifications: z.array(Notification),
            }),
          )
          .length(1, 'one invocation per run'),
        results: z.array(SarifResult),
      }),
    )
    .length(1, 'one run (as perf-advisor check writes it)'),
});
type SarifLog = z.infer<typeof SarifLog>;

type Input = { file: string; kind: 'json'; report: JsonReport } | { file: string; kind: 'sarif'; log: SarifLog };

class MergeError extends Error {}

export function runMerge(options: MergeOptions, io: CliIo): number {
  let merged: { text: string; failed: boolean; summary?: string };
  try {
    const inputs = options.inputs.map((file) => readInput(resolve(io.cwd, file), file));
    const kinds = new Set(inputs.map((i) => i.kind));
    if (kinds.size > 1) throw new MergeError('cannot merge JSON with SARIF reports: give all of one format');
    checkShards(inputs);
    merged =
      inputs[0]!.kind === 'json'
        ? mergeJson(inputs as Extract<Input, { kind: 'json' }>[], options, io)
        : mergeSarif(inputs as Extract<Input, { kind: 'sarif' }>[], options);
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    io.stderr.write(`perf-advisor: merge: ${error.message}\n`);
    return 1;
  }
  if (options.output !== undefined) {
    try {
      const target = resolve(io.cwd, options.output);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, merged.text);
    } catch (error) {
      io.stderr.write(`perf-advisor: merge: cannot write --output "${options.output}": ${(error as Error).message}\n`);
      return 1;
    }
  } else io.stdout.write(merged.text);
  if (!options.quiet && merged.summary) io.stderr.write(`${merged.summary}\n`);
  return merged.failed ? 3 : 0;
}

function readInput(path: string, shown: string): Input {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MergeError(
      `cannot read "${shown}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MergeError(`"${shown}" is not JSON: give the reports check wrote with --format json or --format sarif`);
  }
  const describe = (error: z.ZodError) => {
    const issue = error.issues[0]!;
    return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
  };
  if (typeof raw === 'object' && raw !== null && 'schemaVersion' in raw) {
    const parsed = JsonReport.safeParse(raw);
    if (!parsed.success)
      throw new MergeError(`"${shown}" is not a perf-advisor JSON report (${describe(parsed.error)})`);
    return { file: shown, kind: 'json', report: parsed.data };
  }
  const parsed = SarifLog.safeParse(raw);
  if (!parsed.success)
    throw new MergeError(`"${shown}" is neither a perf-advisor JSON report nor its SARIF (${describe(parsed.error)})`);
  // The log as written, not as parsed: parsing moves the keys it does not know to the end of each object.
  return { file: shown, kind: 'sarif', log: raw as SarifLog };
}

function shardOf(input: Input): z.infer<typeof Shard> | undefined {
  return input.kind === 'json' ? input.report.summary.shard : input.log.runs[0]!.invocations[0]!.properties.shard;
}

function versionOf(input: Input): string {
  return input.kind === 'json' ? input.report.tool.version : input.log.runs[0]!.tool.driver.version;
}

/** Every shard 1..n exactly once, all of one split and one perf-advisor version: else the union is not the run. */
function checkShards(inputs: Input[]): void {
  const versions = new Set(inputs.map(versionOf));
  if (versions.size > 1)
    throw new MergeError(`the reports come from different perf-advisor versions (${[...versions].join(', ')})`);
  const seen = new Map<number, string>();
  let count: number | undefined;
  for (const input of inputs) {
    const shard = shardOf(input);
    if (!shard) throw new MergeError(`"${input.file}" is not the report of a shard (run check with --shard i/n)`);
    if (count !== undefined && shard.count !== count)
      throw new MergeError(`"${input.file}" is shard ${shard.index}/${shard.count}, the others are of ${count}`);
    count = shard.count;
    const twin = seen.get(shard.index);
    if (twin) throw new MergeError(`"${twin}" and "${input.file}" are both shard ${shard.index}/${shard.count}`);
    seen.set(shard.index, input.file);
  }
  const missing = Array.from({ length: count! }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new MergeError(
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`,
    );
}

function mergeJson(inputs: { report: JsonReport }[], options: MergeOptions, io: CliIo) {
  const reports = inputs.map((i) => i.report);
  const findings = reports.flatMap((r) => r.findings).sort(compareFindings);
  const counts = { total: findings.length, error: 0, warning: 0, info: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity]++;
  const skipped = reports.flatMap((r) => r.skipped).sort(byFile);
  const unusedDirectives = reports
    .flatMap((r) => r.unusedDirectives)
    .sort((a, b) => compareLocations(a.location, b.location));
  const errors = reports.flatMap((r) => r.errors).sort(byFile);
  const report: JsonReport = {
    schemaVersion: 1,
    tool: reports[0]!.tool,
    root: reports[0]!.root,
    summary: {
      filesAnalyzed: reports.reduce((sum, r) => sum + r.summary.filesAnalyzed, 0),
      findings: counts,
      skipped: skipped.length,
      unusedDirectives: unusedDirectives.length,
      errors: errors.length,
      failOn: options.failOn,
      failed: findings.some((f) => failsAt(f.severity, options.failOn)),
      types: mergeTypes(reports.map((r) => r.summary.types)),
    },
    findings,
    skipped,
    unusedDirectives,
    errors,
  };
  const colored = shouldUseColor(Boolean(io.stderr.isTTY), io.env);
  return {
    text: `${JSON.stringify(report, null, 2)}\n`,
    failed: report.summary.failed,
    summary: `${summaryLine(report, colored ? colorPalette : plainPalette)} (merged from ${reports.length} shards)`,
  };
}

/** The checker's work over the shards, added up (each shard asks only about its own files). */
function mergeTypes(all: ReportTypes[]): ReportTypes {
  if (all.some((t) => t.enabled !== all[0]!.enabled))
    throw new MergeError('some shards ran with --types and some without: their findings differ');
  let total = all[0]!;
  for (const one of all.slice(1)) {
    if (!total.enabled || !one.enabled) continue;
    total = {
      enabled: true,
      asked: total.asked + one.asked,
      resolved: total.resolved + one.resolved,
      projects: [...new Set([...total.projects, ...one.projects])],
      problems: [...new Set([...total.problems, ...one.problems])],
    };
  }
  return total;
}

const SARIF_FAILS: Record<SarifResult['level'], 'error' | 'warning' | 'info' | 'hint'> = {
  error: 'error',
  warning: 'warning',
  note: 'info',
  none: 'hint',
};

function resultKey(result: SarifResult) {
  const { artifactLocation, region } = result.locations[0]!.physicalLocation;
  return { file: fileOfUri(artifactLocation.uri), line: region.startLine, column: region.startColumn };
}

function notificationFile(notification: Notification): string {
  const uri = notification.locations?.[0]?.physicalLocation.artifactLocation.uri;
  return uri ? fileOfUri(uri) : '';
}

function mergeSarif(inputs: { log: SarifLog }[], options: MergeOptions) {
  const runs = inputs.map((i) => i.log.runs[0]!);
  const first = runs[0]!;
  if (
    runs.some(
      (r) =>
        JSON.stringify(r.invocations[0]!.properties.types) !== JSON.stringify(first.invocations[0]!.properties.types),
    ) &&
    runs.some((r) => (r.invocations[0]!.properties.types as { enabled?: boolean } | undefined)?.enabled)
  )
    throw new MergeError('the shards ran with different --types settings, or with types: their findings differ');
  const rules = [...first.tool.driver.rules];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  for (const run of runs.slice(1))
    for (const rule of run.tool.driver.rules)
      if (!ruleIndex.has(rule.id)) {
        ruleIndex.set(rule.id, rules.length);
        rules.push(rule);
      }
  const results = runs
    .flatMap((r) => r.results)
    .map((result) => ({ result, key: resultKey(result) }))
    .sort(
      (a, b) =>
        compareLocations({ ...a.key, endLine: 0, endColumn: 0 }, { ...b.key, endLine: 0, endColumn: 0 }) ||
        (a.result.ruleId < b.result.ruleId ? -1 : a.result.ruleId > b.result.ruleId ? 1 : 0),
    )
    .map(({ result }) => ({ ...result, ruleIndex: ruleIndex.get(result.ruleId)! }));
  // As check writes them: the run's own notes first, then per-file errors, then per-file skips, each in file order.
  const notifications = runs.map((r) => r.invocations[0]!.toolExecutionNotifications);
  const general = notifications[0]!.filter((n) => !n.locations);
  for (const list of notifications.slice(1))
    for (const n of list) if (!n.locations && !general.some((g) => g.message.text === n.message.text)) general.push(n);
  const perFile = (level: string) =>
    notifications
      .flat()
      .filter((n) => n.locations && n.level === level)
      .sort((a, b) => byFile({ file: notificationFile(a) }, { file: notificationFile(b) }));
  const { shard: _shard, ...properties } = first.invocations[0]!.properties;
  const run = {
    ...first,
    tool: { ...first.tool, driver: { ...first.tool.driver, rules } },
    invocations: [
      {
        ...first.invocations[0]!,
        properties,
        toolExecutionNotifications: [...general, ...perFile('error'), ...perFile('note')],
      },
    ],
    results,
  };
  // Keep the key order check writes (results before columnKind), so the merged log reads like an unsplit one.
  const ordered = Object.fromEntries(Object.keys(first).map((key) => [key, run[key as keyof typeof run]]));
  const failed = results.some((r) => failsAt(SARIF_FAILS[r.level], options.failOn));
  return {
    text: `${JSON.stringify({ ...inputs[0]!.log, runs: [ordered] }, null, 2)}\n`,
    failed,
    summary: `${results.length} findings merged from ${runs.length} shards${failed ? ` — failing (--fail-on ${options.failOn})` : ''}`,
  };
}
