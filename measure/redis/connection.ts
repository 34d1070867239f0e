// Opens the panel's read-only Redis connections (standalone, Sentinel, Cluster) with the skill's retry policy.
import { readFileSync } from 'node:fs';
import Redis, { type RedisOptions } from 'ioredis';
import { assertAllowed } from './allowlist';
import type { RedisConnection, RedisEndpoint } from './config';
import type { UnavailableReason } from './model';

/** CLIENT SETNAME of the panel's connections, so that users can recognise them in CLIENT LIST. */
export const PANEL_CLIENT_NAME = 'perf-advisor-panel';

export type Argv = readonly [string, ...(string | number)[]];

/**
 * The only handle the collector gets on a Redis node. It owns the ioredis instance privately and
 * checks every command against the read-only allowlist before it reaches the socket.
 */
export class ReadOnlyClient {
  private sent = 0;

  constructor(
    private readonly redis: Redis,
    readonly node: string,
    readonly role: 'primary' | 'replica' = 'primary',
  ) {}

  /** Commands sent through this client so far (for the panel's own-load figure). */
  get commandsSent(): number {
    return this.sent;
  }

  async send(...argv: Argv): Promise<unknown> {
    assertAllowed(argv);
    this.sent++;
    return this.redis.call(argv[0], ...argv.slice(1));
  }

  /** Sends a batch in one round trip; each reply is a value or the error of that command. */
  async pipeline(batch: readonly Argv[]): Promise<Array<{ error: Error | null; value: unknown }>> {
    for (const argv of batch) assertAllowed(argv);
    if (batch.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const argv of batch) pipeline.call(argv[0], ...argv.slice(1));
    this.sent += batch.length;
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, value]) => ({ error, value }));
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** An open connection: one client per primary (one for standalone and Sentinel). */
export interface OpenConnection {
  readonly mode: RedisConnection['mode'];
  readonly clients: readonly ReadOnlyClient[];
  close(): void;
}

export interface OpenOptions {
  /** From SecretStorage, supplied by the caller; never read from settings, never logged. */
  password?: string;
  connectTimeoutMs: number;
}

/** Builds the ioredis options: no automatic reconnects or offline queue, the panel runs its own retry policy. */
function baseOptions(connection: RedisConnection, options: OpenOptions): RedisOptions {
  const tls =
    connection.tls === false
      ? undefined
      : connection.tls === true
        ? {}
        : {
            servername: connection.tls.servername,
            rejectUnauthorized: connection.tls.rejectUnauthorized,
            ca: connection.tls.caFile ? readFileSync(connection.tls.caFile) : undefined,
          };
  return {
    username: connection.username,
    password: options.password,
    db: connection.db,
    tls,
    lazyConnect: true,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.connectTimeoutMs,
    connectionName: PANEL_CLIENT_NAME,
    disableClientInfo: true,
    protocol: 2, // RESP2: works on every server version, and no HELLO in the handshake
  };
}

/**
 * Connects, rejecting with the underlying socket/auth error: ioredis's connect() itself only
 * reports "Connection is closed.", which would hide refused / auth / TLS / timeout.
 */
async function connectOrThrow(redis: Redis): Promise<void> {
  let lastError: unknown;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw lastError ?? error;
  }
}

async function openNode(
  endpoint: RedisEndpoint,
  connection: RedisConnection,
  options: OpenOptions,
  role: 'primary' | 'replica' = 'primary',
): Promise<ReadOnlyClient> {
  const redis = new Redis({ ...baseOptions(connection, options), host: endpoint.host, port: endpoint.port });
  await connectOrThrow(redis);
  return new ReadOnlyClient(redis, `${endpoint.host}:${endpoint.port}`, role);
}

