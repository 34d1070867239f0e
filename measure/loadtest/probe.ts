// Checks that an endpoint answers at all before a load test, with the skill's retries; any HTTP status counts as reachable.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { withRetry, type RetryPolicy } from '../retry';

/** The endpoint did not answer after the retries: the skill's "metrics unavailable" (exit code 2). */
export class EndpointUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(`${url} is unreachable after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`);
    this.name = 'EndpointUnreachableError';
  }
}

/** Why a request failed, in words ("connection refused" rather than ECONNREFUSED alone). */
export function describeNetworkError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the service running on that port?)';
    case 'ENOTFOUND':
      return 'host name not found';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return err?.message || String(error);
  }
}

/** One request; resolves with the status code of any HTTP answer, rejects on a network failure or timeout. */
export function probeOnce(url: string, method: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: method === 'GET' ? 'GET' : 'HEAD', signal, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** Probes with the retry policy; throws EndpointUnreachableError after the last attempt. */
export async function ensureReachable(
  url: string,
  method: string,
  options: { policy: RetryPolicy; timeoutMs: number; signal?: AbortSignal; onRetry?: (message: string) => void },
): Promise<number> {
  try {
    return await withRetry(() => probeOnce(url, method, options.timeoutMs, options.signal), options.policy, {
      signal: options.signal,
      onAttemptFailed: (n, error, wait) => {
        if (wait !== null)
          options.onRetry?.(`attempt ${n} failed (${describeNetworkError(error)}); retrying in ${wait / 1000} s`);
      },
    });
  } catch (error) {
    if ((error as Error).name === 'CancelledError' || (error as Error).name === 'AbortError') throw error;
    throw new EndpointUnreachableError(url, options.policy.attempts, describeNetworkError(error));
  }
}
