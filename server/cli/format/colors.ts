// ANSI colours for the text report: on only for a TTY, off when NO_COLOR is set, forced with FORCE_COLOR.
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  underline(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const identity = (text: string) => text;

export const colorPalette: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
  underline: wrap(4, 24),
};
export const plainPalette: Palette = {
  bold: identity,
  dim: identity,
  red: identity,
  yellow: identity,
  blue: identity,
  cyan: identity,
  underline: identity,
};

/**
 * Whether to colour output going to a stream; NO_COLOR (any non-empty value) wins over FORCE_COLOR, which wins over TTY
 * detection.
 */
export function shouldUseColor(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}