/** Parses CLUSTER NODES into the reachable primaries. */
export function clusterPrimaries(nodesReply: string, fallbackHost: string): RedisEndpoint[] {
  const out: RedisEndpoint[] = [];
  for (const line of nodesReply.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const flags = fields[2].split(',');
    if (!flags.includes('master') || flags.includes('fail') || flags.includes('noaddr') || flags.includes('handshake'))
      continue;
    const address = fields[1].split('@')[0];
    const colon = address.lastIndexOf(':');
    const port = Number(address.slice(colon + 1));
    if (!port) continue;
    out.push({ host: address.slice(0, colon) || fallbackHost, port });
  }
  return out;
}

/** Opens the connection once (no retries); see connectWithRetry. */
export async function openConnection(connection: RedisConnection, options: OpenOptions): Promise<OpenConnection> {
  const endpoints = connection.nodes.length > 0 ? connection.nodes : [{ host: connection.host, port: connection.port }];
  if (connection.mode === 'sentinel') {
    const redis = new Redis({
      ...baseOptions(connection, options),
      sentinels: endpoints,
      name: connection.sentinelName ?? 'mymaster',
      sentinelRetryStrategy: () => null,
    });
    await connectOrThrow(redis);
    const client = new ReadOnlyClient(redis, `sentinel:${connection.sentinelName ?? 'mymaster'}`);
    return { mode: 'sentinel', clients: [client], close: () => client.close() };
  }
  const seed = await openNode(endpoints[0], connection, options);
  if (connection.mode === 'standalone') return { mode: 'standalone', clients: [seed], close: () => seed.close() };
  // Cluster: discover the primaries from the seed and keep one connection per primary.
  const clients: ReadOnlyClient[] = [];
  try {
    const primaries = clusterPrimaries(String(await seed.send('CLUSTER', 'NODES')), endpoints[0].host);
    for (const endpoint of primaries) {
      const label = `${endpoint.host}:${endpoint.port}`;
      clients.push(label === seed.node ? seed : await openNode(endpoint, { ...connection, db: 0 }, options));
    }
    if (!clients.includes(seed)) seed.close();
  } catch (error) {
    seed.close();
    for (const client of clients) client.close();
    throw error;
  }
  return {
    mode: 'cluster',
    clients,
    close: () => {
      for (const client of clients) client.close();
    },
  };
}

/** Classifies a connection or command error into the reasons the panel shows. */
export function classifyError(error: unknown): UnavailableReason {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : String(error);
  const text = `${code} ${message}`;
  if (/ECONNREFUSED/.test(text)) return { kind: 'refused', message: `connection refused (${message})` };
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password|NOPERM|AUTH failed/i.test(text)) {
    return {
      kind: 'auth',
      message:
        'authentication failed: check the user name and the password set with "Perf Advisor: Set Redis Password"',
    };
  }
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO)/.test(code) ||
    /\b(ssl|tls|certificate)\b/i.test(message)
  ) {
    return { kind: 'tls', message: `TLS handshake failed (${message})` };
  }
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return { kind: 'timeout', message: `timed out (${message})` };
  return { kind: 'other', message };
}

export interface RetryOptions {
  /** The skill's retry policy: 3 attempts, exponential back-off from 1 s. */
  attempts?: number;
  initialDelayMs?: number;
  signal?: AbortSignal;
  onAttemptFailed?: (attempt: number, reason: UnavailableReason) => void;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `open` up to `attempts` times with delays initialDelay, 2×, 4×…; throws the last error, classified. */
export async function connectWithRetry<T>(open: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const initialDelayMs = options.initialDelayMs ?? 1_000;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) break;
    try {
      return await open();
    } catch (error) {
      last = error;
      const reason = classifyError(error);
      options.onAttemptFailed?.(attempt, reason);
      if (reason.kind === 'auth') break; // a wrong password does not get better by retrying
      if (attempt < attempts) await delay(initialDelayMs * 2 ** (attempt - 1), options.signal);
    }
  }
  throw new ConnectionUnavailableError(
    last === undefined ? { kind: 'other', message: 'cancelled' } : classifyError(last),
  );
}

export class ConnectionUnavailableError extends Error {
  constructor(readonly reason: UnavailableReason) {
    super(reason.message);
    this.name = 'ConnectionUnavailableError';
  }
}
