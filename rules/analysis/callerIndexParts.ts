// The caller and entry index of one file version (its call sites' targets, the entries it registers or exports), kept across analysis runs so an edit re-indexes only the files it can change; and their merge, done only for the files that can call the function asked about.
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
  /** Classes declared here with the class they extend: a base method's call may run their overrides. */
  subclasses: [base: ts.Node, cls: ts.ClassLikeDeclaration][];
  /** Calls here of class methods, for the overrides the merged index adds once every subclass is known. */
  methodCalls: [target: FunctionRef, site: CallerSite][];
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
  const part: FileIndexPart = { callers: [], entries: [], subclasses: [], methodCalls: [], reaches: new Set() };
  const reach = (fn: FunctionRef): ts.Node => {
    part.reaches.add(fn.file.path);
    return fn.node;
  };
  for (const { fn, entry } of exportedEntries(evaluator, file)) part.entries.push([reach(fn), entry]);
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const base = evaluator.baseOf(node);
      if (base?.kind === 'class') {
        part.reaches.add(base.file.path);
        part.subclasses.push([base.node, node]);
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const caller = enclosingFunction(node);
      const callerRef = caller ? { file, node: caller } : undefined;
      if (ts.isCallExpression(node)) {
        const target = callTarget(evaluator, node);
        if (target) part.callers.push([reach(target), { call: node, file, caller: callerRef }]);
        if (target && ts.isMethodDeclaration(target.node) && ts.isClassLike(target.node.parent))
          part.methodCalls.push([target, { call: node, file, caller: callerRef }]);
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

/** Where a merged site or entry came from: the file's place in the project's order, then its place in the file's part. */
interface Ordered<T> {
  order: number;
  seq: number;
  value: T;
}

const byPlace = <T>(a: Ordered<T>, b: Ordered<T>) => a.order - b.order || a.seq - b.seq;

export interface MergedIndexSource {
  /** The project's files in their order (the merged lists keep it, so answers never depend on what was asked first). */
  files: readonly FileModel[];
  /** The file's part, from the kept parts or indexed now. */
  partOf(file: FileModel): FileIndexPart;
  /**
   * Paths of the files whose code can reach `path` (its importers, transitively; itself included), or undefined:
   * every file can. Calls cross files only through imports, so the callers and registrations of a function are there.
   */
  reachingFiles?(path: string): ReadonlySet<string> | undefined;
  fileOf(node: ts.Node): FileModel | undefined;
}

/**
 * The caller and entry index merged from the parts of only the files a question needs: a request handler's file and
 * its few importers, not the whole workspace (an opened file's first diagnostics, a scan helper's share). The answers
 * are those of a merge of every file, in the same order.
 */
export class MergedCallerIndex {
  private readonly merged = new Set<FileModel>();
  private readonly order = new Map<FileModel, number>();
  private readonly callers = new Map<ts.Node, { sites: Ordered<CallerSite>[]; sorted: boolean }>();
  private readonly entries = new Map<ts.Node, Ordered<Entry>>();
  /** Class → the project class it extends (from the parts: a base method's call may run its overrides). */
  private readonly bases = new Map<ts.Node, ts.Node>();
  /** Calls of class methods by the class declaring the method called. */
  private readonly methodCalls = new Map<ts.Node, Ordered<{ name: string; site: CallerSite }>[]>();
  private readonly answered = new Map<ts.Node, CallerSite[]>();

  constructor(private readonly source: MergedIndexSource) {
    source.files.forEach((file, i) => this.order.set(file, i));
  }

  callersOf(fn: FunctionRef): CallerSite[] {
    const known = this.answered.get(fn.node);
    if (known) return known;
    this.mergeReaching(fn.file);
    const direct = this.callers.get(fn.node);
    if (direct && !direct.sorted) {
      direct.sites.sort(byPlace);
      direct.sorted = true;
    }
    const out = (direct?.sites ?? []).map((s) => s.value);
    out.push(...this.overrideSites(fn));
    this.answered.set(fn.node, out);
    return out;
  }

  registeredEntry(fn: FunctionRef): Entry | undefined {
    this.mergeReaching(fn.file);
    return this.entries.get(fn.node)?.value;
  }

  /** Calls of the same-named method of a class `fn`'s class extends (at any depth), in the project's order. */
  private overrideSites(fn: FunctionRef): CallerSite[] {
    const method = fn.node;
    if (!ts.isMethodDeclaration(method) || !method.body || !ts.isIdentifier(method.name)) return [];
    const name = method.name.text;
    const found: Ordered<{ name: string; site: CallerSite }>[] = [];
    const seen = new Set<ts.Node>();
    for (let cls = this.baseOf(method.parent); cls && !seen.has(cls); cls = this.baseOf(cls)) {
      seen.add(cls);
      for (const call of this.methodCalls.get(cls) ?? []) if (call.value.name === name) found.push(call);
    }
    return found.sort(byPlace).map((call) => call.value.site);
  }

  /** The base class of `cls`, with every file that can call the base's methods merged. */
  private baseOf(cls: ts.Node): ts.Node | undefined {
    const base = this.bases.get(cls);
    const file = base && this.source.fileOf(base);
    if (file) this.mergeReaching(file);
    return base;
  }

  private mergeReaching(file: FileModel): void {
    const reaching = this.source.reachingFiles?.(file.path);
    if (reaching === undefined) {
      if (this.merged.size < this.source.files.length) for (const each of this.source.files) this.merge(each);
      return;
    }
    this.merge(file);
    for (const path of reaching) {
      const each = this.byPath().get(path);
      if (each) this.merge(each);
    }
  }

  private paths: Map<string, FileModel> | undefined;

  private byPath(): Map<string, FileModel> {
    this.paths ??= new Map(this.source.files.map((file) => [file.path, file]));
    return this.paths;
  }

  private merge(file: FileModel): void {
    if (this.merged.has(file)) return;
    const order = this.order.get(file);
    if (order === undefined) return;
    this.merged.add(file);
    // An answer given before this file was merged would miss its sites (it cannot have any: it does not reach there).
    this.answered.clear();
    const part = this.source.partOf(file);
    part.callers.forEach(([target, site], seq) => {
      const list = this.callers.get(target);
      if (list) {
        list.sites.push({ order, seq, value: site });
        list.sorted = false;
      } else this.callers.set(target, { sites: [{ order, seq, value: site }], sorted: true });
    });
    part.entries.forEach(([fn, entry], seq) => {
      const kept = this.entries.get(fn);
      if (!kept || byPlace({ order, seq, value: entry }, kept) < 0) this.entries.set(fn, { order, seq, value: entry });
    });
    for (const [base, cls] of part.subclasses) this.bases.set(cls, base);
    part.methodCalls.forEach(([target, site], seq) => {
      const method = target.node;
      if (!ts.isMethodDeclaration(method) || !ts.isIdentifier(method.name)) return;
      const list = this.methodCalls.get(method.parent) ?? [];
      list.push({ order, seq, value: { name: method.name.text, site } });
      this.methodCalls.set(method.parent, list);
    });
  }
}
