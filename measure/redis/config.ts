// Settings schema of the Redis panel (`perfAdvisor.redis.*`): saved connections and polling options; never a password.
import { z } from 'zod';

const Host = z.string().min(1);
const Port = z.number().int().min(1).max(65_535);

export const RedisEndpoint = z.object({ host: Host, port: Port });
export type RedisEndpoint = z.infer<typeof RedisEndpoint>;

export const TlsSettings = z.union([
  z.boolean(),
  z.object({
    /** SNI / certificate host name, when it differs from `host`. */
    servername: z.string().optional(),
    /** Keep true outside of local experiments: false accepts any certificate. */
    rejectUnauthorized: z.boolean().default(true),
    /** Path of a PEM CA bundle for private certificate authorities. */
    caFile: z.string().optional(),
  }),
]);
export type TlsSettings = z.infer<typeof TlsSettings>;

/**
 * One saved connection. `password` is deliberately not a field: it lives in SecretStorage,
 * and `.strict()` rejects a settings entry that tries to carry one.
 */
export const RedisConnection = z
  .object({
    name: z.string().min(1),
    mode: z.enum(['standalone', 'sentinel', 'cluster']).default('standalone'),
    host: Host.default('127.0.0.1'),
    port: Port.default(6379),
    /** Sentinels (mode sentinel) or seed nodes (mode cluster); host/port are used when empty. */
    nodes: z.array(RedisEndpoint).default([]),
    /** The monitored master's name (mode sentinel). */
    sentinelName: z.string().optional(),
    /** ACL user name (Redis 6+); the password comes from SecretStorage. */
    username: z.string().optional(),
    db: z.number().int().min(0).default(0),
    tls: TlsSettings.default(false),
  })
  .strict();
export type RedisConnection = z.infer<typeof RedisConnection>;
export type RedisConnectionInput = z.input<typeof RedisConnection>;

/** Panel options; the defaults follow the performance skill (90% hit ratio, 80% memory headroom). */
export const RedisPanelSettings = z.object({
  connections: z.array(RedisConnection).default([]),
  /** Name of the active connection; the first one when empty or unknown. */
  activeConnection: z.string().default(''),
  pollIntervalSeconds: z.number().min(1).max(3600).default(5),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
  slowlogEntries: z.number().int().min(1).max(128).default(10),
  keyspaceSampleSize: z.number().int().min(10).max(1_000_000).default(1_000),
  hitRatioTarget: z.number().min(0).max(1).default(0.9),
  memoryUseTarget: z.number().min(0).max(1).default(0.8),
  historyPoints: z.number().int().min(10).max(10_000).default(360),
});
export type RedisPanelSettings = z.infer<typeof RedisPanelSettings>;

export interface SettingsProblem {
  key: string;
  message: string;
}

/**
 * Parses raw `perfAdvisor.redis` settings leniently: a bad value falls back to its default and is
 * reported; a bad connection entry is dropped and reported, the others stay usable.
 */
export function parseRedisPanelSettings(raw: unknown): { settings: RedisPanelSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const source = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const candidate: Record<string, unknown> = {};
  const shape = RedisPanelSettings.shape;
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || !(key in shape)) continue;
    if (key === 'connections') {
      candidate.connections = parseConnections(value, problems);
      continue;
    }
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) candidate[key] = parsed.data;
    else
      problems.push({ key: `perfAdvisor.redis.${key}`, message: parsed.error.issues.map((i) => i.message).join('; ') });
  }
  return { settings: RedisPanelSettings.parse(candidate), problems };
}

function parseConnections(value: unknown, problems: SettingsProblem[]): RedisConnection[] {
  if (!Array.isArray(value)) {
    problems.push({ key: 'perfAdvisor.redis.connections', message: 'must be an array of connections' });
    return [];
  }
  const out: RedisConnection[] = [];
  value.forEach((entry, index) => {
    const parsed = RedisConnection.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
    else {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');
      problems.push({ key: `perfAdvisor.redis.connections[${index}]`, message });
    }
  });
  return out;
}

/** The active connection: the named one, else the first; undefined when none is configured. */
export function activeConnection(settings: RedisPanelSettings): RedisConnection | undefined {
  return settings.connections.find((c) => c.name === settings.activeConnection) ?? settings.connections[0];
}

/** A short human label for a connection's target ("127.0.0.1:6379", "sentinel mymaster", …). */
export function describeTarget(connection: RedisConnection): string {
  const endpoints = connection.nodes.length > 0 ? connection.nodes : [{ host: connection.host, port: connection.port }];
  const list = endpoints.map((e) => `${e.host}:${e.port}`).join(', ');
  if (connection.mode === 'sentinel') return `sentinel ${connection.sentinelName ?? 'mymaster'} via ${list}`;
  if (connection.mode === 'cluster') return `cluster via ${list}`;
  return `${list}${connection.db ? ` db ${connection.db}` : ''}`;
}
