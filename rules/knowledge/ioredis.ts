// Library knowledge for ioredis: `new Redis()` opens a connection; pipeline()/multi() queue commands until exec.
import type { LibraryInput } from './schema';
import { commandMethods } from './redisCommands';

// Commands that also come as `<name>Buffer` (replies as Buffers), per ioredis' RedisCommander typings.
const withBufferVariant = new Set(
  'GET MGET SET GETSET GETEX GETDEL KEYS SCAN HGET HMGET HGETALL HKEYS HVALS HSCAN LPOP RPOP LRANGE LINDEX LMOVE SMEMBERS SPOP SRANDMEMBER SUNION SINTER SDIFF SSCAN ZADD ZRANGE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZSCORE ZMSCORE ZINCRBY ZPOPMIN ZPOPMAX ZSCAN BLPOP BRPOP BLMOVE BRPOPLPUSH BZPOPMIN BZPOPMAX XADD XRANGE XREVRANGE XREAD PING'.split(
    ' ',
  ),
);

const redisClass = { construct: 'Redis', type: 'Redis', instanceType: 'Redis' };
const clusterClass = { construct: 'Cluster', type: 'Cluster', instanceType: 'Cluster' };

export const ioredis: LibraryInput = {
  id: 'ioredis',
  modules: ['ioredis'],
  roundTripNoun: 'command',
  exports: {
    // `require('ioredis')` is the Redis class, with Cluster and Redis hung on it.
    default: { ...redisClass, members: { Cluster: clusterClass, Redis: redisClass } },
    '*': { ...redisClass, members: { Cluster: clusterClass, Redis: redisClass, default: redisClass } },
    Redis: redisClass,
    Cluster: clusterClass,
    Pipeline: { type: 'Pipeline' },
    ChainableCommander: { type: 'Pipeline' },
  },
  types: {
    Redis: {
      // A connection per instance (connects on construction unless lazyConnect); one shared instance is the pattern.
      connection: 'client',
      methods: {
        ...commandMethods((command) => {
          const name = command.name.toLowerCase();
          return withBufferVariant.has(command.name) ? [name, `${name}Buffer`] : [name];
        }),
        // call('GET', key) / sendCommand(new Command(...)): the effect depends on the command name.
        call: { effect: 'read', keyArg: 1 },
        sendCommand: { effect: 'read' },
        pipeline: { returns: 'Pipeline' },
        multi: { returns: 'Pipeline' },
        duplicate: { returns: 'Redis' },
        connect: { lifecycle: 'connect' },
        quit: { lifecycle: 'close' },
        disconnect: { lifecycle: 'close' },
        // Streams SCAN in batches of COUNT: bounded per round trip.
        scanStream: { effect: 'read' },
        sscanStream: { effect: 'read', keyArg: 0 },
        hscanStream: { effect: 'read', keyArg: 0 },
        zscanStream: { effect: 'read', keyArg: 0 },
        defineCommand: {},
      },
    },
    Cluster: {
      extends: ['Redis'],
      methods: { duplicate: { returns: 'Cluster' }, nodes: {} },
    },
    Pipeline: {
      description: 'pipeline()/multi(): commands are queued locally and sent together by exec().',
      methods: {
        exec: { effect: 'write', batch: true },
        discard: {},
      },
      patterns: [{ match: '^[a-z][a-zA-Z]*$', spec: { returns: 'Pipeline' } }],
    },
  },
};
