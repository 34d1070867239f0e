// Parses Redis replies the panel reads: INFO text, keyspace lines, SLOWLOG GET and LATENCY LATEST arrays.
import type { KeyspaceDb, LatencyEvent, SlowlogEntry } from './model';

/** INFO as a flat field → value map (sections merged; field names are unique across sections). */
export type InfoFields = ReadonlyMap<string, string>;

export function parseInfo(text: string): InfoFields {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** A numeric INFO field; `fallback` when absent or not a number. */
export function num(info: InfoFields, field: string, fallback = 0): number {
  const value = info.get(field);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** The `db<N>:keys=…,expires=…,avg_ttl=…` lines of INFO keyspace. */
export function parseKeyspace(info: InfoFields): KeyspaceDb[] {
  const out: KeyspaceDb[] = [];
  for (const [field, value] of info) {
    const match = /^db(\d+)$/.exec(field);
    if (!match) continue;
    const parts = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
    const keys = Number(parts.get('keys') ?? 0);
    const expires = Number(parts.get('expires') ?? 0);
    out.push({
      db: Number(match[1]),
      keys,
      expires,
      ttlShare: keys > 0 ? expires / keys : null,
      avgTtlMs: Number(parts.get('avg_ttl') ?? 0),
    });
  }
  return out.sort((a, b) => a.db - b.db);
}

export const MAX_ARG_LENGTH = 64;
export const MAX_ARGS = 8;

/** Truncates an argument for display ("…(+N chars)"); values may be large or sensitive. */
export function truncateArg(arg: string, max = MAX_ARG_LENGTH): string {
  return arg.length <= max ? arg : `${arg.slice(0, max)}…(+${arg.length - max} chars)`;
}

function asString(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value === undefined || value === null ? '' : String(value);
}

/** SLOWLOG GET reply: [id, unix time, duration µs, [argv…], client addr, client name]. */
export function parseSlowlog(reply: unknown, node: string): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  const out: SlowlogEntry[] = [];
  for (const entry of reply) {
    if (!Array.isArray(entry) || entry.length < 4 || !Array.isArray(entry[3])) continue;
    const argv = (entry[3] as unknown[]).map(asString);
    const shown = argv.slice(1, 1 + MAX_ARGS).map((arg) => truncateArg(arg));
    if (argv.length - 1 > MAX_ARGS) shown.push(`…(+${argv.length - 1 - MAX_ARGS} more)`);
    out.push({
      node,
      id: Number(entry[0]),
      timestamp: Number(entry[1]),
      durationMicros: Number(entry[2]),
      command: (argv[0] ?? '').toUpperCase(),
      args: shown,
      client: asString(entry[4]),
      clientName: asString(entry[5]),
    });
  }
  return out;
}

/** LATENCY LATEST reply: [[event, unix time, latest ms, max ms], …]. */
export function parseLatencyLatest(reply: unknown, node: string): LatencyEvent[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .filter((row): row is unknown[] => Array.isArray(row) && row.length >= 4)
    .map((row) => ({
      node,
      event: asString(row[0]),
      timestamp: Number(row[1]),
      latestMs: Number(row[2]),
      maxMs: Number(row[3]),
    }));
}
