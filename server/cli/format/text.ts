// The text report: findings grouped by file with code frames, then skip notices, unused directives, errors and a summary.
import type { JsonReport, ReportFinding } from '../report';
import { codeFrame } from './codeFrame';
import type { Palette } from './colors';
import { IGNORE_DIRECTIVE } from '../../engine/directiveSyntax';

export interface TextOptions {
  palette: Palette;
  /** Only findings: no notices and no summary. */
  quiet: boolean;
  /** Reads a file's text by its report path, for code frames; undefined when unknown. */
  sourceOf: (file: string) => string | undefined;
}

const plural = (count: number, word: string, many = `${word}s`) => `${count} ${count === 1 ? word : many}`;

function severityLabel(severity: ReportFinding['severity'], palette: Palette): string {
  if (severity === 'error') return palette.red('error');
  if (severity === 'warning') return palette.yellow('warning');
  if (severity === 'info') return palette.blue('info');
  return palette.dim('hint');
}

/** Most frequent skip reasons first, with the reason's leading words as the group name. */
function skipGroups(skipped: JsonReport['skipped']): string {
  const groups = new Map<string, number>();
  for (const skip of skipped) {
    const key = skip.reason.replace(/\s*\(.*$/, '');
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
}

export function formatText(report: JsonReport, options: TextOptions): string {
  const { palette } = options;
  const out: string[] = [];
  const byFile = new Map<string, ReportFinding[]>();
  for (const finding of report.findings) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }
  for (const [file, findings] of byFile) {
    out.push(palette.underline(palette.bold(file)));
    const lines = options.sourceOf(file)?.split(/\r\n|\r|\n/);
    for (const finding of findings) {
      const where = `${finding.location.line}:${finding.location.column}`;
      out.push(
        `  ${palette.dim(where)}  ${severityLabel(finding.severity, palette)}  ${finding.message}  ${palette.dim(finding.ruleId)}`,
      );
      if (lines) {
        const frame = codeFrame(lines, finding.location, palette);
        if (frame) out.push(frame);
      }
      for (const related of finding.related) {
        out.push(
          `    ${palette.cyan('↳')} ${related.location.file}:${related.location.line}:${related.location.column} ${related.message}`,
        );
      }
      for (const fix of finding.fixes)
        out.push(`    ${palette.cyan(fix.kind === 'fix' ? 'fix:' : 'suggestion:')} ${fix.title}`);
      if (finding.docsUrl) out.push(`    ${palette.dim(`docs: ${finding.docsUrl}`)}`);
    }
    out.push('');
  }
  if (options.quiet) return out.join('\n');

  if (report.skipped.length > 0) {
    out.push(palette.bold(`Skipped ${plural(report.skipped.length, 'file')} (${skipGroups(report.skipped)}):`));
    for (const skip of report.skipped) out.push(`  ${skip.file}: ${skip.reason}`);
    out.push('');
  }
  if (report.unusedDirectives.length > 0) {
    out.push(
      palette.bold(`Unused ${IGNORE_DIRECTIVE} ${report.unusedDirectives.length === 1 ? 'directive' : 'directives'}:`),
    );
    for (const directive of report.unusedDirectives) {
      const rules = directive.rules.length > 0 ? directive.rules.join(', ') : 'all rules';
      out.push(
        `  ${directive.location.file}:${directive.location.line}:${directive.location.column}  silences nothing (${rules})`,
      );
    }
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push(palette.bold(palette.red(`Could not analyse ${plural(report.errors.length, 'file')}:`)));
    for (const error of report.errors) out.push(`  ${error.file}: ${error.message}`);
    out.push('');
  }
  out.push(summaryLine(report, palette));
  return `${out.join('\n')}\n`;
}

/** Whether the run used the TypeScript checker, and how much it placed. */
export function typesPart(types: JsonReport['summary']['types']): string {
  if (!types.enabled) return 'without types';
  const projects = plural(types.projects.length, 'tsconfig project');
  return `with types (${projects}, ${types.resolved} of ${plural(types.asked, 'receiver')} placed${types.problems.length ? `, ${plural(types.problems.length, 'problem')}` : ''})`;
}

/** One line: files analysed, findings per severity, skipped, unused directives, errors, with or without types. */
export function summaryLine(report: JsonReport, palette: Palette): string {
  const s = report.summary;
  const counts = `${plural(s.findings.total, 'finding')} (${s.findings.error} error, ${s.findings.warning} warning, ${s.findings.info} info${s.findings.hint ? `, ${s.findings.hint} hint` : ''})`;
  const parts = [
    `${plural(s.filesAnalyzed, 'file')} analysed`,
    s.findings.total > 0 ? palette.bold(counts) : counts,
    `${plural(s.skipped, 'file')} skipped`,
    `${plural(s.unusedDirectives, 'unused directive')}`,
    `${plural(s.errors, 'file error')}`,
    typesPart(s.types),
  ];
  const verdict = s.failed ? palette.red(` — failing (--fail-on ${s.failOn})`) : '';
  return `${parts.join(', ')}${verdict}`;
}
