// The skill's retry policy for live measurements: up to 3 attempts, exponential back-off from 1 s, cancellable.

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
}

export const SKILL_RETRY: RetryPolicy = { attempts: 3, initialDelayMs: 1_000 };

export class CancelledError extends Error {
  constructor(what = 'cancelled') {
    super(what);
    this.name = 'CancelledError';
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks `signal.aborted`). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, at most `policy.attempts` times, waiting initialDelay, 2×, 4×… between tries.
 * Throws the last error; throws CancelledError when `signal` aborts.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  options: {
    signal?: AbortSignal;
    onAttemptFailed?: (n: number, error: unknown, nextDelayMs: number | null) => void;
  } = {},
): Promise<T> {
  let last: unknown;
  for (let n = 1; n <= policy.attempts; n++) {
    if (options.signal?.aborted) throw new CancelledError();
    try {
      return await attempt(n);
    } catch (error) {
      last = error;
      const wait = n < policy.attempts ? policy.initialDelayMs * 2 ** (n - 1) : null;
      options.onAttemptFailed?.(n, error, wait);
      if (wait !== null) await delay(wait, options.signal);
    }
  }
  if (options.signal?.aborted) throw new CancelledError();
  throw last;
}
