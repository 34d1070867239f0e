// Where code runs: the set of entry kinds (request, job, start-up, one-off) that reach a function through the call graph.
import { ts } from 'ts-morph';
import { WRITE_ENTRY_LABEL } from '../knowledge/frameworks';
import { declaredEntry, fileEntry, isInlineArgument, type Entry, type EntryKind } from './entryPoints';
import { enclosingFunction, isFunctionBoundary } from './scope';
import type { FileModel } from './sourceFile';
import type { FunctionRef } from './summaries';

export type { Entry, EntryKind };

/**
 * `hot`: a request or a job reaches the code, so its cost repeats with traffic or data; `cold`: only start-up or
 * one-off code does (migrations, seeds, scripts, tests, browser code); `unknown`: no entry point was found.
 */
export type Heat = 'hot' | 'cold' | 'unknown';

/** A call site that leads to a function, and the function it sits in (undefined at module scope). */
export interface CallerSite {
  call: ts.CallExpression;
  file: FileModel;
  caller: FunctionRef | undefined;
}

export interface ExecutionContext {
  /** Every entry kind that reaches the function, itself included. */
  kinds: ReadonlySet<EntryKind>;
  heat: Heat;
  /** The nearest entry of each kind that reaches it. */
  entries: readonly ReachingEntry[];
  /** The nearest request or job that reaches it, with the calls from there (outermost first); for messages. */
  hotEntry?: ReachingEntry;
  /** The nearest entry of any kind (the hot one when there is one). */
  entry?: ReachingEntry;
  /**
   * Hot, but every request entry that reaches it is rare (admin-only routes) and no job does: cost per request is real
   * but traffic is low. Rules about repeated identical reads (missing-cache) should not report rare code; rules about
   * cost that grows with data (n-plus-one, unbounded-read) still should.
   */
  rare: boolean;
  /**
   * Hot, and every entry that reaches it changes data (a POST/PUT/PATCH/DELETE route, a GraphQL mutation, a server
   * action, a tRPC mutation) and no job does: it runs once per user action, not once per page view.
   */
  writesOnly: boolean;
  /**
   * The nearest GraphQL field resolver of an object type that reaches the code: it runs once per parent object of a
   * list, so a round trip here is N+1 through GraphQL unless a DataLoader batches it.
   */
  perParent?: ReachingEntry;
}

export interface ReachingEntry extends Entry {
  fn: FunctionRef | undefined;
  path: CallerSite[];
}

/** What the contexts need from the project: who calls a function, and which functions frameworks call. */
export interface CallGraph {
  callersOf(fn: FunctionRef): CallerSite[];
  registeredEntry(fn: FunctionRef): Entry | undefined;
}

const HOT: ReadonlySet<EntryKind> = new Set(['request', 'job']);
/** Functions visited per question at most: beyond this the answer is what was found so far. */
const MAX_VISITED = 400;

const MODULE_SCOPE: Entry = { kind: 'startup', via: 'module', label: 'module scope (at load)' };

export class ExecutionContexts {
  private readonly memo = new Map<ts.Node, ExecutionContext>();
  /** `entryOf` per function: every question's walk up the callers asks it again of the same outer functions. */
  private readonly entries = new Map<ts.Node, Entry | null>();

  constructor(private readonly graph: CallGraph) {}

  /** The entry that makes `fn` itself an entry point (framework registration, declaration or its file), if any. */
  entryOf(fn: FunctionRef): Entry | undefined {
    const known = this.entries.get(fn.node);
    if (known !== undefined) return known ?? undefined;
    const entry = fileEntry(fn.file) ?? this.graph.registeredEntry(fn) ?? declaredEntry(fn);
    this.entries.set(fn.node, entry ?? null);
    return entry;
  }

  /** The context of the code at `node`: its function's, or start-up for module scope (one-off in one-off files). */
  ofNode(file: FileModel, node: ts.Node): ExecutionContext {
    const fn = enclosingFunction(node);
    if (fn) return this.of({ file, node: fn });
    return contextFrom([{ ...(fileEntry(file) ?? MODULE_SCOPE), fn: undefined, path: [] }]);
  }

