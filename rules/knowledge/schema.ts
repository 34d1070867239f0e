// Schema of the library knowledge base: which calls are round trips, what bounds them, their batch forms.
// Detectors read only these tables; adding a library (or a user's own wrapper, from settings) is adding data.
import { z } from 'zod';

/** How a bound on a read is expressed for one method. */
export const BoundSpec = z.object({
  /** Keys of the options object that bound the read (`take`, `limit`). */
  options: z.array(z.string()).default([]),
  /** Which argument holds that options object (default 0). */
  optionsArg: z.number().int().min(0).default(0),
  /** Builder methods later in the chain that bound it (`limit`, `take`, `first`, `paginate`). */
  chain: z.array(z.string()).default([]),
  /**
   * A positional argument that is itself the limit (`find(filter, projection, { limit })` is options; `LIMIT` is SQL).
   */
  countArg: z.number().int().min(0).optional(),
});
export type BoundSpec = z.infer<typeof BoundSpec>;

/** A positional pattern that makes a command read everything, e.g. LRANGE key 0 -1. */
export const ArgPattern = z.record(z.string(), z.union([z.string(), z.number()]));

/** What calling one method (or the handle itself, or awaiting it) does. */
export const MethodSpec = z.object({
  /** 'read' / 'write' make one round trip when called (or when awaited, for deferred ones); 'none' makes none. */
  effect: z.enum(['read', 'write', 'none']).default('none'),
  /**
   * The handle type the call yields (a builder, a connection, a model delegate), local to the library or `lib.Type`.
   */
  returns: z.string().optional(),
  /**
   * The handle type the awaited result is (`await pool.connect()` is a PoolClient); the engine treats await as
   * transparent.
   */
  resolves: z.string().optional(),
  /**
   * The awaited result is an array of this handle type (Sequelize instances, Mongoose documents), for per-element
   * calls.
   */
  resolvesEach: z.string().optional(),
  /** The round trip happens when the returned thenable is awaited/executed, not at the call (knex, mongoose Query). */
  deferred: z.boolean().default(false),
  /**
   * Only the tagged-template form (`sql\`select …\``) is the operation; a plain call (`sql(ids)`, `sql(row, 'a')`)
   * builds a fragment.
   */
  taggedOnly: z.boolean().default(false),
  /** The effect depends on SQL text in this argument (SELECT is a read, anything else a write). */
  sqlArg: z.number().int().min(0).optional(),
  /**
   * A function argument of this call runs with a handle of this type as its first parameter (`sql.begin(async (tx) =>
   * …)`, `db.tx((t) => …)`).
   */
  callbackHandle: z.string().optional(),
  /** Reads at most one row or document (findUnique, findOne, findByPk, GET). */
  single: z.boolean().default(false),
  /** Reads a collection whose size grows with the data unless bounded as `bound` says. */
  collection: z.boolean().default(false),
  bound: BoundSpec.optional(),
  /** Always reads everything (Redis KEYS), or does when these positional arguments match (LRANGE key 0 -1). */
  unbounded: z.union([z.literal('always'), z.literal('sharedKey'), z.object({ args: ArgPattern })]).optional(),
  /** This call is already a batch form (insertMany, createMany, MGET, whereIn): fine inside a chunking loop. */
  batch: z.boolean().default(false),
  /** How to do N of these in one round trip; shown in messages and used by fixes. */
  batchForm: z.string().optional(),
  /** Calls in the same tick are merged by the client (Prisma findUnique inside Promise.all). */
  tickBatched: z.boolean().default(false),
  /** Index of the key argument for Redis commands (key design and TTL rules). */
  keyArg: z.number().int().min(0).optional(),
  /** A cache write: which extra tokens or option keys give it a TTL (EX, PX, KEEPTTL, { EX }). */
  cacheWrite: z
    .object({
      ttlTokens: z.array(z.string()).default([]),
      ttlOptionKeys: z.array(z.string()).default([]),
      /** The command sets a TTL by itself (SETEX, PSETEX). */
      alwaysExpires: z.boolean().default(false),
    })
    .optional(),
  /** Sets an expiry on `keyArg` (EXPIRE, PEXPIRE, EXPIREAT). */
  setsExpiry: z.boolean().default(false),
  /** Opens a connection (`client.connect()`), or gives one back (`release`, `end`, `quit`). */
  lifecycle: z.enum(['connect', 'release', 'close']).optional(),
  /** Using this method on a client justifies a dedicated connection (SUBSCRIBE, BLPOP, pg_advisory_lock, LISTEN). */
  dedicated: z.boolean().default(false),
  /** Returns a cached version of the function in `fnArg` (memoizee, p-memoize, DataLoader's batch function). */
  memoizes: z.object({ fnArg: z.number().int().min(0) }).optional(),
  /** The call runs `callbackArg` once per element of `collectionArg` (async.eachSeries, Bluebird.map). */
  iterates: z
    .object({
      collectionArg: z.number().int().min(0),
      callbackArg: z.number().int().min(0),
      concurrent: z.boolean().default(false),
    })
    .optional(),
});
export type MethodSpec = z.infer<typeof MethodSpec>;
export type MethodSpecInput = z.input<typeof MethodSpec>;

