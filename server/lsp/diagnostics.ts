// Engine findings (already in positions) → LSP diagnostics, and the findings summary for the report.
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, type AnalysisState, type DiagnosticData, type FindingsSummary } from '../protocol';
import type { FileOutcome, WireFinding } from '../worker/protocol';

const SEVERITY: Record<WireFinding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Turns engine paths into URIs; open documents keep the exact URI their editor sent. */
export type UriOf = (path: string) => string;

export const defaultUriOf: UriOf = (path) => pathToFileURL(path).href;

export function toDiagnostic(finding: WireFinding, uriOf: UriOf): Diagnostic {
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    docsUrl: finding.docsUrl,
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      kind: fix.kind,
      edits: fix.edits.map((e) => ({
        uri: uriOf(e.path),
        range: e.range,
        newText: e.newText,
        ...(e.createFile ? { createFile: true } : {}),
      })),
      ...(fix.lazy ? { lazy: fix.lazy } : {}),
      ...(fix.explanation !== undefined ? { explanation: fix.explanation } : {}),
    })),
  };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: finding.docsUrl },
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({
      location: { uri: uriOf(r.path), range: r.range },
      message: r.message,
    })),
    data,
  };
}

/** Diagnostics for one file; a skipped file that is open says so once, at the top, as information. */
export function diagnosticsFor(outcome: FileOutcome | undefined, uriOf: UriOf, isOpen: boolean): Diagnostic[] {
  if (!outcome) return [];
  const out = outcome.findings.map((f) => toDiagnostic(f, uriOf));
  if (isOpen && outcome.skipped && outcome.skipped !== 'not loaded') {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      code: 'skipped',
      message: `Perf Advisor did not analyse this file: ${outcome.skipped}.`,
    });
  }
  return out;
}

/** Counts per rule and per file over every result the server holds, largest files first. */
export function summarize(
  results: Iterable<FileOutcome>,
  uriOf: UriOf,
  state: AnalysisState,
  progress: { done: number; total: number },
): FindingsSummary {
  const byRule = new Map<string, number>();
  /** Description and docs of each rule seen, as the worker sent them with its findings. */
  const ruleInfo = new Map<string, { description: string; docsUrl: string }>();
  const files: FindingsSummary['files'] = [];
  let total = 0;
  for (const outcome of results) {
    if (outcome.findings.length === 0) continue;
    total += outcome.findings.length;
    for (const f of outcome.findings) {
      byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
      if (!ruleInfo.has(f.ruleId)) ruleInfo.set(f.ruleId, { description: f.ruleDescription ?? '', docsUrl: f.docsUrl });
    }
    files.push({
      uri: uriOf(outcome.path),
      count: outcome.findings.length,
      findings: outcome.findings.map((f) => ({
        ruleId: f.ruleId,
        message: f.message,
        severity: f.severity,
        range: f.range,
        docsUrl: f.docsUrl,
      })),
    });
  }
  files.sort((a, b) => b.count - a.count || a.uri.localeCompare(b.uri));
  const rules = [...byRule.entries()]
    .map(([ruleId, count]) => {
      const entry = ruleInfo.get(ruleId);
      return { ruleId, count, description: entry?.description ?? '', docsUrl: entry?.docsUrl ?? '' };
    })
    .sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId));
  return { state, filesAnalyzed: progress.done, filesTotal: progress.total, total, rules, files };
}