  /** The entry kinds that reach `fn` through calls (breadth first, so the nearest entry names the context). */
  of(fn: FunctionRef): ExecutionContext {
    const known = this.memo.get(fn.node);
    if (known) return known;
    const found: ReachingEntry[] = [];
    const seen = new Set<ts.Node>([fn.node]);
    const queue: { fn: FunctionRef; path: CallerSite[] }[] = [{ fn, path: [] }];
    while (queue.length && seen.size <= MAX_VISITED) {
      const { fn: current, path } = queue.shift()!;
      const memoized = current !== fn ? this.memo.get(current.node) : undefined;
      if (memoized) {
        // Already answered: its entries, reached through this path.
        for (const entry of memoized.entries) found.push({ ...entry, path: [...entry.path, ...path] });
        if (memoized.perParent) found.push({ ...memoized.perParent, path: [...memoized.perParent.path, ...path] });
        continue;
      }
      const own = this.entryOf(current);
      if (own) {
        found.push({ ...own, fn: current, path });
        continue;
      }
      for (const next of this.callers(current)) {
        // Tests call everything: a test calling service code says nothing about where it runs in production.
        if (isTestCaller(next) && !isTestCaller({ file: current.file })) continue;
        // A call in a `while` loop that waits on a queue or a poll runs per message, even when start-up began it.
        if (inConsumerLoop(next.call)) {
          found.push({ ...CONSUMER_LOOP, fn: current, path });
          continue;
        }
        if (!next.caller) {
          found.push({ ...(fileEntry(next.file) ?? MODULE_SCOPE), fn: undefined, path: [next, ...path] });
          continue;
        }
        if (seen.has(next.caller.node)) continue;
        seen.add(next.caller.node);
        queue.push({ fn: next.caller, path: [next, ...path] });
      }
    }
    const context = contextFrom(found);
    this.memo.set(fn.node, context);
    return context;
  }

  /** Call sites of `fn`; an inline callback (`rows.map(async (r) => …)`) is called by the function it sits in. */
  private callers(fn: FunctionRef): CallerSite[] {
    if (isInlineArgument(fn.node)) {
      const call = fn.node.parent as ts.CallExpression;
      const outer = enclosingFunction(call);
      return [{ call, file: fn.file, caller: outer ? { file: fn.file, node: outer } : undefined }];
    }
    const known = this.graph.callersOf(fn);
    if (known.length) return known;
    // `runQuery({ [PRISMA]: () => relationalQuery(data) })`: a function in an options object handed straight to a call
    // is called by that call's callee, so it runs where the call runs.
    const call = optionsObjectCall(fn.node);
    if (!call) return known;
    const outer = enclosingFunction(call);
    return [{ call, file: fn.file, caller: outer ? { file: fn.file, node: outer } : undefined }];
  }
}

/** The call whose argument is the object literal holding `fn` as a property or method, if any. */
function optionsObjectCall(fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(fn.parent) ? fn.parent : undefined;
  if (!property || (ts.isPropertyAssignment(property) && property.initializer !== fn)) return undefined;
  const object = property.parent;
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  let holder: ts.Node = object;
  while (ts.isParenthesizedExpression(holder.parent) || ts.isAsExpression(holder.parent)) holder = holder.parent;
  const call = holder.parent;
  return ts.isCallExpression(call) && call.arguments.includes(holder as ts.Expression) ? call : undefined;
}

const CONSUMER_LOOP: Entry = { kind: 'job', via: 'loop', label: 'a worker loop (once per message)' };

/** Inside a `while`/`do` loop of its function that awaits something each turn (a queue pop, a poll). */
function inConsumerLoop(call: ts.CallExpression): boolean {
  for (let node: ts.Node = call.parent; node && !isFunctionBoundary(node); node = node.parent) {
    if ((ts.isWhileStatement(node) || ts.isDoStatement(node)) && awaitsInside(node.statement)) return true;
  }
  return false;
}

function awaitsInside(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found || isFunctionBoundary(child)) return;
    if (ts.isAwaitExpression(child)) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function isTestCaller(site: { file: FileModel }): boolean {
  return fileEntry(site.file)?.via === 'test';
}

function contextFrom(found: ReachingEntry[]): ExecutionContext {
  const nearest = new Map<EntryKind, ReachingEntry>();
  for (const entry of found) {
    const known = nearest.get(entry.kind);
    if (!known || entry.path.length < known.path.length) nearest.set(entry.kind, entry);
  }
  const entries = [...nearest.values()].sort((a, b) => a.path.length - b.path.length);
  const hotEntry = entries.find((e) => HOT.has(e.kind));
  const heat: Heat = hotEntry ? 'hot' : entries.length ? 'cold' : 'unknown';
  const hot = found.filter((e) => HOT.has(e.kind));
  const rare = hot.length > 0 && hot.every((e) => e.rare);
  const writesOnly = hot.length > 0 && hot.every((e) => WRITE_ENTRY_LABEL.test(e.label));
  const perParent = found.filter((e) => e.perParent).sort((a, b) => a.path.length - b.path.length)[0];
  return {
    kinds: new Set(nearest.keys()),
    heat,
    entries,
    hotEntry,
    entry: hotEntry ?? entries[0],
    rare,
    writesOnly,
    perParent,
  };
}

/** Whether the code runs per request or per job. */
export function isHot(context: ExecutionContext): boolean {
  return context.heat === 'hot';
}

/** "in `GET /orders`" for messages (the nearest hot entry, else the nearest one); empty when none is known. */
export function whereItRuns(context: ExecutionContext): string {
  const entry = context.hotEntry ?? context.entry;
  return entry ? `in ${entry.label}` : '';
}