/** A kind of object a library hands out: a pool, a client, a model delegate, a query builder. */
export const HandleType = z.object({
  description: z.string().optional(),
  /** Creating one opens a connection ('client'), a pool of them ('pool'), or neither. */
  connection: z.enum(['client', 'pool', 'none']).default('none'),
  methods: z.record(z.string(), MethodSpec).default({}),
  /** Methods known only by a name pattern (Sequelize association getters `getPosts`), tried after `methods`. */
  patterns: z.array(z.object({ match: z.string(), spec: MethodSpec })).default([]),
  /** Named properties that are handles themselves (`dataSource.manager`). */
  properties: z.record(z.string(), z.string()).default({}),
  /** Any other property is a handle of this type (`prisma.<model>`), except names starting with `$` or `_`. */
  anyProperty: z.string().optional(),
  /** Calling the handle itself (`knex('users')`, `sql\`...\``). */
  callable: MethodSpec.optional(),
  /** Awaiting a value of this type (or calling `then`/`exec`) is a round trip of this effect (builders). */
  thenable: z.enum(['read', 'write']).optional(),
  /** An in-process or Redis-backed cache store (Map-like `get`/`set`): a read behind it is not a missing cache. */
  cacheStore: z.boolean().default(false),
  /** Types this one inherits methods from (local or `lib.Type`). */
  extends: z.array(z.string()).default([]),
});
export type HandleType = z.infer<typeof HandleType>;
export type HandleTypeInput = z.input<typeof HandleType>;

/** What an exported name of a library module is. */
export type ExportSpec = {
  /** `new X(...)` yields this handle type. */
  construct?: string;
  /** What `new X(...)` does besides yielding `construct` (DataLoader's constructor `memoizes` its batch function). */
  constructCall?: MethodSpec;
  /** `X(...)` does this (a factory like `mysql.createPool`, a function like `fetch`). */
  call?: MethodSpec;
  /** Used as a type annotation (`repo: Repository<User>`), the value is this handle type. */
  type?: string;
  /** The export is itself a handle (a default client object like `axios`). */
  value?: string;
  /** Members of a namespace-like export (`mysql.createPool`, `Redis.Cluster`). */
  members?: Record<string, ExportSpec>;
  /** `class Foo extends X`: instances of Foo are this handle type (PrismaService extends PrismaClient). */
  instanceType?: string;
  /** `class Foo extends X`: Foo's static side is this handle type (Sequelize Model, typeorm BaseEntity). */
  staticType?: string;
};
export const ExportSpec: z.ZodType<ExportSpec, ExportSpecInput> = z.lazy(() =>
  z.object({
    construct: z.string().optional(),
    constructCall: MethodSpec.optional(),
    call: MethodSpec.optional(),
    type: z.string().optional(),
    value: z.string().optional(),
    members: z.record(z.string(), ExportSpec).optional(),
    instanceType: z.string().optional(),
    staticType: z.string().optional(),
  }),
) as unknown as z.ZodType<ExportSpec, ExportSpecInput>;
export type ExportSpecInput = {
  construct?: string;
  constructCall?: MethodSpecInput;
  call?: MethodSpecInput;
  type?: string;
  value?: string;
  members?: Record<string, ExportSpecInput>;
  instanceType?: string;
  staticType?: string;
};

/**
 * How the TypeScript checker names a library's types, for receivers only the checker can type (`--types`). A type
 * declared in one of the library's packages (its modules, their `@types/…`, and `packages`) maps to a handle type by
 * its name: an entry of `types`, else the export of that name (its `type`, `instanceType` or `construct`), else the
 * first of `patterns` whose `match` (a regular expression) the name fits.
 */
export const Declarations = z.object({
  /** Further packages whose declarations are this library's (a generated client: `.prisma/client`). */
  packages: z.array(z.string()).default([]),
  /** Declared type name → handle type, where the name is not an export's (`Redis` behind `export default`). */
  types: z.record(z.string(), z.string()).default({}),
  patterns: z.array(z.object({ match: z.string(), type: z.string() })).default([]),
});
export type Declarations = z.infer<typeof Declarations>;

/** One library: the modules it is imported from, what they export, and its handle types. */
export const Library = z.object({
  /** Short id used to qualify type names (`pg.Pool`). */
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Module specifiers that load it (`pg`, `mysql2/promise`, `node:...`). Empty for globals. */
  modules: z.array(z.string()).default([]),
  /** What the global scope provides without an import (`fetch`). */
  globals: z.record(z.string(), ExportSpec).default({}),
  /** Named exports; `default` is the default export, `*` the namespace or CommonJS `require` value. */
  exports: z.record(z.string(), ExportSpec).default({}),
  types: z.record(z.string(), HandleType).default({}),
  /** The kind of round trip, for messages ('query', 'command', 'request'). */
  roundTripNoun: z.string().default('query'),
  /** Embedded, in-process databases (better-sqlite3): N small queries are cheap, so N+1 is reported lower. */
  inProcess: z.boolean().default(false),
  /** The awaited result is a tuple `[rows, fields]` (mysql2's promise API): `const [rows] = await q` is every row. */
  resultIsTuple: z.boolean().default(false),
  /** A limit of 0 means "no limit" (MongoDB's `limit(0)`), so it bounds nothing. */
  zeroLimitMeansNoLimit: z.boolean().default(false),
  /** SQL statements (regular expressions) that hold a connection by design (`LISTEN`, advisory locks): a client used
   * for them needs a connection of its own. */
  dedicatedStatements: z.array(z.string()).default([]),
  /**
   * How extra command arguments are written: positional tokens (`'EX', 60`, ioredis) or an options object (`{ EX: 60
   * }`, node-redis).
   */
  commandOptions: z.enum(['tokens', 'object']).default('tokens'),
  declarations: Declarations.default({ packages: [], types: {}, patterns: [] }),
});
export type Library = z.infer<typeof Library>;
export type LibraryInput = z.input<typeof Library>;
