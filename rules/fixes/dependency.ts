// Adds a package a fix introduces to the nearest package.json's `dependencies`, as part of the same workspace edit.
import type { Rewrite } from './rewrite';

/** The directory part of a path (`/a/b/c.ts` → `/a/b`); `/` separators and Windows `\` both. */
function parentOf(path: string): string | undefined {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return undefined;
  return cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
}

function normal(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+$/, '');
}

/**
 * The package.json nearest to `file`: its own directory first, then each parent, never above `root` (with no root the
 * walk stops at the first package.json it finds, as npm's does).
 */
export function nearestPackageJson(rewrite: Rewrite, file: string): string | undefined {
  const root = rewrite.root === undefined ? undefined : normal(rewrite.root);
  const separator = file.includes('\\') && !file.includes('/') ? '\\' : '/';
  for (let dir = parentOf(file); dir !== undefined;) {
    if (root !== undefined && !(normal(dir) + '/').startsWith(root + '/')) return undefined;
    const candidate = `${dir.endsWith(separator) ? dir : dir + separator}package.json`;
    if (rewrite.readFile(candidate) !== undefined) return candidate;
    const up = parentOf(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * Adds `name@range` to `dependencies` of the nearest package.json unless one of its dependency lists has it. Only a
 * file in the layout npm writes (JSON.stringify with its indentation) is edited, so nothing else in it changes; the
 * new entry goes in name order, as npm keeps it.
 */
export function ensureDependency(rewrite: Rewrite, name: string, range: string): void {
  const path = nearestPackageJson(rewrite, rewrite.path);
  const text = path && rewrite.readFile(path);
  if (!path || text === undefined) return;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return;
  const fields = manifest as Record<string, unknown>;
  for (const field of DEPENDENCY_FIELDS) {
    const list = fields[field];
    if (typeof list === 'object' && list !== null && Object.hasOwn(list, name)) return;
  }
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const render = (value: unknown) => JSON.stringify(value, null, indent).replace(/\n/g, eol);
  const trailing = /\r?\n$/.test(text) ? eol : '';
  if (render(manifest) + trailing !== text) return;
  const current = fields.dependencies;
  if (current !== undefined && (typeof current !== 'object' || current === null || Array.isArray(current))) return;
  const entries = Object.entries((current ?? {}) as Record<string, unknown>);
  const sorted = entries.every(([key], i) => i === 0 || entries[i - 1]![0].localeCompare(key) <= 0);
  const at = sorted ? entries.findIndex(([key]) => key.localeCompare(name) > 0) : -1;
  entries.splice(at < 0 ? entries.length : at, 0, [name, range]);
  // An existing list keeps its place; a new one goes at the end, where `npm install` puts it.
  rewrite.replaceText(path, render({ ...fields, dependencies: Object.fromEntries(entries) }) + trailing);
}
