// What rarely-changing data looks like: entity, table and endpoint names whose reads are worth caching.

/**
 * Names of models, tables, collections and API resources that change rarely but are read on hot
 * paths: configuration, access control and reference data. A read of one of these is worth caching
 * even when it is filtered per request (by role, by key). Matched against the words of the
 * model/table/URL name, case-insensitively, singular or plural.
 */
export const RARELY_CHANGING_NAMES = [
  'setting',
  'settings',
  'config',
  'configuration',
  'feature',
  'featureflag',
  'flag',
  'toggle',
  'permission',
  'role',
  'acl',
  'plan',
  'pricing',
  'currency',
  'currencies',
  'exchange',
  'rates',
  'fx',
  'country',
  'countries',
  'timezone',
  'tax',
];

/**
 * Names that are reference data in most services but core, frequently edited entities in some
 * (a translation platform's translations, a shop's categories): reported only for reads whose
 * arguments are constant, so every request really repeats the same read.
 */
export const SOMETIMES_STABLE_NAMES = [
  'template',
  'locale',
  'translation',
  'i18n',
  'category',
  'categories',
  'region',
  'menu',
  'navigation',
  'policy',
  'policies',
  'tier',
];

/** Calls that name a model or table by their first argument (`getRepository(Setting)`, `db.collection('flags')`). */
export const MODEL_ACCESSORS = new Set([
  'getRepository',
  'getCustomRepository',
  'getMongoRepository',
  'model',
  'collection',
  'table',
  'from',
  'selectFrom',
]);

/** HTTP response headers that put a shared cache in front of a handler. */
export const HTTP_CACHE_MARKERS = ['s-maxage', 'max-age', 'stale-while-revalidate'];
