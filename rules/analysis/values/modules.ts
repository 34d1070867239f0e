// Modules: what an import binding, a library export or a project module's export denotes (re-exports, CommonJS).
import { ts } from 'ts-morph';
import { own } from '../../knowledge/own';
import type { Library } from '../../knowledge/schema';
import { libraryForModule } from '../fileSet';
import type { FileModel, ImportBinding } from '../sourceFile';
import type { Evaluator } from './evaluator';
import type { Value } from './value';

export function importValue(ev: Evaluator, file: FileModel, binding: ImportBinding): Value | undefined {
  const library = libraryForModule(ev.knowledge, binding.module);
  let value: Value | undefined;
  if (library) value = libraryExport(ev, library, binding.name);
  else {
    const target = ev.files.resolveModule(file.path, binding.module);
    value = target ? ev.exportValue(target, binding.name, new Set()) : undefined;
  }
  return ev.followPath(value, binding.path);
}

export function libraryExport(ev: Evaluator, library: Library, name: string): Value | undefined {
  const exports = library.exports;
  const direct = own(exports, name);
  // An export that is itself a ready client (`import axios from 'axios'`) is a handle.
  if (direct?.value) return ev.handleOf(library, direct.value);
  if (name === '*' || name === 'default') {
    const spec = own(exports, name) ?? own(exports, name === '*' ? 'default' : '*');
    if (spec?.value) return ev.handleOf(library, spec.value);
    // Without an explicit namespace value, the namespace's members are the named exports.
    const members = { ...exports, ...(spec?.members ?? {}) };
    return { kind: 'export', library, spec: { ...spec, members }, name };
  }
  const spec =
    own(exports, name) ?? own(own(exports, 'default')?.members, name) ?? own(own(exports, '*')?.members, name);
  return spec ? { kind: 'export', library, spec, name } : undefined;
}

/** The value `target` exports under `name`, following re-exports and CommonJS `module.exports`. */
export function exportValue(ev: Evaluator, target: FileModel, name: string, seen: Set<string>): Value | undefined {
  const key = `${target.path}#${name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const entry = target.exports.get(name) ?? (name === 'default' ? target.exports.get('*') : undefined);
  if (entry) {
    if (entry.kind === 'node') return declarationValue(ev, target, entry.node);
    if (entry.kind === 'local') {
      const binding = target.imports.get(entry.name);
      if (binding) return ev.importValue(target, binding);
      const local = target.topLevel.get(entry.name);
      return local ? declarationValue(ev, target, local) : undefined;
    }
    const library = libraryForModule(ev.knowledge, entry.module);
    if (library) return libraryExport(ev, library, entry.name);
    const next = ev.files.resolveModule(target.path, entry.module);
    return next ? ev.exportValue(next, entry.name, seen) : undefined;
  }
  if (name === '*') return { kind: 'module', file: target };
  const cjs = target.exports.get('*');
  if (cjs && cjs.kind === 'node') return ev.memberOf(declarationValue(ev, target, cjs.node), name);
  for (const star of target.starExports) {
    const next = ev.files.resolveModule(target.path, star);
    const value = next ? ev.exportValue(next, name, seen) : undefined;
    if (value) return value;
  }
  return undefined;
}

export function declarationValue(ev: Evaluator, file: FileModel, node: ts.Node): Value | undefined {
  if (ts.isVariableDeclaration(node))
    return ts.isIdentifier(node.name) ? ev.variableValue(file, node, node.name.text) : undefined;
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return { kind: 'function', file, node };
  if (ts.isClassDeclaration(node)) return { kind: 'class', file, node };
  return ev.valueOf(node);
}
