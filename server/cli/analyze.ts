// Runs the engine over discovered files, in threads or in-process; if a whole-project run throws, falls back to one file at a time so one bad file costs only itself.
import { ScanPool } from '../scan/pool';
import { scanThreads } from '../scan/partition';
import {
  AnalysisSession,
  analyzeFiles,
  type AnalysisResult,
  type Config,
  type ProgressReporter,
  type SessionOptions,
  type SourceInput,
  type TypesSummary,
} from '../engine';

function emptyResult(): AnalysisResult {
  return { findings: [], skipped: [], unusedDirectives: [], errors: [] };
}

export interface ProjectRun {
  /** Requested threads (`--jobs`); 0 = one per available core. */
  jobs: number;
  /** The files to report on (a shard); every file is still read for cross-file facts. Default: all. */
  targets?: readonly SourceInput[];
  progress?: ProgressReporter;
  session?: SessionOptions;
}

/**
 * Analyses `targets` with the whole project loaded, on `jobs` threads; the result is the same for any number of
 * threads (each thread holds every file, and results are put back in file order).
 */
export async function analyzeProject(
  files: readonly SourceInput[],
  config: Config,
  run: ProjectRun,
): Promise<AnalysisResult & { threads: number }> {
  const targets = run.targets ?? files;
  const threads = scanThreads(run.jobs, targets.length);
  if (threads <= 1) return { ...analyzeWithFallback(files, config, run.progress, run.session, targets), threads: 1 };
  const byPath = new Map<string, AnalysisResult>();
  let done = 0;
  const pool = new ScanPool(threads, { files: [...files], config, session: run.session });
  let unfinished: string[];
  let types: AnalysisResult['types'];
  try {
    const outcome = await pool.analyze(
      targets.map((t) => t.path),
      {
        onResult: (path, result) => {
          byPath.set(path, result);
          run.progress?.(++done, targets.length, path);
        },
      },
    );
    unfinished = outcome.unfinished;
    types = outcome.types;
  } finally {
    await pool.close();
  }
  // Files a failed helper left over are analysed here, with the same whole project.
  if (unfinished.length > 0) {
    const left = new Set(unfinished);
    const rest = analyzeWithFallback(
      files,
      config,
      undefined,
      run.session,
      targets.filter((t) => left.has(t.path)),
    );
    for (const path of unfinished) byPath.set(path, pick(rest, path));
    if (rest.types) types = rest.types;
  }
  const merged = emptyResult();
  for (const target of targets) {
    const one = byPath.get(target.path);
    if (!one) continue;
    merged.findings.push(...one.findings);
    merged.skipped.push(...one.skipped);
    merged.unusedDirectives.push(...one.unusedDirectives);
    merged.errors.push(...one.errors);
  }
  if (types) merged.types = types;
  return { ...merged, threads };
}

/** One file's part of a result (findings are reported in the file they are found in). */
function pick(result: AnalysisResult, path: string): AnalysisResult {
  return {
    findings: result.findings.filter((f) => f.span.file === path),
    skipped: result.skipped.filter((s) => s.path === path),
    unusedDirectives: result.unusedDirectives.filter((d) => d.span.file === path),
    errors: result.errors.filter((e) => e.path === path),
  };
}

/**
 * Analyses `targets` (default: every file) with all of `files` loaded (cross-file facts), never throwing; engine
 * crashes become per-file errors.
 */
export function analyzeWithFallback(
  files: readonly SourceInput[],
  config: Config,
  progress?: ProgressReporter,
  options: SessionOptions = {},
  targets: readonly SourceInput[] = files,
): AnalysisResult {
  try {
    const session = new AnalysisSession(config, options);
    for (const file of files) session.upsertFile(file.path, file.text);
    const out = emptyResult();
    targets.forEach((target, index) => {
      const one = session.analyzeFile(target.path);
      out.findings.push(...one.findings);
      out.skipped.push(...one.skipped);
      out.unusedDirectives.push(...one.unusedDirectives);
      out.errors.push(...one.errors);
      progress?.(index + 1, targets.length, target.path);
    });
    if (options.types) out.types = session.typesSummary();
    return out;
  } catch (projectError) {
    const merged = emptyResult();
    targets.forEach((file, index) => {
      try {
        const single = analyzeFiles([file], config, undefined, options);
        merged.findings.push(...single.findings);
        merged.skipped.push(...single.skipped);
        merged.unusedDirectives.push(...single.unusedDirectives);
        merged.errors.push(...single.errors);
        if (single.types) merged.types = addTypes(merged.types, single.types);
      } catch (fileError) {
        merged.errors.push({
          path: file.path,
          message: `analysis failed: ${(fileError as Error).message ?? String(fileError)}`,
        });
      }
      progress?.(index + 1, targets.length, file.path);
    });
    if (merged.errors.length === 0) {
      merged.errors.push({
        path: '.',
        message: `project-wide analysis failed (${(projectError as Error).message}); files were analysed one at a time, without cross-file facts`,
      });
    }
    return merged;
  }
}

/** The checker's work over several one-file runs, added up. */
function addTypes(total: TypesSummary | undefined, one: TypesSummary): TypesSummary {
  if (!one.enabled) return total ?? one;
  if (!total?.enabled) return one;
  return {
    enabled: true,
    asked: total.asked + one.asked,
    resolved: total.resolved + one.resolved,
    programs: total.programs + one.programs,
    projects: [...new Set([...total.projects, ...one.projects])],
    problems: [...new Set([...total.problems, ...one.problems])],
  };
}
