// What rarely-changing data looks like: entity, table and endpoint names whose reads are worth caching.

/**
 * Names of models, tables, collections and API resources that change rarely but are read on
 * hot paths (settings, flags, permissions, templates, reference data). Matched as whole words
 * or word prefixes against the model/table/URL of a read, case-insensitively.
 */
export const RARELY_CHANGING_NAMES = [
  'setting', 'settings', 'config', 'configuration', 'preference', 'feature', 'featureflag', 'flag', 'toggle',
  'permission', 'role', 'acl', 'policy', 'policies', 'template', 'plan', 'pricing', 'price', 'tier',
  'currency', 'currencies', 'exchange', 'rate', 'rates', 'fx', 'country', 'countries', 'locale', 'translation',
  'i18n', 'category', 'categories', 'tax', 'region', 'timezone', 'menu', 'navigation', 'metadata', 'lookup',
];

/** HTTP response headers that put a shared cache in front of a handler. */
export const HTTP_CACHE_MARKERS = ['s-maxage', 'max-age', 'stale-while-revalidate'];
