// Results kept in the workspace's `.perf-advisor/` folder (load tests, profiles, diagnoses), found again by kind and key.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

export const RESULTS_DIR = '.perf-advisor';
export type ResultKind = 'loadtest' | 'profile' | 'diagnose';

/** A file-name-safe slug of a URL or path ("http://127.0.0.1:3000/orders?x=1" → "127.0.0.1-3000-orders-x-1"). */
export function slug(text: string): string {
  return (
    text
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'result'
  );
}

/** `2026-01-02T03:04:05.678Z` → `20260102-030405-678`, sortable in file names. */
const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');

export function resultsFolder(root: string, kind: ResultKind): string {
  return join(root, RESULTS_DIR, kind);
}

/** Writes `data` as `<root>/.perf-advisor/<kind>/<slug>-<stamp>.<ext>` and returns the path. */
export function saveResult(
  root: string,
  kind: ResultKind,
  key: string,
  startedAt: string,
  data: unknown,
  extension = 'json',
): string {
  const dir = resultsFolder(root, kind);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${slug(key)}-${stamp(startedAt)}.${extension}`);
  writeFileSync(path, `${JSON.stringify(data, null, extension === 'json' ? 2 : 0)}\n`);
  return path;
}

/**
 * The saved results of a kind that parse with `schema` and pass `filter`, newest first. A file that does not parse
 * (hand-edited, from another version) is skipped, never an error.
 */
export function listResults<T>(
  root: string,
  kind: ResultKind,
  schema: z.ZodType<T>,
  filter: (value: T) => boolean = () => true,
): { path: string; value: T }[] {
  const dir = resultsFolder(root, kind);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const out: { path: string; value: T }[] = [];
  for (const name of names.sort().reverse()) {
    const path = join(dir, name);
    try {
      const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success && filter(parsed.data)) out.push({ path, value: parsed.data });
    } catch {
      // unreadable or not JSON: skipped
    }
  }
  return out;
}
