// Test helpers: a poller wired to a test server, waiting for panel states with a deadline, and an admin connection.
import Redis from 'ioredis';
import { RedisConnection, type RedisConnectionInput } from '../../measure/redis/config';
import { openConnection, type OpenConnection } from '../../measure/redis/connection';
import type { PanelState } from '../../measure/redis/model';
import { RedisPoller, type PollerOptions } from '../../measure/redis/poller';

export const TARGETS = { hitRatio: 0.9, memoryUse: 0.8 };

/** A plain ioredis client for the test's own setup and workload (not the panel's read-only client). */
export function adminClient(port: number, password?: string): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => {
    /* tests assert on command results */
  });
  return client;
}

export interface PollerHarness {
  poller: RedisPoller;
  /** How many times the poller opened (or tried to open) a connection. */
  opens: number[];
  /** Resolves with the first state (current or future) matching the predicate, or rejects after the timeout. */
  waitFor(predicate: (state: PanelState) => boolean, timeoutMs?: number): Promise<PanelState>;
  connections: OpenConnection[];
}

export function createPoller(
  connection: RedisConnectionInput,
  extra: Partial<PollerOptions> & { password?: string } = {},
): PollerHarness {
  const parsed = RedisConnection.parse(connection);
  const listeners = new Set<(state: PanelState) => void>();
  const opens: number[] = [];
  const connections: OpenConnection[] = [];
  const poller = new RedisPoller({
    open: async () => {
      opens.push(Date.now());
      const open = await openConnection(parsed, { password: extra.password, connectTimeoutMs: 2_000 });
      connections.push(open);
      return open;
    },
    intervalMs: 5_000,
    slowlogEntries: 10,
    targets: TARGETS,
    historyPoints: 100,
    describe: { connectionName: parsed.name, mode: parsed.mode, target: `${parsed.host}:${parsed.port}` },
    retry: { attempts: 3, initialDelayMs: 20 },
    ...extra,
    onState: (state) => {
      for (const listener of [...listeners]) listener(state);
    },
  });
  return {
    poller,
    opens,
    connections,
    waitFor(predicate, timeoutMs = 10_000) {
      if (predicate(poller.state)) return Promise.resolve(poller.state);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(
            new Error(
              `state not reached in ${timeoutMs} ms; last: ${JSON.stringify({ status: poller.state.status, reason: poller.state.reason })}`,
            ),
          );
        }, timeoutMs);
        const listener = (state: PanelState) => {
          if (!predicate(state)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(state);
        };
        listeners.add(listener);
      });
    },
  };
}
