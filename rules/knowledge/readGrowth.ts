// Evidence about how big a read's rows get: kinds that grow with use, lookup kinds, whole-read routes, near-unique columns.

/**
 * Kinds of rows that pile up with use under one parent, beyond the content and events of GROWING_CHILD_WORDS:
 * notifications, audit trails, alerts, sales, bookmarks, reactions. A read of one parent's rows reports only when the
 * table's head noun is one of these; an admin- or user-managed set (a project's groups, an org's servers, a product's
 * variants) stays small.
 */
export const MORE_GROWING_KINDS: ReadonlySet<string> = new Set([
  'notification',
  'audit',
  'alert',
  'sale',
  'bookmark',
  'reaction',
  'vote',
  'download',
  'impression',
  'pageview',
  'metric',
  'checkin',
  'attempt',
  'submission',
  'ticket',
  'thread',
  'chat',
  'build',
  'deployment',
]);

/**
 * Head nouns of reference tables: fixed sets of kinds a migration or an admin fills once (countries, crop types,
 * soil amendment methods). A whole read of one stays small.
 */
export const LOOKUP_TABLE_WORDS: ReadonlySet<string> = new Set([
  'lookup',
  'reference',
  'kind',
  'unit',
  'method',
  'purpose',
  'reason',
]);

/**
 * Routes and functions that must return every row of one thing by construction: a PDF or a transcript of one
 * conversation, a report to print. A page would cut the document short.
 */
export const WHOLE_DOCUMENT_ROUTE = /pdf|PDF|Pdf|transcript|Transcript|(?<![A-Za-z])print|Print/;

/**
 * Column names (last part, lower case) that hold one value per row in practice: a token, a hash, a fingerprint, the
 * primary key given by its model (`Model.idColumn`).
 */
export const NEAR_UNIQUE_COLUMN = /^(?:\w*token|\w*hash|fingerprint|idcolumn|primarykey|pk|secret|apikey|api_key)$/;
