// Key-name helpers shared by the host and the webview: static key prefixes and the write command of a type.

/** A segment that varies per entity (ids, hashes, uuids) ends the static prefix. */
function isVariableSegment(segment: string): boolean {
  return (
    /^\d+$/.test(segment) ||
    /^[0-9a-f]{8,}$/i.test(segment) ||
    /^[0-9a-f-]{32,36}$/i.test(segment) ||
    segment.length > 40
  );
}

/**
 * The static prefix of a key, as code would write it in a literal or template (`user:${id}` → "user:"):
 * the leading `:`-separated segments up to the first variable-looking one or the last one.
 */
export function keyPrefix(key: string): string {
  const segments = key.split(':');
  if (segments.length === 1) return '(no prefix)';
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (isVariableSegment(segment)) break;
    fixed.push(segment);
  }
  return fixed.length === 0 ? '(no prefix)' : `${fixed.join(':')}:`;
}

/** The write command that creates keys of a Redis type without a TTL (for "Find in code" on TTL-less prefixes). */
export function writeCommandFor(type: string): string {
  return (
    (
      { string: 'SET', hash: 'HSET', list: 'LPUSH', set: 'SADD', zset: 'ZADD', stream: 'XADD' } as Record<
        string,
        string
      >
    )[type] ?? 'SET'
  );
}

/**
 * Key-taking commands "Find in code" asks about when it has a key prefix but no command (a hot
 * prefix from the key-space sample): one query per command, results merged.
 */
export const KEY_COMMANDS: readonly string[] = [
  'GET',
  'SET',
  'SETEX',
  'SETNX',
  'GETEX',
  'MGET',
  'MSET',
  'DEL',
  'UNLINK',
  'EXISTS',
  'EXPIRE',
  'INCR',
  'INCRBY',
  'DECR',
  'HGET',
  'HSET',
  'HMGET',
  'HMSET',
  'HGETALL',
  'HDEL',
  'HINCRBY',
  'SADD',
  'SREM',
  'SMEMBERS',
  'SISMEMBER',
  'ZADD',
  'ZRANGE',
  'ZREVRANGE',
  'ZSCORE',
  'ZINCRBY',
  'LPUSH',
  'RPUSH',
  'LPOP',
  'RPOP',
  'LRANGE',
  'XADD',
];
