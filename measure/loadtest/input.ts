// The load test's inputs, validated with zod: an http(s) URL, method, headers, body, connections, duration or request count, rate.
import { z } from 'zod';
import { LatencyTargets } from '../settings';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** http and https only: autocannon speaks nothing else, and a file: or data: URL is never a service. */
export const HttpUrl = z
  .string()
  .trim()
  .min(1, 'the URL is empty')
  .max(4_096, 'the URL is longer than 4096 characters')
  .refine((value) => URL.canParse(value), { message: 'not a URL (expected e.g. http://127.0.0.1:3000/orders)' })
  .refine((value) => !URL.canParse(value) || ['http:', 'https:'].includes(new URL(value).protocol), {
    message: 'only http:// and https:// URLs can be load-tested',
  });

/** A header name as RFC 9110 allows it (a token), and a value without line breaks. */
const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, 'not a valid header name');
const HeaderValue = z
  .string()
  .max(8_192)
  .regex(/^[^\r\n]*$/, 'a header value must not contain line breaks');

/** The skill's `current_rps` and `target_latency_ms` are integers; so are connections and counts. */
const PositiveInt = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be an integer`)
    .min(1, `${what} must be at least 1`)
    .max(max, `${what} must be at most ${max}`);

export const LoadTestInput = z
  .object({
    url: HttpUrl,
    method: z.enum(HTTP_METHODS).default('GET'),
    headers: z.record(HeaderName, HeaderValue).default({}),
    body: z
      .string()
      .max(10 * 1024 * 1024, 'the body is larger than 10 MiB')
      .optional(),
    connections: PositiveInt('connections', 10_000).default(10),
    /** Run for this many seconds… */
    durationS: PositiveInt('duration', 3_600).optional(),
    /** …or until this many responses arrived (one of the two; duration 10 s when neither is given). */
    requests: PositiveInt('requests', 10_000_000).optional(),
    /**
     * Requests per second over all connections (the skill's `current_rps`); turns on coordinated-omission correction.
     */
    rate: PositiveInt('rate', 1_000_000).optional(),
    /** Per-request timeout in seconds. */
    timeoutS: PositiveInt('timeout', 600).default(10),
    targetsMs: LatencyTargets.default({ p50: 50, p95: 200, p99: 500, p999: 1_000 }),
    /** Keep every latency (ms) in the result, for checks against the histogram; bounded. */
    keepRawLatencies: z.boolean().default(false),
  })
  .refine((input) => input.durationS === undefined || input.requests === undefined, {
    message: 'give either a duration or a number of requests, not both',
    path: ['durationS'],
  })
  .refine((input) => input.requests === undefined || input.requests >= input.connections, {
    message: 'the number of requests must be at least the number of connections',
    path: ['requests'],
  });
export type LoadTestInput = z.infer<typeof LoadTestInput>;
export type LoadTestInputRaw = z.input<typeof LoadTestInput>;

/** Parses `Name: value` (as curl and autocannon take it) into a header pair. */
export function parseHeader(text: string): [string, string] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** One readable line per zod issue, naming the input ("rate: rate must be an integer"). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
