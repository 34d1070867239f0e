// How frameworks mark where code runs: request handlers, jobs, start-up and one-off code (registration calls, decorators,
// lifecycle methods, file conventions). Data only: rules/analysis/executionContext.ts reads it.

/**
 * Where a function runs, by the entry point that reaches it: per request (routes, resolvers, socket and bot commands),
 * per job run (cron, queue workers, intervals), once at start-up, or in one-off code (migrations, seeds, scripts,
 * tests,
 * build steps, browser bundles).
 */
export type EntryKind = 'request' | 'job' | 'startup' | 'one-off';

/**
 * `app.get('/x', handler)`, `router.post(...)`, `fastify.route({ handler })`: methods whose function arguments handle
 * requests.
 */
export const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use']);

/** Object keys that hold a handler in route objects (`fastify.route({ handler })`, Hapi `{ handler }`). */
export const ROUTE_OBJECT_HANDLER_KEYS = new Set(['handler', 'preHandler', 'onRequest']);

/**
 * Decorators that make a class method a request handler, resolver or per-request hook (NestJS, TypeGraphQL,
 * routing-controllers) or a job (NestJS schedule and Bull); METHOD_DECORATOR_KINDS says which.
 */
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

const JOB_DECORATORS = new Set(['Process', 'Cron', 'Interval', 'Timeout', 'OnQueueActive', 'OnWorkerEvent']);

/** Entry kind per method decorator: jobs for schedules and queue processors, requests for the rest. */
export const METHOD_DECORATOR_KINDS: ReadonlyMap<string, EntryKind> = new Map<string, EntryKind>([
  ...[...HANDLER_DECORATORS].map((name): [string, EntryKind] => [name, JOB_DECORATORS.has(name) ? 'job' : 'request']),
  ['Timeout', 'job'],
  ['GrpcMethod', 'request'],
  ['Sse', 'request'],
  // Application events are emitted by the code that handles a request or a job.
  ['OnEvent', 'request'],
]);

/** HTTP-verb decorators whose first argument is the route path (`@Get(':id')`), for naming the handler. */
export const HTTP_VERB_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head']);

/**
 * Entries that change data, by the label the engine gives them: an HTTP write verb (`POST /orders`, NestJS `@Post`, a
 * route object's `method: 'post'`), a GraphQL mutation (`resolver \`Mutation.x\``, `@Mutation`), a server action, a
 * tRPC mutation. Each runs once per user action, not once per page view.
 */
export const WRITE_ENTRY_LABEL =
  /^(post|put|patch|delete)\s|^resolver `Mutation\.|^Mutation `|^server action\b|^tRPC mutation\b/i;

/**
 * Modules whose call runs its callback right away, again until it succeeds (`promiseRetry((retry) => connect())`): the
 * callback is part of the function that calls them, not code called from elsewhere.
 */
export const RETRY_WRAPPER_MODULES = new Set([
  'promise-retry',
  'p-retry',
  'async-retry',
  'exponential-backoff',
  'retry',
]);
/** Promise methods whose callback runs as part of the chain it is on (`connect(url).then((c) => …)`). */
export const PROMISE_CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/** Class decorators that give their methods' routes a prefix (`@Controller('orders')`). */
export const ROUTE_PREFIX_DECORATORS = new Set(['Controller', 'JsonController']);

