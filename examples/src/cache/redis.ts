// Redis clients (shared commands, blocking queue, invalidation subscriber, rate limits) and the cache-aside helper.
import Redis from 'ioredis';
import { config } from '../config';

/** The shared command connection; ioredis pipelines concurrent commands over it. */
export const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, enableAutoPipelining: true });

let queueClient: Redis | undefined;

/** BRPOP blocks its connection, so the job queue gets its own client, created on first use. */
export function getQueueClient(): Redis {
  queueClient ??= new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  return queueClient;
}

/** A subscriber for cache invalidation messages; SUBSCRIBE takes over the connection it runs on. */
export function createInvalidationSubscriber(onInvalidate: (key: string) => void): Redis {
  const subscriber = redis.duplicate();
  subscriber.subscribe('cache:invalidate').catch((error) => console.error('subscribe failed', error));
  subscriber.on('message', (_channel: string, key: string) => onInvalidate(key));
  return subscriber;
}

/** Rate-limit counters live in logical database 2 so they can be flushed separately. */
export function rateLimitClient(): Redis {
  return new Redis(config.redisUrl, { db: 2 });
}

/** Cache-aside: the cached JSON when present, else load, store with a TTL plus jitter, and return. */
export async function cacheAside<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  const hit = await redis.get(key);
  if (hit !== null) return JSON.parse(hit) as T;
  const value = await load();
  const jitter = Math.floor(Math.random() * ttlSeconds * 0.1);
  await redis.set(key, JSON.stringify(value), 'EX', ttlSeconds + jitter);
  return value;
}
