// `// perf-advisor-ignore-next-line [rule, …]` comments: which findings they silence and which silence nothing.
import type { FileModel } from '../../rules/analysis/sourceFile';
import { positionAt } from '../../rules/analysis/sourceFile';
import { directivePattern, IGNORE_DIRECTIVE, parseRuleList, ruleListSpan } from './directiveSyntax';
import type { Finding, UnusedDirective } from './types';

interface Directive {
  line: number;
  start: number;
  end: number;
  rules: string[];
  used: boolean;
}

function parseDirectives(file: FileModel): Directive[] {
  const out: Directive[] = [];
  if (!file.text.includes(IGNORE_DIRECTIVE)) return out;
  for (const match of file.text.matchAll(directivePattern())) {
    const start = match.index!;
    const rest = match[1]!;
    const list = ruleListSpan(rest, 0);
    const rules = parseRuleList(rest.slice(list.start, list.end));
    out.push({ line: positionAt(file, start).line, start, end: start + match[0].length, rules, used: false });
  }
  return out;
}

/**
 * Drops findings silenced by a directive on the line above; returns the rest and the directives that silenced nothing.
 */
export function applyDirectives(
  file: FileModel,
  findings: Finding[],
): { findings: Finding[]; unused: UnusedDirective[] } {
  const directives = parseDirectives(file);
  if (directives.length === 0) return { findings, unused: [] };
  const kept = findings.filter((finding) => {
    const directive = directives.find(
      (d) => d.line + 1 === finding.span.range.start.line && (d.rules.length === 0 || d.rules.includes(finding.ruleId)),
    );
    if (!directive) return true;
    directive.used = true;
    return false;
  });
  const unused = directives
    .filter((d) => !d.used)
    .map((d) => ({
      span: {
        file: file.path,
        start: d.start,
        end: d.end,
        range: { start: positionAt(file, d.start), end: positionAt(file, d.end) },
      },
      rules: d.rules,
    }));
  return { findings: kept, unused };
}
