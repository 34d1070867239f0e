// Runs the engine over discovered files; if a whole-project run throws, falls back to one file at a time so one bad file costs only itself.
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

/** Analyses `files` together (cross-file facts), never throwing; engine crashes become per-file errors. */
export function analyzeWithFallback(
  files: readonly SourceInput[],
  config: Config,
  progress?: ProgressReporter,
  options: SessionOptions = {},
): AnalysisResult {
  try {
    const session = new AnalysisSession(config, options);
    for (const file of files) session.upsertFile(file.path, file.text);
    return session.analyzeAll(undefined, progress);
  } catch (projectError) {
    const merged = emptyResult();
    files.forEach((file, index) => {
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
      progress?.(index + 1, files.length, file.path);
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
