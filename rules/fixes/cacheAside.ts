// Fix data that wraps a read in the project's cache-aside helper, creating the helper module once if it is missing.
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { argumentsOf } from '../analysis/calls';
import type { FixProposal, TextEdit } from '../analysis/types';
import type { RoundTrip } from '../analysis/roundTrips';
import { enclosingFunction } from '../analysis/scope';
import type { FileModel } from '../analysis/sourceFile';
import { CACHE_HELPER_BASENAME, cacheHelperSource } from './templates/cacheAside';

function languageOf(file: FileModel): 'ts' | 'esm' | 'cjs' {
  if (/\.[cm]?tsx?$/.test(file.path)) return 'ts';
  if (file.path.endsWith('.mjs') || file.sourceFile.statements.some(ts.isImportDeclaration)) return 'esm';
  return 'cjs';
}

/** The helper lives in the nearest `src` folder above the file (or next to it), so one module serves the project. */
export function helperPathFor(file: FileModel): string {
  const dir = path.posix.dirname(file.path);
  const parts = dir.split('/');
  const srcIndex = parts.lastIndexOf('src');
  const base = srcIndex >= 0 ? parts.slice(0, srcIndex + 1).join('/') : dir;
  return `${base}/${CACHE_HELPER_BASENAME}.${languageOf(file) === 'ts' ? 'ts' : 'js'}`;
}

/** Arguments built from per-call values would need them in the key; only constant reads get an automatic key. */
export function usesLocalValues(trip: RoundTrip): boolean {
  const fn = enclosingFunction(trip.node);
  if (!fn) return false;
  const locals = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node)) &&
      ts.isIdentifier(node.name)
    )
      locals.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(fn);
  let found = false;
  const check = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isIdentifier(node) &&
      locals.has(node.text) &&
      !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
      !ts.isPropertyAssignment(node.parent)
    )
      found = true;
    else ts.forEachChild(node, check);
  };
  for (const call of [trip.call, ...trip.chain]) argumentsOf(call).forEach(check);
  return found;
}

export function cacheAsideFix(
  file: FileModel,
  trip: RoundTrip,
  subject: string,
  ttlSeconds: number,
): FixProposal | undefined {
  if (usesLocalValues(trip)) return undefined;
  const language = languageOf(file);
  const helperPath = helperPathFor(file);
  let specifier = path.posix.relative(
    path.posix.dirname(file.path),
    helperPath.replace(/\.(ts|js)$/, language === 'esm' ? '.js' : ''),
  );
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const node = trip.node;
  const start = node.getStart(file.sourceFile);
  const key = `perf-advisor:${subject.replace(/[^\w:/.-]+/g, '-')}:${trip.method.replace(/\W/g, '') || 'read'}`;
  const edits: TextEdit[] = [
    { file: helperPath, start: 0, end: 0, newText: cacheHelperSource(language), createFile: true },
    {
      file: file.path,
      start,
      end: node.end,
      newText: `cached('${key}', ${ttlSeconds}, () => ${file.text.slice(start, node.end)})`,
    },
  ];
  const alreadyImported = file.text.includes(`/${CACHE_HELPER_BASENAME}`);
  if (!alreadyImported) {
    const imports = file.sourceFile.statements.filter(
      (s) => ts.isImportDeclaration(s) || (ts.isVariableStatement(s) && /\brequire\(/.test(s.getText(file.sourceFile))),
    );
    const last = imports[imports.length - 1];
    const at = last ? last.end : 0;
    const line =
      language === 'cjs' ? `const { cached } = require('${specifier}');` : `import { cached } from '${specifier}';`;
    edits.push({ file: file.path, start: at, end: at, newText: last ? `\n${line}` : `${line}\n` });
  }
  return {
    title: `Cache \`${subject}\` with cache-aside (Redis, ${ttlSeconds} s TTL + jitter, stampede lock)`,
    kind: 'suggestion',
    edits,
  };
}
