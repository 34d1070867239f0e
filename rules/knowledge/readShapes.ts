// Library-independent facts about reads: builder calls that shrink a result to one row or a domain of values, calls
// that stream rows instead of loading them, array methods that keep a loaded list whole, and Redis's SCAN family.

/** Builder calls that turn a read into one aggregate row (`count`, `max`), unless a group-by call splits it. */
export const AGGREGATE_CALLS: ReadonlySet<string> = new Set([
  'count',
  'countDistinct',
  'min',
  'max',
  'sum',
  'avg',
  'sumDistinct',
  'avgDistinct',
  'getCount',
]);

/** Builder calls that group an aggregate into one row per group (which grows with the data). */
export const GROUP_CALLS: ReadonlySet<string> = new Set(['groupBy', 'groupByRaw', 'addGroupBy']);

/** Builder calls that return one row per distinct value: a domain of values, not the table. */
export const DISTINCT_CALLS: ReadonlySet<string> = new Set(['distinct', 'distinctOn']);

/** Executions that stream rows in batches (memory stays flat), rather than loading them all. */
export const STREAMING_CALLS: ReadonlySet<string> = new Set([
  'forEach',
  'stream',
  'cursor',
  'eachAsync',
  'pipe',
  'iterate',
]);

/** Array methods that keep a loaded list a list, so a `.slice` after them still slices the whole read. */
export const LIST_METHODS: ReadonlySet<string> = new Set([
  'filter',
  'map',
  'sort',
  'reverse',
  'toSorted',
  'toReversed',
  'concat',
]);

/** The SCAN-family command that walks a key of each kind in steps, by the first letter of its whole-read command. */
export const SCAN_COMMAND_FOR: Readonly<Record<string, string>> = { s: 'SSCAN', h: 'HSCAN', z: 'ZSCAN' };
