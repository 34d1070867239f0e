// Decides whether one file's content is worth analysing: size, minified code, binary data, unreadable files.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;
const MINIFIED_NAME = /[.-]min\.[cm]?jsx?$/i;
const BUNDLE_NAME = /[.-](bundle|chunk)\.[cm]?js$/i;

/** Limits that decide when a file is passed over; defaults come from the config's thresholds. */
export interface ContentLimits {
  maxFileSizeKb: number;
  minifiedLineLength: number;
}

/** Short, stable skip reasons; the CLI groups its summary by these. */
export type SkipKind =
  'too-large' | 'minified' | 'bundle' | 'binary' | 'unreadable' | 'not-a-file' | 'symlink-loop' | 'broken-symlink';

export interface SkipVerdict {
  kind: SkipKind;
  reason: string;
}

/** True for the TS/JS source files the engine reads (declaration files excluded). */
export function isSourceFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !DECLARATION_FILE.test(lower);
}

/** A skip decided from the name alone: `x.min.js`, `app.bundle.js`. */
export function skipByName(path: string): SkipVerdict | undefined {
  const name = basename(path);
  if (MINIFIED_NAME.test(name)) return { kind: 'minified', reason: 'minified (.min.js name)' };
  if (BUNDLE_NAME.test(name)) return { kind: 'bundle', reason: 'bundled output (.bundle/.chunk name)' };
  return undefined;
}

/** A skip decided from the size alone, before reading. */
export function skipBySize(sizeBytes: number, limits: ContentLimits): SkipVerdict | undefined {
  if (sizeBytes <= limits.maxFileSizeKb * 1024) return undefined;
  const mb = sizeBytes / (1024 * 1024);
  const shown = mb >= 1 ? `${mb.toFixed(1)} MB` : `${Math.ceil(sizeBytes / 1024)} KB`;
  return { kind: 'too-large', reason: `too large (${shown} > ${limits.maxFileSizeKb} KB limit)` };
}

/** Share of U+FFFD in decoded text above which a file is treated as binary rather than text with a few bad bytes. */
const MAX_REPLACEMENT_DENSITY = 0.1;
/** A short file with one or two bad bytes is text with a typo in its encoding, not binary data. */
const MIN_REPLACEMENTS_FOR_BINARY = 4;
/** A file shorter than this is never called minified (a one-line module is fine). */
const MIN_SIZE_FOR_MINIFIED = 2048;

/** Decodes file bytes as UTF-8 source, or says why they are not source text. */
export function decodeSource(bytes: Buffer, limits: ContentLimits): { text: string } | SkipVerdict {
  const probe = bytes.subarray(0, 64 * 1024);
  if (probe.includes(0)) return { kind: 'binary', reason: 'binary (contains NUL bytes)' };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > 0) {
    let replacements = 0;
    for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) replacements++;
    if (replacements >= MIN_REPLACEMENTS_FOR_BINARY && replacements / text.length > MAX_REPLACEMENT_DENSITY) {
      return { kind: 'binary', reason: `binary (${replacements} invalid UTF-8 sequences)` };
    }
  }
  if (bytes.length >= MIN_SIZE_FOR_MINIFIED) {
    let lines = text.endsWith('\n') ? 0 : 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const average = text.length / lines;
    if (average > limits.minifiedLineLength) {
      return {
        kind: 'minified',
        reason: `minified (average line length ${Math.round(average)} > ${limits.minifiedLineLength})`,
      };
    }
  }
  return { text };
}

/** Reads and decodes one file; never throws. */
export function readSource(path: string, limits: ContentLimits): { text: string } | SkipVerdict {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { kind: 'unreadable', reason: `unreadable (${code}: ${(error as Error).message.replace(/^[A-Z]+: /, '')})` };
  }
  return decodeSource(bytes, limits);
}
