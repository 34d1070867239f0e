// Maps generated positions of a profile back to the source through each script's source map (@jridgewell/trace-mapping).
import {
  GREATEST_LOWER_BOUND,
  LEAST_UPPER_BOUND,
  originalPositionFor,
  TraceMap,
  type SourceMapInput,
} from '@jridgewell/trace-mapping';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface SourcePosition {
  /** An absolute path when the script is a local file; else the script's URL as the profile has it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 0-based. */
  column: number;
  /** Whether a source map placed it (false: the generated position itself). */
  mapped: boolean;
}

/** Largest script read in search of a source map comment. */
const MAX_SCRIPT_BYTES = 64 * 1024 * 1024;

/** The local path of a profile URL (`file:///…` or a plain absolute path), or undefined for node:, http:, eval code. */
export function localPath(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('/')) return url;
  return undefined;
}

function loadMap(scriptPath: string): TraceMap | undefined {
  let text: string;
  try {
    if (!existsSync(scriptPath)) return undefined;
    const buffer = readFileSync(scriptPath);
    if (buffer.length > MAX_SCRIPT_BYTES) return undefined;
    text = buffer.toString('utf8');
  } catch {
    return undefined;
  }
  const matches = [...text.matchAll(/\/\/[#@] sourceMappingURL=(\S+)\s*$/gm)];
  const reference = matches.at(-1)?.[1];
  if (!reference) return undefined;
  try {
    const inline = /^data:application\/json(?:;charset=[\w-]+)?;base64,(.*)$/.exec(reference);
    if (inline) {
      const map = JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')) as SourceMapInput;
      return new TraceMap(map, pathToFileURL(scriptPath).href);
    }
    const mapPath = resolve(dirname(scriptPath), decodeURIComponent(reference));
    return new TraceMap(readFileSync(mapPath, 'utf8'), pathToFileURL(mapPath).href);
  } catch {
    return undefined; // a broken map leaves the generated position: less precise, never wrong
  }
}

/** Resolves generated positions, reading each script and its map once. */
export class SourceMapper {
  private readonly maps = new Map<string, TraceMap | undefined>();

  private mapFor(path: string): TraceMap | undefined {
    if (!this.maps.has(path)) this.maps.set(path, loadMap(path));
    return this.maps.get(path);
  }

  /** `line` 1-based, `column` 0-based (generated). `wholeLine` looks for the line's first mapped segment. */
  map(url: string, line: number, column: number, wholeLine = false): SourcePosition {
    const path = localPath(url);
    const generated = { file: path ?? url, line, column, mapped: false };
    if (!path) return generated;
    const map = this.mapFor(path);
    if (!map) return generated;
    const found = originalPositionFor(map, {
      line,
      column,
      bias: wholeLine ? LEAST_UPPER_BOUND : GREATEST_LOWER_BOUND,
    });
    const hit =
      found.source === null && !wholeLine ? originalPositionFor(map, { line, column, bias: LEAST_UPPER_BOUND }) : found;
    if (hit.source === null || hit.line === null) return generated;
    const source = hit.source.startsWith('file://') ? fileURLToPath(hit.source) : hit.source;
    return { file: source, line: hit.line, column: hit.column ?? 0, mapped: true };
  }
}
