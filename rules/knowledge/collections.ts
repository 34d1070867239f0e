// Where collections come from, as data: array methods that keep a collection's size, request fields, configuration.

/** Array methods whose result has at most as many elements as their receiver (`rows.map(…)`, `ids.filter(…)`). */
export const SIZE_KEEPING_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'flatMap',
  'flat',
  'sort',
  'reverse',
  'toSorted',
  'toReversed',
  'slice',
  'concat',
  'values',
  'keys',
  'entries',
  'splice',
]);

/**
 * String methods that make a list of a text (`req.query.ids.split(',')`): a text the client sent becomes as many
 * elements as the client wrote.
 */
export const STRING_SPLITTING_METHODS: ReadonlySet<string> = new Set(['split', 'match', 'matchAll']);

/** Methods that take one element out of a collection (`rows.find(…)`, `rows.at(-1)`). */
export const ONE_ELEMENT_METHODS: ReadonlySet<string> = new Set(['find', 'findLast', 'at', 'pop', 'shift']);

/** `Object.keys(x)` and friends, `Array.from(x)`: as many elements as `x` has. */
export const SIZE_KEEPING_STATICS: ReadonlySet<string> = new Set([
  'Object.keys',
  'Object.values',
  'Object.entries',
  'Array.from',
  'Promise.all',
  'Promise.allSettled',
]);

/** Constructors of collections that copy another one (`new Set(ids)`, `new Map(pairs)`). */
export const COPYING_CONSTRUCTORS: ReadonlySet<string> = new Set(['Set', 'Map', 'Array']);

/** Methods that add one element to a collection built in place (`out.push(x)`, `seen.add(id)`, `byId.set(k, v)`). */
export const ADDING_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'add', 'set']);

/**
 * Members of a request object that hold what the client sent (`req.body.items`, `ctx.request.query.ids`, tRPC `input`).
 */
export const REQUEST_DATA_MEMBERS: ReadonlySet<string> = new Set([
  'body',
  'query',
  'params',
  'input',
  'args',
  'payload',
]);

/**
 * Parameter decorators that bind a handler parameter to what the client sent (NestJS, routing-controllers,
 * TypeGraphQL).
 */
export const REQUEST_PARAMETER_DECORATORS: ReadonlySet<string> = new Set([
  'Body',
  'Query',
  'Param',
  'Args',
  'Arg',
  'Payload',
  'MessageBody',
  'QueryParams',
  'BodyParam',
]);

/** Modules whose exports are configuration (`import config from './config'`, `@/constants`): fixed at deploy time. */
export const CONFIG_MODULE = /(^|[/@~])(config|configs|configuration|settings|constants?|env)(\.[cm]?[jt]s)?$/i;
/** Expressions that read configuration: `process.env`, a ConfigService's `get`. */
export const CONFIG_ROOTS: ReadonlySet<string> = new Set(['process.env', 'import.meta.env']);
/** Methods of configuration services (`this.configService.get('regions')`, `config.get('providers')`). */
export const CONFIG_SERVICE = /^(this\.)?(config|configService|settings|conf)\.(get|getOrThrow)$/i;

/**
 * Members of a driver's result object that hold its rows (pg `result.rows`, axios `response.data`, mssql `recordset`).
 */
export const RESULT_ROWS_MEMBERS: ReadonlySet<string> = new Set(['rows', 'data', 'recordset', 'Items', 'docs']);

/**
 * Calls that take an array of pending queries and send them together (`prisma.$transaction([...])`, drizzle
 * `db.batch([...])`): a list mapped into one of these is one batch, not N round trips.
 */
export const QUERY_ARRAY_BATCH_CALLS: ReadonlySet<string> = new Set(['$transaction', 'batch']);

/** Object keys and calls that filter by a list of values (`{ $in: ids }`, `{ in: ids }`, `inArray(col, ids)`). */
export const LIST_FILTER_KEYS: ReadonlySet<string> = new Set(['$in', 'in', '$nin']);
export const LIST_FILTER_CALLS: ReadonlySet<string> = new Set([
  'inArray',
  'In',
  'whereIn',
  'orWhereIn',
  'whereInIds',
  'findByIds',
  'andWhereIn',
]);

/** Helpers that split a list into chunks (`chunk(ids, 100)`, `_.chunk`, `chunkArray`). */
export const CHUNKING_CALL = /^(chunk|chunks|chunkArray|splitIntoChunks|batches|toChunks|inChunks)$/i;

/** Calls that report rather than do work (`logger.warn`, `console.error`, `this.jobLog`): a branch with one reports. */
export const LOGGING_CALL =
  /^(log|warn|error|debug|info|trace)([A-Z_]|$)|[a-z_](Log|Warn|Error)([A-Z_]|$)|_(log|warn|error)$/;
