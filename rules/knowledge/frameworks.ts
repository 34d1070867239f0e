// How web frameworks mark request handlers and jobs: route registration methods, decorators, file conventions.

/** `app.get('/x', handler)`, `router.post(...)`, `fastify.route({ handler })`: methods whose function arguments handle requests. */
export const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use']);

/** Object keys that hold a handler in route objects (`fastify.route({ handler })`, Hapi `{ handler }`). */
export const ROUTE_OBJECT_HANDLER_KEYS = new Set(['handler', 'preHandler', 'onRequest']);

/** Decorators that make a class method a request handler, resolver or per-request hook (NestJS, TypeGraphQL, routing-controllers). */
export const HANDLER_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'All',
  'Options',
  'Head',
  'Query',
  'Mutation',
  'Subscription',
  'ResolveField',
  'FieldResolver',
  'ResolveProperty',
  'MessagePattern',
  'EventPattern',
  'SubscribeMessage',
  'Process',
  'Cron',
  'Interval',
]);

/** Class methods called on every request by the framework (NestJS middleware, guards, interceptors). */
export const PER_REQUEST_METHODS = new Set(['use', 'canActivate', 'intercept', 'resolve', 'validate']);

/** Next.js route handlers: default export under pages/api, HTTP-verb exports in app/.../route files. */
export const NEXT_ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
export const NEXT_PAGES_API = /(^|\/)pages\/api\//;
export const NEXT_APP_ROUTE = /(^|\/)app\/.*\/route\.(t|j)sx?$/;
/** Next.js data functions that run on every page request. */
export const NEXT_PER_REQUEST_EXPORTS = new Set(['getServerSideProps', 'middleware']);

/** Parameter type names that mark a function as a request handler (Express, Fastify, Next, Koa). */
export const REQUEST_TYPE_NAMES = new Set([
  'Request',
  'Response',
  'FastifyRequest',
  'FastifyReply',
  'NextApiRequest',
  'NextApiResponse',
  'NextRequest',
  'Context',
  'RouterContext',
]);

/** Conventional parameter names of Express/Koa handlers `(req, res)`, `(request, reply)`, `(ctx, next)`. */
export const REQUEST_PARAMETER_PAIRS: [string, string][] = [
  ['req', 'res'],
  ['request', 'reply'],
  ['request', 'response'],
  ['ctx', 'next'],
];

/** Keys of a GraphQL resolver map whose function members run per request. */
export const RESOLVER_ROOT_KEYS = new Set(['Query', 'Mutation', 'Subscription']);

/** Files that are not production request paths: tests and fixtures (no findings) and one-off code (low severity). */
export const TEST_FILE =
  /(^|\/)(__tests__|__mocks__|tests?|spec|e2e|fixtures?|cypress|playwright)\/|\.(test|spec|e2e|stories)\.[cm]?[jt]sx?$/i;
export const SCRIPT_FILE = /(^|\/)(scripts?|bin|tools)\//i;
/** Code that runs once per deployment (migrations, seeds): no N+1 or cache advice, other findings as information. */
export const ONE_OFF_FILE =
  /(^|\/)(migrations?|seeds?|seeders?|fixtures)\/|(^|\/)(seed|migrate)[^/]*\.[cm]?[jt]sx?$|(^|\/)\d{10,}[-_][^/]+\.[cm]?[jt]s$/i;

/** Functions whose names say they run once, at start-up (connection setup belongs there): `initCache`, `pluginStartup`. */
export const STARTUP_FUNCTION =
  /^(main|bootstrap|init\w*|setup\w*|start\w*|boot\w*|configure\w*|register\w*|create(App|Server)|onModuleInit|onApplicationBootstrap|\w+(Startup|Bootstrap))$/;
/** Files that hold start-up code (`startup.js`, `bootstrap.ts`). */
export const STARTUP_FILE = /(^|\/)(startup|bootstrap)\.[cm]?[jt]s$/i;

/** Functions whose names say they run once per deployment (data migrations, seeding, backfills). */
export const ONE_OFF_FUNCTION = /^(migrat|seed|backfill|upgrade|downgrade)/i;

/**
 * Route middleware that caches whole responses (`router.get('/x', cache('5 minutes'), handler)`
 * with apicache, route-cache, express-cache-middleware): the handler after it runs only on a miss.
 * Matched against the callee of a middleware call in the same route registration.
 */
export const ROUTE_CACHE_MIDDLEWARE =
  /^(cache|cached|cacheRoute|cacheFor|cacheSeconds|cacheMiddleware|apicache(\.middleware)?|routeCache\.cacheSeconds)$/;
