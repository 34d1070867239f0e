// The kinds of collection size (fixed, one, page, grows, unknown), what a size says, and how two alternatives combine.
import type { ts } from 'ts-morph';
import { isSmallTable, readSubject } from './reads/subject';
import { boundGrows, readBound, type ReadBound } from './reads/bound';
import { rangeLength, readsWholeRange } from './reads/redisRange';
import type { RoundTrip } from './roundTrips';
import type { CallerSite } from './executionContext';
import type { ReadBoundOptions } from './reads/bound';
import type { RoundTripFinder } from './roundTrips';
import type { FileModel } from './sourceFile';
import type { FunctionRef } from './summaries';
import type { Evaluator } from './values';

/**
 * `fixed`: small by construction (a literal, an enum, configuration, the parts of one value); `one`: a single row or
 * element; `page`: bounded by a limit (`max` when known); `grows`: grows with the data or the request (rows of a read
 * with no bound, one parent's rows, a request's array, an external list); `unknown`: nothing says.
 */
export type SizeKind = 'fixed' | 'one' | 'page' | 'grows' | 'unknown';

export interface CollectionSize {
  kind: SizeKind;
  /** Why, for messages: "rows of `prisma.order.findMany` with no `take`", "a literal list of 3". */
  reason: string;
  /** Most elements it can have, when known (a literal's length, `take: 20`). */
  max?: number;
  /** Where the size comes from (the read, the literal, the request field) and its file. */
  origin?: { node: ts.Node; file: FileModel };
  /**
   * What the value is, when its members have sizes of their own: rows of a read (or one row, whose relations are its
   * children), the request object of a handler, what the client sent, or a message parsed from a round trip's result
   * (a queue job's payload, whose lists hold what the producer sent).
   */
  source?: 'rows' | 'row' | 'request-object' | 'request' | 'message';
  /**
   * An `unknown` size because the engine sees no origin at all: a parameter of a function nothing in the project calls
   * (an exported helper, a library API). Unknown sizes the engine traced to a value it cannot size (a context
   * object's member, a field, a framework's payload) do not carry it.
   */
  unseen?: boolean;
  /** The children of one parent (a foreign-key filter, a row's relation): grows with that parent, usually by little. */
  perParent?: boolean;
}

/** What sizing needs from the project. */
export interface SizeDeps {
  evaluator: Evaluator;
  roundTrips: RoundTripFinder;
  callersOf(fn: FunctionRef): CallerSite[];
  /** Whether a function is called by a framework per request (its parameters then carry what the client sent). */
  isRequestEntry(fn: FunctionRef): boolean;
  options: ReadBoundOptions;
}

export const UNKNOWN: CollectionSize = { kind: 'unknown', reason: 'a collection of unknown size' };
export const MAX_DEPTH = 12;
export const MAX_CALLERS = 12;

/** Whether N round trips over this collection grow with the data (or the request), rather than staying small. */
export function sizeGrows(size: CollectionSize, smallMax: number): boolean {
  return size.kind === 'grows' || (size.kind === 'page' && (size.max === undefined || size.max > smallMax));
}

/**
 * Whether a loop over this collection is worth an n-plus-one report: it grows (rows of an unbounded read, a request's
 * array, an external list, one parent's children, rows of a read of unknown bound), it is a page or a fixed count
 * above `smallMax`, or nothing in the
 * project shows where it comes from (`unseen`). A traced origin the engine cannot size stays silent: most such
 * collections are small by domain (a rule's actions, a product's variants, configured channels).
 */
export function sizeWorthReporting(size: CollectionSize, smallMax: number): boolean {
  if (sizeGrows(size, smallMax)) return true;
  if (size.kind === 'fixed') return size.max !== undefined && size.max > smallMax;
  // Rows of a read whose bound is not known (a limit from a caller's options): a result set that follows the data.
  return size.kind === 'unknown' && (size.unseen === true || size.source === 'rows');
}

/** Small by construction or by a bound no larger than `smallMax`. */
export function sizeIsSmall(size: CollectionSize, smallMax: number): boolean {
  return (
    size.kind === 'one' ||
    (size.kind === 'fixed' && (size.max === undefined || size.max <= smallMax)) ||
    (size.kind === 'page' && size.max !== undefined && size.max <= smallMax)
  );
}

/** The worse of two alternatives: growth wins, then unknown, then the larger bound. */
export function either(a: CollectionSize, b: CollectionSize): CollectionSize {
  const rank: Record<SizeKind, number> = { grows: 4, unknown: 3, page: 2, fixed: 1, one: 0 };
  if (rank[a.kind] !== rank[b.kind]) return rank[a.kind] > rank[b.kind] ? a : b;
  if (a.max === undefined || b.max === undefined) return a.max === undefined ? a : b;
  return a.max >= b.max ? a : b;
}

export function fixed(reason: string, max: number | undefined, node: ts.Node, file: FileModel): CollectionSize {
  return { kind: 'fixed', reason, max, origin: { node, file } };
}

/** Rows of a read: one, a page, or every matching row (grows). */
export function readRowsSize(file: FileModel, trip: RoundTrip, deps: SizeDeps): CollectionSize {
  const origin = { node: trip.call as ts.Node, file };
  const operation = `\`${trip.receiverText}.${trip.method}\``.replace('.()', '');
  if (trip.library.roundTripNoun === 'request')
    return { kind: 'grows', reason: `an external list (${operation})`, origin, source: 'rows' };
  const unbounded = trip.spec.unbounded;
  if (unbounded && (typeof unbounded === 'string' || readsWholeRange(file, trip)))
    return { kind: 'grows', reason: `a whole Redis collection (${operation})`, origin, source: 'rows' };
  // `ZRANGE key 0 limit-1`: a slice, as bounded as its stop index.
  if (unbounded) {
    const max = rangeLength(file, trip);
    const most = max !== undefined ? ` (at most ${max})` : '';
    return { kind: 'page', reason: `a slice of ${operation}${most}`, max, origin, source: 'rows' };
  }
  const bound: ReadBound = readBound(file, trip, deps.options, deps);
  switch (bound.kind) {
    case 'single':
      return { kind: 'one', reason: `one row of ${operation}`, origin, source: 'row' };
    case 'limited':
      return {
        kind: 'page',
        reason: `a page of ${operation}${bound.max !== undefined ? ` (at most ${bound.max})` : ''}`,
        max: bound.max,
        origin,
        source: 'rows',
      };
    case 'owner':
      // One parent's rows of a configuration or reference table (its roles, providers, webhooks) stay few.
      if (isSmallTable(readSubject(file, trip)))
        return {
          kind: 'fixed',
          reason: `the rows of one parent from ${operation} (a small, admin-managed table)`,
          origin,
          source: 'rows',
        };
      return {
        kind: 'grows',
        reason: `the rows of one parent from ${operation}, with no limit`,
        origin,
        source: 'rows',
        perParent: true,
      };
    default:
      return boundGrows(bound)
        ? { kind: 'grows', reason: `every matching row of ${operation} (no limit)`, origin, source: 'rows' }
        : { kind: 'unknown', reason: `rows of ${operation}`, origin, source: 'rows' };
  }
}
