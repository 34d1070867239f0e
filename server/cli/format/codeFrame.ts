// A code frame: the lines around a span with line numbers, a `>` on the span's first line and carets under it.
import type { ReportLocation } from '../report';
import type { Palette } from './colors';

/** Lines longer than this are shown as a window around the span. */
const MAX_SHOWN_WIDTH = 160;
const CONTEXT_LINES = 1;

/**
 * Replaces tabs by two spaces and other control characters by spaces so carets line up (one column per code unit kept).
 */
function printable(line: string): string {
  return line.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** The slice of a long line that keeps the caret visible, with ellipses where it was cut. */
function windowOf(line: string, caretStart: number): { text: string; shift: number } {
  if (line.length <= MAX_SHOWN_WIDTH) return { text: line, shift: 0 };
  const from = Math.max(0, Math.min(caretStart - 40, line.length - MAX_SHOWN_WIDTH));
  const to = Math.min(line.length, from + MAX_SHOWN_WIDTH);
  const head = from > 0 ? '…' : '';
  return { text: `${head}${line.slice(from, to)}${to < line.length ? '…' : ''}`, shift: from - head.length };
}

/**
 * Renders the frame for `location` over the file's `lines` (already split); empty when the location is outside the
 * text.
 */
export function codeFrame(
  lines: readonly string[],
  location: ReportLocation,
  palette: Palette,
  indent = '    ',
): string {
  const first = location.line - 1;
  if (first < 0 || first >= lines.length) return '';
  const from = Math.max(0, first - CONTEXT_LINES);
  const to = Math.min(lines.length - 1, first + CONTEXT_LINES);
  const gutterWidth = String(to + 1).length;
  const out: string[] = [];
  for (let index = from; index <= to; index++) {
    const raw = printable(lines[index] ?? '');
    const isSpanLine = index === first;
    const caretStart = Math.min(location.column - 1, raw.length);
    const caretEnd =
      location.endLine === location.line
        ? Math.max(location.endColumn - 1, caretStart + 1)
        : Math.max(raw.length, caretStart + 1);
    const shown = windowOf(raw, caretStart);
    const number = String(index + 1).padStart(gutterWidth);
    const marker = isSpanLine ? palette.red('>') : ' ';
    out.push(`${indent}${marker} ${palette.dim(`${number} |`)} ${shown.text}`.trimEnd());
    if (isSpanLine) {
      const start = caretStart - shown.shift;
      const width = Math.max(1, Math.min(caretEnd, raw.length + 1) - caretStart);
      const visibleWidth = Math.max(1, Math.min(width, shown.text.length - start + 1));
      out.push(
        `${indent}  ${' '.repeat(gutterWidth)} ${palette.dim('|')} ${' '.repeat(Math.max(0, start))}${palette.red('^'.repeat(visibleWidth))}`,
      );
    }
  }
  return out.join('\n');
}
