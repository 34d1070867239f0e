// The caller and entry index of one file version (its call sites' targets, the entries it registers or exports), kept across analysis runs so an edit re-indexes only the files it can change.
import { ts } from 'ts-morph';
import { exportedEntries, registeredEntries, type Entry } from './entryPoints';
import type { CallerSite } from './executionContext';
import { enclosingFunction } from './scope';
import type { FileModel } from './sourceFile';
import { callTarget, type FunctionRef } from './summaries';
import type { Evaluator } from './values';

/** One file's contributions, in the order a walk of the file meets them (the merged index keeps that order). */
export interface FileIndexPart {
  callers: [target: ts.Node, site: CallerSite][];
  entries: [fn: ts.Node, entry: Entry][];
  /** Paths of the files its targets and entries are in: when one of them is re-parsed, the part names stale nodes. */
  reaches: Set<string>;
}

/**
 * Parts by file version. The owner (the session) forgets the parts of files whose call targets an edit may move (the
 * edited file's importers and imports, as for findings); a new version of a file is a new key, so it is indexed anew.
 */
export class CallerIndexParts {
  private readonly parts = new WeakMap<FileModel, FileIndexPart>();

  get(file: FileModel): FileIndexPart | undefined {
    return this.parts.get(file);
  }

  set(file: FileModel, part: FileIndexPart): void {
    this.parts.set(file, part);
  }

  /** Forgets the parts of `files`, and of every file in `all` whose part reaches into `changed` (a path). */
  forget(files: Iterable<FileModel | undefined>, changed: string, all: Iterable<FileModel>): void {
    for (const file of files) if (file) this.parts.delete(file);
    for (const file of all) if (this.parts.get(file)?.reaches.has(changed)) this.parts.delete(file);
  }
}

/** Walks one file: every call's target, functions handed over by name, framework registrations and exported entries. */
export function indexFile(
  evaluator: Evaluator,
  file: FileModel,
  functionValue: (expr: ts.Expression) => FunctionRef | undefined,
): FileIndexPart {
  const part: FileIndexPart = { callers: [], entries: [], reaches: new Set() };
  const reach = (fn: FunctionRef): ts.Node => {
    part.reaches.add(fn.file.path);
    return fn.node;
  };
  for (const { fn, entry } of exportedEntries(evaluator, file)) part.entries.push([reach(fn), entry]);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const caller = enclosingFunction(node);
      const callerRef = caller ? { file, node: caller } : undefined;
      if (ts.isCallExpression(node)) {
        const target = callTarget(evaluator, node);
        if (target) part.callers.push([reach(target), { call: node, file, caller: callerRef }]);
      }
      for (const { fn, entry } of registeredEntries(evaluator, node)) part.entries.push([reach(fn), entry]);
      // A function handed over by name (`items.forEach(save)`, `emitter.on('x', handle)`) is called by the callee.
      if (ts.isCallExpression(node))
        for (const argument of node.arguments) {
          if (!ts.isIdentifier(argument) && !ts.isPropertyAccessExpression(argument)) continue;
          const passed = functionValue(argument);
          if (passed) part.callers.push([reach(passed), { call: node, file, caller: callerRef }]);
        }
    }
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  return part;
}
