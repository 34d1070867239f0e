// `redis://[user[:password]@]host[:port][/db]` (rediss:// for TLS) → a panel connection plus the password, which never goes to settings.
import type { RedisConnection } from '../../measure/redis/config';

export type ParsedRedisUrl =
  { ok: true; connection: RedisConnection; password: string | undefined } | { ok: false; message: string };

export function parseRedisUrl(text: string, envPassword?: string): ParsedRedisUrl {
  if (!URL.canParse(text)) return { ok: false, message: `not a Redis URL: "${text}" (expected redis://host:port)` };
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    return { ok: false, message: `a Redis URL starts with redis:// or rediss:// (got "${url.protocol}//")` };
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText))
    return { ok: false, message: `the database in a Redis URL is a number (got "/${dbText}")` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return { ok: false, message: 'the Redis URL has no host' };
  return {
    ok: true,
    connection: {
      name: 'cli',
      mode: 'standalone',
      host,
      port,
      nodes: [],
      username: url.username ? decodeURIComponent(url.username) : undefined,
      db: dbText === '' ? 0 : Number(dbText),
      tls: url.protocol === 'rediss:',
    },
    password: url.password ? decodeURIComponent(url.password) : envPassword || undefined,
  };
}
