// One analysis run over a file set: the evaluator, round trips, summaries, call graph and request entry points.
import { ts } from 'ts-morph';
import * as frameworks from '../knowledge/frameworks';
import type { Config } from './config';
import { CollectionSizes, type CollectionSize } from './collectionSize';
import { CallerIndexParts, indexFile, MergedCallerIndex } from './callerIndexParts';
import { isInlineArgument, type Entry } from './entryPoints';
import { ExecutionContexts, type CallerSite, type ExecutionContext } from './executionContext';
import { enclosingLoop, type LoopContext } from './loops';
import type { FileSet, Knowledge } from './fileSet';
import { RoundTripFinder } from './roundTrips';
import { enclosingFunction, isFunctionBoundary } from './scope';
import type { FileModel } from './sourceFile';
import { functionName, Summaries, type FunctionRef } from './summaries';
import type { TypeOracle } from './typeOracle';
import { Evaluator } from './values';

export class ProjectAnalysis {
  readonly evaluator: Evaluator;
  readonly roundTrips: RoundTripFinder;
  readonly summaries: Summaries;
  /** Where code runs: the entry kinds that reach each function (computed on first question, once per function). */
  readonly contexts: ExecutionContexts;
  /** How big collections can be: from their origin (reads and their bounds, requests, literals, configuration). */
  readonly sizes: CollectionSizes;
  private index: MergedCallerIndex | undefined;

  constructor(
    readonly files: FileSet,
    readonly knowledge: Knowledge,
    readonly config: Config,
    /** The TypeScript checker for receivers syntax cannot place; undefined when types are off. */
    readonly types?: TypeOracle,
    /** Per-file index parts kept from earlier runs (the session's); undefined: every file is indexed. */
    private readonly indexParts?: CallerIndexParts,
    /**
     * Paths of the files that import `path`, transitively (the session's import graph); undefined: every file is
     * indexed on the first question about callers.
     */
    private readonly importersOf?: (path: string) => Iterable<string>,
  ) {
    this.evaluator = new Evaluator(files, knowledge, types);
    this.roundTrips = new RoundTripFinder(this.evaluator);
    this.summaries = new Summaries(this.evaluator, this.roundTrips);
    this.contexts = new ExecutionContexts({
      callersOf: (fn) => this.callersOf(fn),
      registeredEntry: (fn) => this.registeredEntry(fn),
    });
    this.sizes = new CollectionSizes({
      evaluator: this.evaluator,
      roundTrips: this.roundTrips,
      callersOf: (fn) => this.callersOf(fn),
      isRequestEntry: (fn) => this.contexts.entryOf(fn)?.kind === 'request',
      options: { uniqueKeys: config.uniqueKeys, maxReasonableLimit: config.thresholds.maxReasonableLimit },
    });
  }

  /** The size of the collection `expr` evaluates to. */
  sizeOf(file: FileModel, expr: ts.Expression | undefined): CollectionSize {
    return this.sizes.of(file, expr);
  }

  /** Where the code at `node` runs (its function's context; start-up at module scope). */
  contextOf(file: FileModel, node: ts.Node): ExecutionContext {
    return this.contexts.ofNode(file, node);
  }

  /** The entry a framework registration or an exported convention makes of `fn` (routes, jobs, listeners, pages). */
  registeredEntry(fn: FunctionRef): Entry | undefined {
    return this.callerIndex().registeredEntry(fn);
  }

  loopOf(file: FileModel, node: ts.Node): LoopContext | undefined {
    return enclosingLoop(this.evaluator, file, node);
  }

  functionOf(file: FileModel, node: ts.Node): FunctionRef | undefined {
    const fn = enclosingFunction(node);
    return fn ? { file, node: fn } : undefined;
  }

  /** Every call site of a project function (from the parts of the files that can reach its file, merged on demand). */
  callersOf(fn: FunctionRef): CallerSite[] {
    return this.callerIndex().callersOf(fn);
  }

  /**
   * How a framework invokes a function per request or job ('route', 'middleware', 'resolver', 'cron', …), if it does.
   */
  entryKind(fn: FunctionRef): string | undefined {
    const entry = this.contexts.entryOf(fn);
    return entry && (entry.kind === 'request' || entry.kind === 'job') ? entry.via : undefined;
  }

  /** The nearest request handler or job that reaches `fn` through calls (itself included), with the call path. */
  entryReaching(fn: FunctionRef, maxDepth = 5): { entry: FunctionRef; kind: string; path: CallerSite[] } | undefined {
    // An unregistered inline callback runs when its callee decides (a cache helper may not call it): not claimed here.
    if (isInlineArgument(fn.node) && !this.entryKind(fn)) return undefined;
    const hot = this.contexts.of(fn).hotEntry;
    if (!hot?.fn || hot.path.length > maxDepth) return undefined;
    return { entry: hot.fn, kind: hot.via, path: hot.path };
  }

  private callerIndex(): MergedCallerIndex {
    if (this.index) return this.index;
    const reaching = new Map<string, ReadonlySet<string>>();
    const importersOf = this.importersOf;
    this.index = new MergedCallerIndex({
      files: [...this.files.all()],
      partOf: (file) => {
        let part = this.indexParts?.get(file);
        if (!part) {
          part = indexFile(this.evaluator, file, (expr) => this.functionValue(expr));
          this.indexParts?.set(file, part);
        }
        return part;
      },
      reachingFiles: importersOf
        ? (path) => {
            let set = reaching.get(path);
            if (!set) reaching.set(path, (set = new Set(importersOf(path))));
            return set;
          }
        : undefined,
      fileOf: (node) => this.files.get(node.getSourceFile().fileName),
    });
    return this.index;
  }

  private functionValue(expr: ts.Expression): FunctionRef | undefined {
    const value = this.evaluator.valueOf(expr);
    return value?.kind === 'function' ? { file: value.file, node: value.node } : undefined;
  }
}

/**
 * Whether `node` runs inside a route handler registered behind a response-cache middleware
 * (`router.get('/x', cache('5 minutes'), async (req, res) => …)`): it runs only on cache misses.
 */
export function behindRouteCache(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (!isFunctionBoundary(current) || !ts.isCallExpression(current.parent)) continue;
    const registration = current.parent;
    const callee = registration.expression;
    if (!ts.isPropertyAccessExpression(callee) || !frameworks.ROUTE_METHODS.has(callee.name.text)) continue;
    const index = registration.arguments.indexOf(current as ts.Expression);
    return registration.arguments
      .slice(0, index)
      .some(
        (arg) =>
          ts.isCallExpression(arg) &&
          frameworks.ROUTE_CACHE_MIDDLEWARE.test(arg.expression.getText().replace(/\s+/g, '')),
      );
  }
  return false;
}

/** Whether `node` sits in a function (at any depth) whose own name matches `pattern` (`migrateUsers`, `bootstrap`). */
export function inFunctionNamed(file: FileModel, node: ts.Node, pattern: RegExp): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (
      isFunctionBoundary(current) &&
      pattern.test(
        functionName({ file, node: current as ts.FunctionLikeDeclaration })
          .split('.')
          .pop()!,
      )
    )
      return true;
  }
  return false;
}

export { isFunctionBoundary };
export type { CallerSite };
