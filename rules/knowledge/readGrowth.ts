// Evidence about how big a read's rows get: kinds that grow with use, lookup kinds, whole-read routes, near-unique columns.

/**
 * Kinds of rows that pile up with use under one parent, beyond the content and events of GROWING_CHILD_WORDS:
 * notifications, audit trails, alerts, sales, bookmarks, reactions. A read of one parent's rows reports only when the
 * table's head noun is one of these; an admin- or user-managed set (a project's groups, an org's servers, a product's
 * variants) stays small.
 */
export const MORE_GROWING_KINDS: ReadonlySet<string> = new Set([
  'audit',
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
 * Kinds that pile up for the person they are addressed to (a user's inbox of notifications), while one monitor's or
 * one organisation's are a few configured channels.
 */
export const PER_PERSON_GROWING_KINDS: ReadonlySet<string> = new Set(['notification', 'alert', 'mention']);

/** Parents that are a person: what PER_PERSON_GROWING_KINDS pile up under. */
export const PERSON_PARENT_WORDS: ReadonlySet<string> = new Set([
  'user',
  'account',
  'member',
  'recipient',
  'receiver',
  'profile',
  'customer',
]);

/**
 * Filter keys that pick the administrators (`isAdmin: true`, `is_staff: true`): a handful of rows in any table.
 */
export const FEW_ROWS_FLAG = /^(?:is_?)?(?:admin|super_?admin|superuser|staff|root)$/i;

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
 * conversation, a report to print, a route serving a document file (`/messages.txt`, `/report.html`). A page would
 * cut the document short.
 */
export const WHOLE_DOCUMENT_ROUTE =
  /pdf|PDF|Pdf|transcript|Transcript|(?<![A-Za-z])print|Print|\.(?:html?|txt|csv|xlsx?|docx?)(?![\w.])/;

/**
 * Column names (last part, lower case) that hold one value per row in practice: a token, a hash, a fingerprint, the
 * primary key given by its model (`Model.idColumn`).
 */
export const NEAR_UNIQUE_COLUMN = /^(?:\w*token|\w*hash|fingerprint|idcolumn|primarykey|pk|secret|apikey|api_key)$/;
