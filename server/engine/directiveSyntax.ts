// The one definition of the ignore directive's syntax (`// perf-advisor-ignore-next-line rule, … -- reason`); no imports,
// so the client bundle can use it through the protocol module without loading the engine.

/** The directive keyword; a comment holding it silences findings on the next line. */
export const IGNORE_DIRECTIVE = 'perf-advisor-ignore-next-line';

/** A `//` comment holding the directive; group 1 is the rest of the line (rule list, then `--` and a reason). */
export function directivePattern(): RegExp {
  return new RegExp(`//\\s*${IGNORE_DIRECTIVE}\\b([^\\n]*)`, 'g');
}

/** Where the rule list of a directive sits in `text` (the text after the keyword), ending at `--` or the line's end. */
export function ruleListSpan(text: string, from: number): { start: number; end: number } {
  const reasonAt = text.indexOf('--', from);
  return { start: from, end: reasonAt >= 0 ? reasonAt : text.length };
}

/** The rule ids of a rule list (`n-plus-one, unbounded-read`); empty means every rule. */
export function parseRuleList(list: string): string[] {
  return list.split(/[\s,]+/).filter(Boolean);
}

/** The comment text that silences `ruleId` (no indentation, no line break). */
export function directiveComment(ruleId: string): string {
  return `// ${IGNORE_DIRECTIVE} ${ruleId}`;
}
