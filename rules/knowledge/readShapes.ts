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

/**
 * Words naming tables that hold a small set by construction: configuration, access control, reference data and
 * admin-managed lists (menus, dictionaries, plans). A whole read of one stays small; matched against the head noun
 * (last word) of the model, table or collection name, singular or plural.
 */
export const SMALL_TABLE_WORDS: ReadonlySet<string> = new Set([
  'setting',
  'config',
  'configuration',
  'preference',
  'option',
  'feature',
  'flag',
  'toggle',
  'role',
  'permission',
  'acl',
  'plan',
  'pricing',
  'tier',
  'currency',
  'country',
  'timezone',
  'language',
  'locale',
  'region',
  'menu',
  'navigation',
  'category',
  'dict',
  'dictionary',
  'enum',
  'announcement',
  'dept',
  'department',
  'provider',
  'proxy',
  'webhook',
  'signature',
  'workflow',
  'state',
  'status',
  'type',
  'snippet',
]);

/**
 * Words naming rows that pile up under any parent with use: content and events. One parent's rows of these (a
 * project's terms, a user's notes, a post's comments, a link's views) grow without bound. Matched against the head
 * noun of the table, as SMALL_TABLE_WORDS is.
 */
export const GROWING_CHILD_WORDS: ReadonlySet<string> = new Set([
  'message',
  'comment',
  'reply',
  'post',
  'article',
  'note',
  'revision',
  'order',
  'event',
  'log',
  'activity',
  'transaction',
  'expense',
  'payment',
  'invoice',
  'term',
  'translation',
  'issue',
  'follower',
  'following',
  'favorite',
  'like',
  'subscriber',
  'record',
  'entry',
  'history',
  'heartbeat',
  'visit',
  'click',
  'view',
  'session',
  'conversation',
  'review',
]);

/**
 * Rows attached to what holds them: files, media, documents. An account or a container (a user's uploads, a team's
 * documents, a folder's files) gathers them without bound; one content item (a note's images, an expense's receipts,
 * a message's attachments) has a few.
 */
export const ATTACHED_CHILD_WORDS: ReadonlySet<string> = new Set([
  'file',
  'media',
  'upload',
  'attachment',
  'document',
  'image',
  'photo',
  'asset',
]);

/** Parents that gather attached rows without bound: accounts and the containers users fill. */
export const CONTAINER_PARENT_WORDS: ReadonlySet<string> = new Set([
  'user',
  'account',
  'owner',
  'author',
  'creator',
  'team',
  'organization',
  'org',
  'workspace',
  'tenant',
  'company',
  'project',
  'folder',
  'dataroom',
  'library',
  'drive',
  'bucket',
  'space',
]);

/**
 * People in a group: members, participants. A team, an organisation, a project or a conversation has the few people
 * invited to it; a community (a Discord guild, a public chat room or channel, a forum) gathers people without bound.
 */
export const PEOPLE_CHILD_WORDS: ReadonlySet<string> = new Set(['member', 'participant', 'attendee', 'player']);

/** Parents whose people pile up with use: communities anyone can join. */
export const COMMUNITY_PARENT_WORDS: ReadonlySet<string> = new Set([
  'guild',
  'room',
  'channel',
  'community',
  'forum',
  'chat',
]);

/** Option keys and builder calls that load related rows with the read (`relations`, `populate`, `include`). */
export const RELATION_OPTIONS: ReadonlySet<string> = new Set(['relations', 'populate', 'include']);
export const RELATION_CALLS: ReadonlySet<string> = new Set([
  'populate',
  'leftJoinAndSelect',
  'innerJoinAndSelect',
  'withGraphFetched',
]);

/**
 * Handlers and jobs that must return or visit every row: exports, dumps, backups, downloads (stream them, do not page),
 * and copies (`duplicateFolder`, `cloneProject`: every row of the source has to be copied).
 */
export const WHOLE_READ_FUNCTION = /export|dump|backup|download|csv|duplicat|clone(?!Deep)|copy(?!right)/i;
/** Request paths that a scheduler calls (`/api/cron/…`, `/jobs/…`): jobs behind an HTTP trigger. */
export const JOB_ROUTE_PATH = /(^|\/)(cron|crons|jobs?|scheduled?)(\/|$)/i;

/** Array methods that keep only the rows a condition matches: a read narrowed this way wants the condition in SQL. */
export const IN_MEMORY_FILTERS: ReadonlySet<string> = new Set(['filter', 'find']);

/** Redis commands that remove a whole key: a whole read of a key followed by one of these drains a buffer. */
export const KEY_REMOVAL_COMMANDS: ReadonlySet<string> = new Set(['del', 'unlink', 'getdel']);

/** Entity decorators that mark the primary key: one row per value. */
export const PRIMARY_KEY_DECORATORS: ReadonlySet<string> = new Set([
  'PrimaryKey',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'ObjectIdColumn',
]);
/** Entity decorators whose options may say `unique: true` (TypeORM, MikroORM, sequelize-typescript, Mongoose classes). */
export const COLUMN_DECORATORS: ReadonlySet<string> = new Set(['Column', 'Property', 'Prop', 'Field', 'Unique']);
/** Calls that generate a fresh unique value: a column that defaults to one holds one row per value. */
export const UNIQUE_VALUE_GENERATORS: ReadonlySet<string> = new Set([
  'randomUUID',
  'uuid',
  'uuidv4',
  'v4',
  'nanoid',
  'cuid',
  'createId',
  'ulid',
]);
