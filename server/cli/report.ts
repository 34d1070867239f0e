// The CLI's report: the engine's result with paths relative to the root and 1-based positions; every format renders this.
import { relative, sep, isAbsolute } from 'node:path';
import { z } from 'zod';
import type { AnalysisResult, Finding, Severity, Span } from '../engine';

/** A place in a file; lines and columns are 1-based, columns count UTF-16 code units (like editors and SARIF). */
export const ReportLocation = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
});
export type ReportLocation = z.infer<typeof ReportLocation>;

export const ReportSeverity = z.enum(['error', 'warning', 'info', 'hint']);

export const ReportFinding = z.object({
  ruleId: z.string(),
  messageId: z.string(),
  severity: ReportSeverity,
  message: z.string(),
  location: ReportLocation,
  related: z.array(z.object({ location: ReportLocation, message: z.string() })),
  fixes: z.array(
    z.object({
      title: z.string(),
      kind: z.enum(['fix', 'suggestion']),
      edits: z.array(
        z.object({ file: z.string(), start: z.number().int(), end: z.number().int(), newText: z.string() }),
      ),
      /** An explanation-only action: no edits; this anchor of `docsUrl` says why. */
      explanation: z.string().optional(),
    }),
  ),
  docsUrl: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type ReportFinding = z.infer<typeof ReportFinding>;

/** Whether the run asked the TypeScript checker (`--types`), and what it asked and placed. */
export const ReportTypes = z.union([
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    /** Receivers of candidate calls that syntax could not place. */
    asked: z.number().int().min(0),
    /** Of those, receivers the checker placed on a library handle. */
    resolved: z.number().int().min(0),
    /** tsconfig projects whose program was built (`(default options)` for files under none). */
    projects: z.array(z.string()),
    /** Why a project's program could not be built or was incomplete (a missing `extends`, a checker failure). */
    problems: z.array(z.string()),
  }),
]);
export type ReportTypes = z.infer<typeof ReportTypes>;

/** The JSON output format (`--format json`); `schemaVersion` changes only on incompatible edits. */
export const JsonReport = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('perf-advisor'), version: z.string() }),
  root: z.string(),
  summary: z.object({
    filesAnalyzed: z.number().int().min(0),
    findings: z.object({
      total: z.number().int(),
      error: z.number().int(),
      warning: z.number().int(),
      info: z.number().int(),
      hint: z.number().int(),
    }),
    skipped: z.number().int().min(0),
    unusedDirectives: z.number().int().min(0),
    errors: z.number().int().min(0),
    failOn: z.enum(['error', 'warning', 'info', 'none']),
    failed: z.boolean(),
    types: ReportTypes,
    /** Set when this run reported one shard of a CI matrix (`--shard i/n`); `perf-advisor merge` joins them. */
    shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).optional(),
  }),
  findings: z.array(ReportFinding),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  unusedDirectives: z.array(z.object({ location: ReportLocation, rules: z.array(z.string()) })),
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
});
export type JsonReport = z.infer<typeof JsonReport>;

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
const FAIL_RANK = { error: 3, warning: 2, info: 1, none: Number.POSITIVE_INFINITY } as const;

/** True when a finding of this severity fails the run under `--fail-on`. */
export function failsAt(severity: Severity, failOn: keyof typeof FAIL_RANK): boolean {
  return SEVERITY_RANK[severity] >= FAIL_RANK[failOn];
}

/** A path as shown in reports: relative to the root with forward slashes, or absolute when outside it. */
export function displayPath(root: string, path: string): string {
  const absolute = isAbsolute(path) ? path : `${root}${sep}${path}`;
  const rel = relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return absolute.split(sep).join('/');
  return rel.split(sep).join('/');
}

export function toLocation(root: string, span: Span): ReportLocation {
  return {
    file: displayPath(root, span.file),
    line: span.range.start.line + 1,
    column: span.range.start.character + 1,
    endLine: span.range.end.line + 1,
    endColumn: span.range.end.character + 1,
  };
}

function toReportFinding(root: string, finding: Finding): ReportFinding {
  return {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    severity: finding.severity,
    message: finding.message,
    location: toLocation(root, finding.span),
    related: finding.related.map((r) => ({ location: toLocation(root, r.span), message: r.message })),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      kind: fix.kind,
      edits: fix.edits.map((e) => ({
        file: displayPath(root, e.file),
        start: e.start,
        end: e.end,
        newText: e.newText,
      })),
      ...(fix.explanation !== undefined ? { explanation: fix.explanation } : {}),
    })),
    docsUrl: finding.docsUrl,
    data: finding.data ?? {},
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareLocations(a: ReportLocation, b: ReportLocation): number {
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** Orders findings by file, then position, then rule, so every output is stable. */
export function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return compareLocations(a.location, b.location) || compareText(a.ruleId, b.ruleId);
}

/** Skips and errors by file (a stable sort keeps one file's entries in the order they were reported). */
export function byFile(a: { file: string }, b: { file: string }): number {
  return compareText(a.file, b.file);
}

export interface ReportInput {
  root: string;
  version: string;
  failOn: JsonReport['summary']['failOn'];
  filesAnalyzed: number;
  result: AnalysisResult;
  /** Files discovery passed over (the engine's own skips are in `result.skipped`). */
  skipped: { path: string; reason: string }[];
  shard?: { index: number; count: number };
}

function reportTypes(root: string, result: AnalysisResult): ReportTypes {
  const types = result.types;
  if (!types?.enabled) return { enabled: false };
  return {
    enabled: true,
    asked: types.asked,
    resolved: types.resolved,
    projects: types.projects.map((p) => (p.startsWith('(') ? p : displayPath(root, p))),
    problems: types.problems,
  };
}

export function buildReport(input: ReportInput): JsonReport {
  const { root, result } = input;
  const findings = result.findings.map((f) => toReportFinding(root, f)).sort(compareFindings);
  const counts = { total: findings.length, error: 0, warning: 0, info: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity]++;
  // Every list in file order, so a report does not depend on the order files were analysed (threads, merged shards).
  const skipped = [...input.skipped, ...result.skipped]
    .map((s) => ({ file: displayPath(root, s.path), reason: s.reason }))
    .sort(byFile);
  const unusedDirectives = result.unusedDirectives
    .map((d) => ({ location: toLocation(root, d.span), rules: d.rules }))
    .sort((a, b) => compareLocations(a.location, b.location));
  const errors = result.errors.map((e) => ({ file: displayPath(root, e.path), message: e.message })).sort(byFile);
  return {
    schemaVersion: 1,
    tool: { name: 'perf-advisor', version: input.version },
    root,
    summary: {
      filesAnalyzed: input.filesAnalyzed,
      findings: counts,
      skipped: skipped.length,
      unusedDirectives: unusedDirectives.length,
      errors: errors.length,
      failOn: input.failOn,
      failed: findings.some((f) => failsAt(f.severity, input.failOn)),
      types: reportTypes(root, result),
      ...(input.shard ? { shard: input.shard } : {}),
    },
    findings,
    skipped,
    unusedDirectives,
    errors,
  };
}
