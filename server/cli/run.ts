// The `perf-advisor` command: arguments → config → discovery → engine → report → exit code. Never throws.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ruleCatalog } from '../engine';
import { discoverFiles } from '../workspace';
import { USAGE, parseCommandLine, type CheckOptions } from './args';
import { analyzeProject } from './analyze';
import { assignShards } from '../scan/partition';
import { runMerge } from './merge';
import { MERGE_USAGE } from './mergeArgs';
import { loadConfigFile } from './configFile';
import { colorPalette, plainPalette, shouldUseColor } from './format/colors';
import { formatSarif } from './format/sarif';
import { formatText, summaryLine } from './format/text';
import { createProgressLine } from './progress';
import { buildReport, displayPath } from './report';
import { TOOL_VERSION, INFORMATION_URI } from './version';

/** The skill's exit codes. 2 (metrics unavailable) is reserved for commands that need a live Redis. */
export const ExitCode = { success: 0, invalidInput: 1, metricsUnavailable: 2, findings: 3 } as const;

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`perf-advisor: ${message}\n`);
  return ExitCode.invalidInput;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommandLine(argv);
  switch (command.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return ExitCode.success;
    case 'mergeHelp':
      io.stdout.write(MERGE_USAGE);
      return ExitCode.success;
    case 'version':
      io.stdout.write(`${TOOL_VERSION}\n`);
      return ExitCode.success;
    case 'error':
      return fail(io, `${command.message}\nRun "perf-advisor --help" for usage.`);
    case 'check':
      return runCheck(command.options, io);
    case 'merge':
      return runMerge(command.options, io);
  }
}

async function runCheck(options: CheckOptions, io: CliIo): Promise<number> {
  const root = resolve(io.cwd);
  const loaded = loadConfigFile(options.config, root);
  if (!loaded.ok) return fail(io, loaded.message);
  const { config } = loaded;

  const discovery = discoverFiles(options.paths, {
    root,
    exclude: config.exclude,
    maxFileSizeKb: config.thresholds.maxFileSizeKb,
    minifiedLineLength: config.thresholds.minifiedLineLength,
  });
  if (discovery.pathErrors.length > 0) {
    return fail(
      io,
      discovery.pathErrors.map((e) => `cannot analyse "${e.path}": ${e.message}`).join('\nperf-advisor: '),
    );
  }
  if (!options.quiet)
    for (const warning of discovery.warnings)
      io.stderr.write(`perf-advisor: warning: ${warning.path}: ${warning.message}\n`);

  // A shard reports its own files, but reads them all: cross-file facts (callers, entry points) come from every file.
  const { shard } = options;
  const shardOf = shard
    ? assignShards(
        [
          ...discovery.files.map((f) => ({ key: displayPath(root, f.path), size: f.text.length })),
          ...discovery.skipped.map((s) => ({ key: displayPath(root, s.path), size: 0 })),
        ],
        shard.count,
      )
    : undefined;
  const mine = (path: string) => !shard || shardOf!.get(displayPath(root, path)) === shard.index;
  const targets = discovery.files.filter((f) => mine(f.path));

  const progress = createProgressLine(io.stderr, !options.quiet);
  const result = await analyzeProject(discovery.files, config, {
    jobs: options.jobs ?? config.scan.threads,
    targets,
    progress: (done, total) => progress.update(done, total),
    session: { types: options.types, typesRoot: root },
  });
  progress.clear();

  const report = buildReport({
    root,
    version: TOOL_VERSION,
    failOn: options.failOn,
    filesAnalyzed: targets.length,
    result,
    skipped: discovery.skipped.filter((s) => mine(s.path)),
    ...(shard ? { shard } : {}),
  });
  const texts = new Map(discovery.files.map((f) => [displayPath(root, f.path), f.text]));
  const sourceOf = (file: string) => texts.get(file);

  const toFile = options.output !== undefined;
  let rendered: string;
  if (options.format === 'json') rendered = `${JSON.stringify(report, null, 2)}\n`;
  else if (options.format === 'sarif')
    rendered = formatSarif(report, {
      version: TOOL_VERSION,
      informationUri: INFORMATION_URI,
      rules: ruleCatalog,
      sourceOf,
    });
  else {
    const colored = !toFile && shouldUseColor(Boolean(io.stdout.isTTY), io.env);
    rendered = formatText(report, { palette: colored ? colorPalette : plainPalette, quiet: options.quiet, sourceOf });
  }

  if (toFile) {
    const target = resolve(root, options.output!);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, rendered);
    } catch (error) {
      return fail(
        io,
        `cannot write --output "${options.output}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  } else {
    io.stdout.write(rendered);
  }
  if (!options.quiet && (toFile || options.format !== 'text')) {
    const colored = shouldUseColor(Boolean(io.stderr.isTTY), io.env);
    io.stderr.write(
      `${summaryLine(report, colored ? colorPalette : plainPalette)}${toFile ? ` — report written to ${options.output}` : ''}\n`,
    );
  }
  return report.summary.failed ? ExitCode.findings : ExitCode.success;
}
