// What rarely-changing data looks like: entity, table and endpoint names whose reads are worth caching.

/**
 * Names of models, tables, collections and API resources that hold configuration and reference data: they change
 * rarely and are read on hot paths. A read of one of these is worth caching when its inputs are fixed, or keyed only
 * by a tenant (see `TENANT_KEY_WORDS`): few distinct answers, each shared by every request of that tenant. Matched
 * against the words of the model/table/URL name, case-insensitively, singular or plural.
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
  'secret',
  'secrets',
];

/**
 * Access-control data (permissions, roles, ACLs): it changes rarely, but a read keyed by the request (the link's
 * permission group, the role id in the URL) must see revocations at once, and has as many answers as keys. Reported
 * only when its inputs are fixed (the whole role table, the admin role).
 */
export const ACCESS_CONTROL_NAMES = ['permission', 'role', 'acl'];

/**
 * Words that name a tenant in a read's key (`{ shopId }`, `guild.id`, `ctx.channelId`): a settings read keyed by one
 * has a few answers, each shared by all requests of that tenant, so a cache keyed by it hits. A key naming anything
 * else (a user, a row id from the URL) has as many answers as requests.
 */
export const TENANT_KEY_WORDS = [
  'shop',
  'store',
  'guild',
  'server',
  'project',
  'tenant',
  'organization',
  'organisation',
  'org',
  'workspace',
  'team',
  'channel',
  'site',
  'app',
  'instance',
];

/**
 * Words that name a small category in a read's key (`req.user.role`, `product.currency`, `req.locale`): a handful of
 * values, so a cache keyed by it hits. An id of one (`req.params.roleId`) is not one: it has as many values as rows.
 */
export const SMALL_DOMAIN_KEY_WORDS = ['role', 'plan', 'tier', 'locale', 'lang', 'language', 'currency', 'country'];

/**
 * Where an entry point is for administrators only (a guard or role decorator naming admin, an `/admin` route or
 * folder): a handful of people use it, so its reads do not repeat with traffic.
 */
export const ADMIN_MARKER = /admin|superuser|staff[-_]?only/i;
/** A path segment (route or file) that puts a handler in an admin area. */
export const ADMIN_PATH_SEGMENT = /(^|[/\\])(admin|_admin|administration|backoffice|back-office)([/\\]|$)/i;
/** Base classes of operator console commands (typed on the server's stdin or a REPL): run by hand, not by traffic. */
export const CONSOLE_COMMAND_BASE = /^(Stdin|Console|Repl|Terminal|Cli)\w*Command$|^CommandRunner$/;
/** Decorators whose arguments say who may call a handler (`@UseGuards(AdminGuard)`, `@Roles('admin')`). */
export const ACCESS_DECORATORS = new Set(['UseGuards', 'Roles', 'Role', 'Auth', 'Permissions', 'RequireRole']);

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
  'variable',
  'variables',
  'promotion',
  'snippet',
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

/**
 * Builder methods and find options that put a query's result in a cache: TypeORM's QueryBuilder `.cache(true | ms)`
 * and find option `{ cache: ms }`, the Mongoose query-cache plugins (cachegoose, recachegoose, mongoose-cache:
 * `Model.findOne(q).cache(ttl, key)`), Sequelize's sequelize-cache-style `.cache()`. A read so marked is behind a cache.
 */
export const QUERY_CACHE_METHODS = new Set(['cache']);
export const QUERY_CACHE_OPTION_KEYS = new Set(['cache']);
