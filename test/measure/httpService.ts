// Real HTTP services on loopback for the measurement tests: a known latency distribution, a one-time stall, a counting route.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestService {
  url: string;
  port: number;
  /** Requests the service has answered, per route. */
  served(route: string): number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** Answers after `ms` (a timer in the service, not a sleep in the test). */
export const respondAfter = (res: ServerResponse, ms: number, body = 'ok') =>
  setTimeout(() => res.end(body), ms).unref();

/** Starts a service whose routes are `handlers` (path → handler with the route's 1-based request count). */
export async function startService(handlers: Record<string, Handler>): Promise<TestService> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = Object.hasOwn(handlers, path) ? handlers[path] : undefined;
    if (!handler) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    handler(req, res, n);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    served: (route) => counts.get(route) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every 10th request takes 200 ms, the others 10 ms: P50 ≈ 10 ms, P95 ≈ P99 ≈ 200 ms. */
export const knownDistribution: Handler = (_req, res, n) => respondAfter(res, n % 10 === 0 ? 200 : 10);

/**
 * The whole service stalls once for `stallMs` (a GC pause, a lock): every request that arrives during the stall is
 * held until it ends. Before and after, requests take `baseMs`.
 */
export function stallOnce(atRequest: number, stallMs: number, baseMs = 1): Handler {
  let stallEnds = 0;
  return (_req, res, n) => {
    const now = Date.now();
    if (n === atRequest) stallEnds = now + stallMs;
    respondAfter(res, now < stallEnds ? stallEnds - now : baseMs);
  };
}

/** A free loopback port with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
