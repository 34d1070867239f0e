// Library knowledge for @upstash/redis: a REST client, so every command is an HTTP round trip; pipeline()/multi() send many in one.
import type { LibraryInput } from './schema';
import { commandMethods } from './redisCommands';

// SET takes its expiry as an options object with lowercase keys (`{ ex: 60 }`), never as tokens.
const commands = commandMethods((command) => [command.name.toLowerCase()]);
const set = commands.set;
if (set?.cacheWrite) set.cacheWrite = { ttlTokens: [], ttlOptionKeys: ['ex', 'px', 'exat', 'pxat', 'keepTtl'] };

const redisClass = {
  construct: 'Redis',
  type: 'Redis',
  instanceType: 'Redis',
  // `Redis.fromEnv()` reads UPSTASH_REDIS_REST_URL/TOKEN.
  members: { fromEnv: { call: { returns: 'Redis' } } },
};

export const upstashRedis: LibraryInput = {
  id: 'upstash-redis',
  commandOptions: 'object',
  modules: ['@upstash/redis', '@upstash/redis/nodejs', '@upstash/redis/cloudflare', '@upstash/redis/fastly'],
  roundTripNoun: 'command',
  exports: { Redis: redisClass },
  types: {
    Redis: {
      // Stateless HTTP: no connection to hold or pool.
      connection: 'none',
      methods: {
        ...commands,
        pipeline: { returns: 'Pipeline' },
        multi: { returns: 'Pipeline' },
        // Auto-pipelining (`new Redis({ enableAutoPipelining: true })`) is opt-in; plain calls are one request each.
        scanIterator: { effect: 'read' },
      },
    },
    Pipeline: {
      description: 'pipeline()/multi(): commands are queued locally and sent in one request by exec().',
      methods: { exec: { effect: 'write', batch: true } },
      patterns: [{ match: '^[a-z][a-zA-Z]*$', spec: { returns: 'Pipeline' } }],
    },
  },
};