/** Lifecycle methods a framework calls once at start-up or shutdown (NestJS). */
export const STARTUP_METHODS = new Set([
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
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

/**
 * Method calls that register a callback the framework runs per job: node-cron `cron.schedule(expr, fn)`,
 * node-schedule `scheduleJob(rule, fn)`, agenda `define(name, fn)`, Bull `queue.process([name,] fn)`, pg-boss
 * `work(name, fn)`. The callback is the last function argument.
 */
export const JOB_REGISTRATION_METHODS = new Set(['schedule', 'scheduleJob', 'define', 'process', 'work']);
/** Global functions whose callback runs as a job (`setInterval(fn, ms)`). */
export const JOB_REGISTRATION_GLOBALS = new Set(['setInterval']);
/** Constructors whose function argument runs per job: cron `new CronJob(expr, fn)`, BullMQ `new Worker(queue, fn)`. */
export const JOB_CONSTRUCTORS = new Set(['CronJob', 'Worker']);
/**
 * Redis blocking pops a hand-written worker loops on (`while (…) await redis.brpop('jobs', 5)`): each pop hands over
 * one job, so the loop's body runs per job.
 */
export const BLOCKING_QUEUE_POPS = new Set([
  'brpop',
  'blpop',
  'brpoplpush',
  'blmove',
  'bzpopmin',
  'bzpopmax',
  'xreadgroup',
]);
/** Object keys of job options that hold the job function (`CronJob.from({ onTick })`). */
export const JOB_OBJECT_KEYS = new Set(['onTick']);

/**
 * Event listener registrations: `emitter.on(event, fn)`; the event name decides the kind (STARTUP_EVENTS or request).
 */
export const EVENT_REGISTRATION_METHODS = new Set(['on', 'once', 'addListener']);
/** Events emitted once per process (or per reconnect): their listeners are start-up code. */
export const STARTUP_EVENTS = new Set([
  'ready',
  'clientReady',
  'listening',
  'open',
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'exit',
  'beforeExit',
  'shutdown',
]);
/** Events whose listeners add nothing worth knowing about (error and close handlers run at most once per failure). */
export const IGNORED_EVENTS = new Set(['error', 'close', 'end', 'finish', 'uncaughtException', 'unhandledRejection']);

/** Chat-bot frameworks (telegraf, grammY): `bot.command('start', fn)`, `bot.hears(/hi/, fn)`: per message. */
export const BOT_REGISTRATION_METHODS = new Set(['command', 'hears', 'action']);

/** tRPC procedure builders: `publicProcedure.input(schema).query(async ({ ctx, input }) => …)`: per request. */
export const PROCEDURE_METHODS = new Set(['query', 'mutation', 'subscription']);

/**
 * Chat-bot command modules (discord.js and similar): an object with a handler member (`execute`, `run`) next to a
 * command description (`data`, `name`, …), or a class extending a `…Command` base with a `run`/`execute` method.
 */
export const COMMAND_HANDLER_KEYS = new Set(['execute', 'run', 'exec', 'callback']);
export const COMMAND_DESCRIPTION_KEYS = new Set(['data', 'name', 'aliases', 'command', 'description', 'usage']);
export const COMMAND_BASE_CLASS = /Command$/;
/**
 * Event-listener classes of bot frameworks (`class extends Listener { constructor() { super(client, { event:
 * 'messageCreate' }) } run(message) {…} }`, @eartharoid/dbf, Sapphire, Akairo): the handler runs per event, or once
 * when the `event` named in the constructor's options is a start-up event (STARTUP_EVENTS).
 */
export const LISTENER_BASE_CLASS = /^(Listener|EventListener|Event|ClientEvent)$/;
/** The option key of a listener class's `super(…)` call that names its event. */
export const LISTENER_EVENT_OPTION = 'event';

/** Serverless handlers: `exports.handler`, `export const handler` (AWS Lambda, Netlify), per invocation. */
export const SERVERLESS_EXPORTS = new Set(['handler']);

/** Next.js app-router files whose default export renders per request (server components), unless `'use client'`. */
export const NEXT_APP_RENDER = /(^|\/)app\/(.*\/)?(page|layout|template)\.(t|j)sx?$/;
/** Next.js functions run at build time (or on rare revalidation): one-off. */
export const NEXT_BUILD_EXPORTS = new Set(['getStaticProps', 'getStaticPaths', 'generateStaticParams']);

/** Migration and seeder classes (TypeORM `implements MigrationInterface`, MikroORM `extends Migration`, seeders). */
export const MIGRATION_INTERFACES = new Set(['MigrationInterface']);
export const MIGRATION_BASE_CLASSES = new Set(['Migration', 'Seeder', 'AbstractMigration']);
/** A module exporting both `up` and `down` functions is a migration (knex, umzug, sequelize-cli, migrate-mongo). */
export const MIGRATION_EXPORT_PAIR: readonly [string, string] = ['up', 'down'];

/**
 * Browser code (bundled for the page, never on a server's hot path): files under these folders, files marked
 * `'use client'`, and files that drive the DOM or jQuery.
 */
export const BROWSER_FILE = /(^|\/)(public|static|assets|www|frontend|browser|client-side)\//i;
export const BROWSER_CODE =
  /\bdocument\.(getElementById|querySelector(All)?|createElement|addEventListener)\b|\bjQuery\b|\$\(\s*(document|window)\s*\)/;

/**
 * React components with state or effects run in the browser (a server component has no hooks): their `fetch` calls
 * are the page talking to the API, not the API's round trips. A module that also exports a server data function
 * (`getServerSideProps`, a `'use server'` action) is not browser code as a whole.
 */
export const CLIENT_COMPONENT_HOOKS =
  /\buse(State|Effect|LayoutEffect|Reducer|Callback|Ref|Memo|Context|Router)\s*[<(]/;
export const SERVER_CODE_IN_COMPONENT = /\b(getServerSideProps|getStaticProps|getInitialProps)\b|['"]use server['"]/;

/** Files that are not production request paths: tests and fixtures (no findings) and one-off code (low severity). */
export const TEST_FILE =
  /(^|\/)(__tests__|__mocks__|mocks?|testing|tests?|spec|e2e|fixtures?|cypress|playwright)\/|\.(test|spec|e2e|stories)\.[cm]?[jt]sx?$/i;
export const SCRIPT_FILE = /(^|\/)(scripts?|bin|tools)\//i;
/** Code that runs once per deployment (migrations, seeds): no N+1 or cache advice, other findings as information. */
export const ONE_OFF_FILE =
  /(^|\/)(migrations?|seeds?|seeders?|fixtures)\/|(^|\/)(seed|migrate)[^/]*\.[cm]?[jt]sx?$|(^|\/)\d{10,}[-_][^/]+\.[cm]?[jt]s$/i;

/**
 * Functions whose names say they run once, at start-up (connection setup belongs there): `initCache`, `pluginStartup`.
 */
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

/**
 * Routes that exist only for end-to-end tests (`/_e2e/reset`, `/__test__/seed`): their handlers never run on production
 * traffic, so they are one-off code.
 */
export const TEST_ONLY_ROUTE_PATH = /^\/?(_+e2e|_+tests?_*|_+testing)(\/|$)/i;
/** A registration guarded by a test environment check (`if (process.env.NODE_ENV === 'test') app.post(…)`). */
export const TEST_ENV_CONDITION =
  /NODE_ENV\s*===?\s*['"`](test|e2e|testing)['"`]|['"`](test|e2e|testing)['"`]\s*===?\s*process\.env\.NODE_ENV/;

/**
 * Admin-only routes (an `/admin` path segment, an admin role decorator or guard, admin middleware such as `isAdmin`):
 * they run per request but only for a few staff, so their traffic is rare. Matched against the route path and the text
 * of the guards, decorators and middleware that sit on the route.
 */
export const ADMIN_ROUTE_PATH = /(^|\/)admin(\/|$)/i;
export const ADMIN_GUARD = /(?<![a-zA-Z])[aA]dmin|Admin|ADMIN/;
/** Decorators whose text may name an admin role or guard (`@Roles('admin')`, `@UseGuards(AdminGuard)`). */
export const GUARD_DECORATORS = new Set([
  'Roles',
  'Role',
  'UseGuards',
  'Authorized',
  'Admin',
  'AdminOnly',
  'RequireRole',
]);

/** Decorators of per-parent field resolvers (NestJS `@ResolveField`, type-graphql `@FieldResolver`). */
export const FIELD_RESOLVER_DECORATORS = new Set(['ResolveField', 'FieldResolver', 'ResolveProperty']);

/**
 * Hand-rolled chat-bot command registries (`commands.addInboxServerCommand('logs', params, handler)`,
 * `registerCommand('ban', fn)`): a string trigger first and a handler after it, run per message.
 */
export const COMMAND_REGISTRATION_METHOD = /^(add|register)\w*Command$/;

/**
 * Route paths that exist only for tests (`/_e2e/reset`, `/__test__/seed`, `/_test/login`): end-to-end suites call
 * them, production traffic does not.
 */
export const TEST_ONLY_ROUTE = /^\/?(_+e2e|_+tests?_*|_+cypress|_+playwright)(\/|$)/i;

/**
 * A condition that holds only in development or test runs (`if (isDev)`, `if (process.env.NODE_ENV === 'test')`):
 * what it registers is not served in production. Matched against the condition's identifiers and string literals.
 */
export const DEV_ONLY_FLAG =
  /^(isDev|isDevelopment|isDevMode|devMode|isTest|isTesting|isE2E|isE2e|__DEV__|IS_DEV|IS_TEST|E2E)$/;
export const DEV_ONLY_ENVIRONMENT = /^(development|dev|test|testing|e2e)$/i;

/** "should be called only by migrations and tasks", "only used from scripts", "for migrations only". */
export const ONE_OFF_ONLY_COMMENT = new RegExp(
  [
    String.raw`\b(?:call(?:ed)?|used?|run|invoked?)\b[^.]{0,20}\bonly\b[^.]{0,15}\b(?:migrations?|tasks?|scripts?)\b`,
    String.raw`\bonly\b[^.]{0,10}\b(?:call(?:ed)?|used?|run|invoked?)\b[^.]{0,15}\b(?:migrations?|tasks?|scripts?)\b`,
    String.raw`\b(?:migrations?|scripts?) only\b`,
  ].join('|'),
  'i',
);

/** "Used for testing", "for tests only", "test-only helper", "only used in tests": a function the authors keep for tests. */
export const TEST_ONLY_COMMENT = new RegExp(
  [
    String.raw`^\s*(?:used |only )?for (?:unit |e2e |integration )?testing\b`,
    String.raw`\b(?:used?|called|run|meant|intended)\b[^.]{0,10}\b(?:for|in|by|from) (?:unit |e2e |integration )?(?:tests?|testing)\b`,
    String.raw`\b(?:tests?|testing)[- ]only\b`,
    String.raw`\bfor (?:tests?|testing) only\b`,
  ].join('|'),
  'i',
);

/** Methods that put a function into a registry (`migrations.add`, `seeders.register`), as opposed to running it. */
export const ONE_OFF_REGISTRATION_METHODS = new Set(['add', 'register', 'push', 'define']);

/**
 * Code-first GraphQL (NestJS `@nestjs/graphql`, type-graphql): the decorators that type a resolver class by its
 * object type (`@Resolver(() => Team)`), that return a list of a type (`@Query(() => [Team])`, an object type's
 * `@Field(() => [Team])`), that declare arguments, and what marks those arguments as a page.
 */
export const GRAPHQL_CODE_FIRST = {
  resolverDecorators: new Set(['Resolver']),
  listDecorators: new Set(['Query', 'Mutation', 'Subscription', 'ResolveField', 'FieldResolver', 'Field']),
  argsDecorators: new Set(['Args', 'Arg']),
  /** Argument names (`@Args('take')`, `@Args({ name: 'cursor' })`) and fields of an args class that bound a list. */
  pageArgumentNames: new Set([
    'take',
    'first',
    'last',
    'limit',
    'cursor',
    'after',
    'before',
    'skip',
    'offset',
    'page',
    'perPage',
    'pageSize',
  ]),
  /** Args classes named for paging (`PaginationArgs`, `CursorPagingArgs`, `PageArgs`). */
  pageArgumentType: /pagination|paging|page|cursor|connection/i,
};
