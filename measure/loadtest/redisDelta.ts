// Redis during a load test: INFO, INFO commandstats and SLOWLOG before and after the run (read-only), as deltas per request.
import type { OpenConnection, ReadOnlyClient } from '../redis/connection';
import { PANEL_CLIENT_NAME } from '../redis/connection';
import { num, parseInfo, parseSlowlog } from '../redis/parse';
import type { SlowlogEntry } from '../redis/model';
import type { RedisDuringLoad } from './result';

/** SLOWLOG entries read at each end (the server keeps 128 by default). */
const SLOWLOG_WINDOW = 128;

interface NodeSnapshot {
  hits: number;
  misses: number;
  commands: number;
  commandStats: Map<string, { calls: number; usec: number }>;
  slowlog: SlowlogEntry[];
}

export interface RedisSnapshot {
  nodes: Map<string, NodeSnapshot>;
}

/** `cmdstat_get:calls=10,usec=20,…` lines → command → calls and time. */
export function parseCommandStats(text: string): Map<string, { calls: number; usec: number }> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const [field, value] of parseInfo(text)) {
    if (!field.startsWith('cmdstat_')) continue;
    const parts = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
    out.set(field.slice('cmdstat_'.length).toUpperCase(), {
      calls: Number(parts.get('calls') ?? 0),
      usec: Number(parts.get('usec') ?? 0),
    });
  }
  return out;
}

async function snapshotNode(client: ReadOnlyClient): Promise<NodeSnapshot> {
  const [info, stats, slowlog] = await client.pipeline([
    ['INFO'],
    ['INFO', 'commandstats'],
    ['SLOWLOG', 'GET', SLOWLOG_WINDOW],
  ]);
  if (info.error) throw info.error;
  const fields = parseInfo(String(info.value));
  return {
    hits: num(fields, 'keyspace_hits'),
    misses: num(fields, 'keyspace_misses'),
    commands: num(fields, 'total_commands_processed'),
    commandStats: stats.error ? new Map() : parseCommandStats(String(stats.value)),
    slowlog: slowlog.error ? [] : parseSlowlog(slowlog.value, client.node),
  };
}

export async function snapshotRedis(connection: OpenConnection): Promise<RedisSnapshot> {
  const nodes = new Map<string, NodeSnapshot>();
  for (const client of connection.clients) nodes.set(client.node, await snapshotNode(client));
  return { nodes };
}

/**
 * The snapshots' own commands, which the deltas must not count: the first snapshot's INFO, INFO commandstats and
 * SLOWLOG GET, and the second's INFO, which has run when its INFO commandstats is read.
 */
const OWN_COMMANDS = 3;
const OWN_COMMAND_STATS = new Map([
  ['INFO', 3],
  ['SLOWLOG', 1],
  ['SLOWLOG|GET', 1], // Redis 7 reports sub-commands apart
]);

export function redisDelta(
  before: RedisSnapshot,
  after: RedisSnapshot,
  requests: number,
  target: string,
  hitRatioTarget: number,
): RedisDuringLoad {
  let commands = 0;
  let hits = 0;
  let misses = 0;
  const stats = new Map<string, { calls: number; usec: number }>();
  const slowlog: SlowlogEntry[] = [];
  for (const [node, end] of after.nodes) {
    const start = before.nodes.get(node);
    if (!start) continue;
    commands += Math.max(0, end.commands - start.commands - OWN_COMMANDS);
    hits += Math.max(0, end.hits - start.hits);
    misses += Math.max(0, end.misses - start.misses);
    for (const [command, value] of end.commandStats) {
      const was = start.commandStats.get(command) ?? { calls: 0, usec: 0 };
      const calls = value.calls - was.calls - (OWN_COMMAND_STATS.get(command) ?? 0);
      if (calls <= 0) continue;
      const sum = stats.get(command) ?? { calls: 0, usec: 0 };
      stats.set(command, { calls: sum.calls + calls, usec: sum.usec + Math.max(0, value.usec - was.usec) });
    }
    const lastSeen = Math.max(-1, ...start.slowlog.map((entry) => entry.id));
    slowlog.push(...end.slowlog.filter((entry) => entry.id > lastSeen && entry.clientName !== PANEL_CLIENT_NAME));
  }
  const perRequest = (n: number) => (requests > 0 ? n / requests : null);
  return {
    target,
    commands,
    commandsPerRequest: perRequest(commands),
    hits,
    misses,
    hitRatio: hits + misses > 0 ? hits / (hits + misses) : null,
    hitRatioTarget,
    commandStats: [...stats]
      .map(([command, value]) => ({
        command,
        calls: value.calls,
        perRequest: perRequest(value.calls),
        usecPerCall: value.calls > 0 ? value.usec / value.calls : 0,
      }))
      .sort((a, b) => b.calls - a.calls),
    slowlog: slowlog
      .sort((a, b) => b.durationMicros - a.durationMicros)
      .map((entry) => ({
        command: entry.command,
        args: entry.args,
        durationMicros: entry.durationMicros,
        timestamp: entry.timestamp,
      })),
    error: null,
  };
}
