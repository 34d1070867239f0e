// The Redis command table shared by the ioredis and node-redis knowledge: effect, key argument, bounds and batch forms per command.
import type { HandleTypeInput, MethodSpecInput } from './schema';

/**
 * One Redis command: its name in capitals, its node-redis camelCase name (null where node-redis has none), and what it
 * does.
 */
export interface RedisCommand {
  name: string;
  camel: string | null;
  spec: MethodSpecInput;
}

// Redis matches option tokens case-insensitively, so both spellings are listed.
const ttlWords = ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL'];
export const ttlTokens = [...ttlWords, ...ttlWords.map((word) => word.toLowerCase())];
/** node-redis v4 `{ EX }` options and v5 `{ expiration: { type, value } }`. */
export const ttlOptionKeys = [...ttlWords, 'expiration'];

const read = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'read', keyArg: 0, ...extra });
const write = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'write', keyArg: 0, ...extra });
const pipeline = 'a pipeline (one round trip for all the commands)';
const all = (from: string | number, to: string | number) => ({ args: { '1': from, '2': to } });

const commands: Array<[string, string | null, MethodSpecInput]> = [
  // Strings
  ['GET', 'get', read({ single: true, batchForm: 'one MGET' })],
  ['MGET', 'mGet', read({ batch: true })],
  ['SET', 'set', write({ cacheWrite: { ttlTokens, ttlOptionKeys }, batchForm: pipeline })],
  ['SETEX', 'setEx', write({ cacheWrite: { alwaysExpires: true }, batchForm: pipeline })],
  ['PSETEX', 'pSetEx', write({ cacheWrite: { alwaysExpires: true }, batchForm: pipeline })],
  ['SETNX', 'setNX', write({ cacheWrite: {}, batchForm: pipeline })],
  // GETSET and MSET drop or cannot set a TTL.
  ['GETSET', 'getSet', write({ cacheWrite: {}, batchForm: pipeline })],
  ['MSET', 'mSet', write({ batch: true, cacheWrite: {} })],
  ['MSETNX', 'mSetNX', write({ batch: true, cacheWrite: {} })],
  ['GETEX', 'getEx', write({ setsExpiry: true, batchForm: pipeline })],
  ['GETDEL', 'getDel', write({ batchForm: pipeline })],
  ['APPEND', 'append', write({ batchForm: pipeline })],
  ['STRLEN', 'strLen', read()],
  ['INCR', 'incr', write({ batchForm: pipeline })],
  ['INCRBY', 'incrBy', write({ batchForm: pipeline })],
  ['INCRBYFLOAT', 'incrByFloat', write({ batchForm: pipeline })],
  ['DECR', 'decr', write({ batchForm: pipeline })],
  ['DECRBY', 'decrBy', write({ batchForm: pipeline })],
  // Keys
  ['DEL', 'del', write({ batchForm: 'one DEL with all the keys' })],
  ['UNLINK', 'unlink', write({ batchForm: 'one UNLINK with all the keys' })],
  ['EXISTS', 'exists', read({ batchForm: 'one EXISTS with all the keys' })],
  ['EXPIRE', 'expire', write({ setsExpiry: true, batchForm: pipeline })],
  ['PEXPIRE', 'pExpire', write({ setsExpiry: true, batchForm: pipeline })],
  ['EXPIREAT', 'expireAt', write({ setsExpiry: true, batchForm: pipeline })],
  ['PEXPIREAT', 'pExpireAt', write({ setsExpiry: true, batchForm: pipeline })],
  ['PERSIST', 'persist', write()],
  ['TTL', 'ttl', read({ batchForm: pipeline })],
  ['PTTL', 'pTTL', read({ batchForm: pipeline })],
  ['TYPE', 'type', read()],
  ['RENAME', 'rename', write()],
  // KEYS walks the whole keyspace and blocks the server while it does.
  ['KEYS', 'keys', read({ unbounded: 'always', batchForm: 'SCAN with MATCH and COUNT' })],
  ['SCAN', 'scan', { effect: 'read' }],
  ['DBSIZE', 'dbSize', { effect: 'read' }],
  // Hashes
  ['HGET', 'hGet', read({ single: true, batchForm: 'one HMGET' })],
  ['HMGET', 'hmGet', read({ batch: true })],
  ['HSET', 'hSet', write({ batchForm: 'one HSET with all the fields' })],
  ['HSETNX', 'hSetNX', write({ batchForm: pipeline })],
  // node-redis has no HMSET/ZREVRANGE*: HSET takes many fields, ZRANGE takes { REV: true }.
  ['HMSET', null, write({ batch: true })],
  ['HGETALL', 'hGetAll', read({ unbounded: 'sharedKey', batchForm: pipeline })],
  ['HKEYS', 'hKeys', read({ unbounded: 'sharedKey' })],
  ['HVALS', 'hVals', read({ unbounded: 'sharedKey' })],
  ['HDEL', 'hDel', write({ batchForm: 'one HDEL with all the fields' })],
  ['HEXISTS', 'hExists', read()],
  ['HINCRBY', 'hIncrBy', write({ batchForm: pipeline })],
  ['HLEN', 'hLen', read()],
  ['HSCAN', 'hScan', read()],
  // Lists
  ['LPUSH', 'lPush', write({ batchForm: 'one LPUSH with all the values' })],
  ['RPUSH', 'rPush', write({ batchForm: 'one RPUSH with all the values' })],
  ['LPOP', 'lPop', write({ batchForm: 'LPOP with a count' })],
  ['RPOP', 'rPop', write({ batchForm: 'RPOP with a count' })],
  ['LRANGE', 'lRange', read({ unbounded: all(0, -1), batchForm: pipeline })],
  ['LLEN', 'lLen', read()],
  ['LINDEX', 'lIndex', read({ single: true })],
  ['LSET', 'lSet', write()],
  ['LREM', 'lRem', write()],
  ['LTRIM', 'lTrim', write()],
  ['LMOVE', 'lMove', write()],
  // Sets
  ['SADD', 'sAdd', write({ batchForm: 'one SADD with all the members' })],
  ['SREM', 'sRem', write({ batchForm: 'one SREM with all the members' })],
  ['SMEMBERS', 'sMembers', read({ unbounded: 'sharedKey', batchForm: pipeline })],
  ['SISMEMBER', 'sIsMember', read({ batchForm: 'one SMISMEMBER' })],
  ['SMISMEMBER', 'smIsMember', read({ batch: true })],
  ['SCARD', 'sCard', read()],
  ['SPOP', 'sPop', write()],
  ['SRANDMEMBER', 'sRandMember', read()],
  ['SUNION', 'sUnion', read({ unbounded: 'sharedKey' })],
  ['SINTER', 'sInter', read({ unbounded: 'sharedKey' })],
  ['SDIFF', 'sDiff', read({ unbounded: 'sharedKey' })],
  ['SSCAN', 'sScan', read()],
  // Sorted sets
  ['ZADD', 'zAdd', write({ batchForm: 'one ZADD with all the members' })],
  ['ZREM', 'zRem', write({ batchForm: 'one ZREM with all the members' })],
  ['ZRANGE', 'zRange', read({ unbounded: all(0, -1), batchForm: pipeline })],
  ['ZREVRANGE', null, read({ unbounded: all(0, -1), batchForm: pipeline })],
  ['ZRANGEBYSCORE', 'zRangeByScore', read({ unbounded: all('-inf', '+inf'), batchForm: pipeline })],
  ['ZREVRANGEBYSCORE', null, read({ unbounded: all('+inf', '-inf'), batchForm: pipeline })],
  ['ZSCORE', 'zScore', read({ single: true, batchForm: 'one ZMSCORE' })],
  ['ZMSCORE', 'zmScore', read({ batch: true })],
  ['ZRANK', 'zRank', read()],
  ['ZREVRANK', 'zRevRank', read()],
  ['ZCARD', 'zCard', read()],
  ['ZCOUNT', 'zCount', read()],
  ['ZINCRBY', 'zIncrBy', write({ batchForm: pipeline })],
  ['ZREMRANGEBYSCORE', 'zRemRangeByScore', write()],
  ['ZREMRANGEBYRANK', 'zRemRangeByRank', write()],
  ['ZPOPMIN', 'zPopMin', write()],
  ['ZPOPMAX', 'zPopMax', write()],
  ['ZSCAN', 'zScan', read()],
  // Blocking commands hold their connection until they return: they need a client of their own.
  ['BLPOP', 'blPop', write({ dedicated: true })],
  ['BRPOP', 'brPop', write({ dedicated: true })],
  ['BLMOVE', 'blMove', write({ dedicated: true })],
  ['BRPOPLPUSH', 'brPopLPush', write({ dedicated: true })],
  ['BZPOPMIN', 'bzPopMin', write({ dedicated: true })],
  ['BZPOPMAX', 'bzPopMax', write({ dedicated: true })],
  // Streams
  ['XADD', 'xAdd', write({ batchForm: pipeline })],
  ['XRANGE', 'xRange', read({ unbounded: all('-', '+') })],
  ['XREVRANGE', 'xRevRange', read({ unbounded: all('+', '-') })],
  ['XLEN', 'xLen', read()],
  ['XACK', 'xAck', write({ batchForm: 'one XACK with all the ids' })],
  ['XDEL', 'xDel', write()],
  ['XTRIM', 'xTrim', write()],
  ['XREAD', 'xRead', { effect: 'read', dedicated: true }],
  ['XREADGROUP', 'xReadGroup', { effect: 'write', dedicated: true }],
  // Scripts, pub/sub, server
  ['EVAL', 'eval', { effect: 'write' }],
  ['EVALSHA', 'evalSha', { effect: 'write' }],
  ['FCALL', 'fCall', { effect: 'write' }],
  ['PUBLISH', 'publish', { effect: 'write', batchForm: pipeline }],
  ['SPUBLISH', 'sPublish', { effect: 'write', batchForm: pipeline }],
  // A subscribed connection can issue no other commands.
  ['SUBSCRIBE', 'subscribe', { dedicated: true }],
  ['PSUBSCRIBE', 'pSubscribe', { dedicated: true }],
  ['SSUBSCRIBE', 'sSubscribe', { dedicated: true }],
  ['UNSUBSCRIBE', 'unsubscribe', {}],
  ['PUNSUBSCRIBE', 'pUnsubscribe', {}],
  ['MONITOR', 'monitor', { dedicated: true }],
  ['WATCH', 'watch', { effect: 'read', keyArg: 0 }],
  ['INFO', 'info', { effect: 'read' }],
  ['PING', 'ping', { effect: 'read' }],
  ['FLUSHDB', 'flushDb', { effect: 'write' }],
  ['FLUSHALL', 'flushAll', { effect: 'write' }],
];

export const redisCommands: RedisCommand[] = commands.map(([name, camel, spec]) => ({ name, camel, spec }));

/** Command methods keyed by the given spellings of each command. */
export function commandMethods(
  spell: (command: RedisCommand) => string[],
  extra: Partial<MethodSpecInput> = {},
): NonNullable<HandleTypeInput['methods']> {
  const methods: NonNullable<HandleTypeInput['methods']> = {};
  for (const command of redisCommands) for (const name of spell(command)) methods[name] = { ...command.spec, ...extra };
  return methods;
}
