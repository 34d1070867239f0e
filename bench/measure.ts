// One benchmark measurement in a fresh process (for a clean peak RSS): parse floor, the engine (without or with the
// TypeScript checker), or ESLint's no-await-in-loop.
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';

type Mode = 'parse' | 'engine' | 'engine-types' | 'eslint';

export interface Measurement {
  mode: Mode;
  files: number;
  bytes: number;
  ms: number;
  /** CPU time (user + system, all threads) of the measured work: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Peak resident set size of the whole process (KiB → MiB). */
  peakRssMb: number;
  /** Resident set size after loading modules and reading the files, before the measured work. */
  baselineRssMb: number;
  /** Files the tool reported as failing (engine errors, ESLint fatal parse errors). */
  failures: number;
  findings: number;
  /** Files the tool itself passed over (the engine's own size/minified checks). */
  skipped: number;
  /** With types: what the TypeScript checker was asked and placed. */
  types?: unknown;
}

function scriptKindFor(path: string): ts.ScriptKind {
  if (/\.tsx$/i.test(path)) return ts.ScriptKind.TSX;
  if (/\.jsx$/i.test(path)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/i.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const retained: unknown[] = [];

/** The parse floor: what the engine's parser costs alone, keeping every tree alive as a project would. */
function measureParse(inputs: { path: string; text: string }[]): {
  failures: number;
  findings: number;
  skipped: number;
} {
  for (const input of inputs)
    retained.push(ts.createSourceFile(input.path, input.text, ts.ScriptTarget.Latest, true, scriptKindFor(input.path)));
  return { failures: 0, findings: 0, skipped: 0 };
}

/** The engine over the corpus; with types, as `check --types` runs it (no tsconfig above the corpus root is used). */
async function measureEngine(
  inputs: { path: string; text: string }[],
  types: { root: string } | undefined,
): Promise<{ failures: number; findings: number; skipped: number; types?: unknown }> {
  const { analyzeFiles, defaultConfig } = await import('../server/engine');
  const result = analyzeFiles(inputs, defaultConfig, undefined, types ? { types: true, typesRoot: types.root } : {});
  retained.push(result);
  const { failures, findings, skipped } = {
    failures: result.errors.length,
    findings: result.findings.length,
    skipped: result.skipped.length,
  };
  return result.types ? { failures, findings, skipped, types: result.types } : { failures, findings, skipped };
}

/** ESLint 10 with one rule; espree for JS (module or CommonJS by a syntax sniff), typescript-eslint's parser for TS. */
async function prepareEslint() {
  const { Linter } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const linter = new Linter({ configType: 'flat' });
  const rules = { 'no-await-in-loop': 'error' } as const;
  const linterOptions = { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } as const;
  const configs = {
    module: [
      {
        files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        linterOptions,
        rules,
      },
    ],
    commonjs: [
      {
        files: ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' },
        linterOptions,
        rules,
      },
    ],
    typescript: [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
        languageOptions: { parser: tseslint.parser, sourceType: 'module' },
        linterOptions,
        rules,
      },
    ],
  } as const;
  return (inputs: { path: string; text: string }[]) => {
    let failures = 0;
    let findings = 0;
    for (const [index, input] of inputs.entries()) {
      const isTs = /\.[cm]?tsx?$/.test(input.path);
      const isModule =
        /\.mjs$/.test(input.path) || (!/\.cjs$/.test(input.path) && /^\s*(import|export)\b/m.test(input.text));
      const config = isTs ? configs.typescript : isModule ? configs.module : configs.commonjs;
      // a relative name outside node_modules: flat config ignores node_modules and paths outside its cwd
      const name = `corpus/${index}/${input.path.slice(input.path.lastIndexOf('/') + 1)}`;
      const messages = linter.verify(input.text, config as never, name);
      for (const message of messages) {
        if (message.fatal) failures++;
        else if (message.ruleId === 'no-await-in-loop') findings++;
        else if (/No matching configuration/.test(message.message))
          throw new Error(`ESLint did not lint ${input.path}: ${message.message}`);
      }
    }
    return { failures, findings, skipped: 0 };
  };
}

async function main(): Promise<void> {
  const [mode, listFile, corpusRoot] = process.argv.slice(2) as [Mode, string, string | undefined];
  const paths = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
  const inputs = paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const bytes = inputs.reduce((sum, input) => sum + input.text.length, 0);
  const lint = mode === 'eslint' ? await prepareEslint() : undefined;
  if (mode === 'engine' || mode === 'engine-types') await import('../server/engine');
  const baselineRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const outcome =
    mode === 'parse'
      ? measureParse(inputs)
      : mode === 'eslint'
        ? lint!(inputs)
        : await measureEngine(inputs, mode === 'engine-types' ? { root: corpusRoot ?? '/' } : undefined);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const measurement: Measurement = {
    mode,
    files: inputs.length,
    bytes,
    ms,
    cpuMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    ...outcome,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
