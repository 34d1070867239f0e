// Zod schemas (and their types) for everything the Redis panel computes and shows; shared by host and webview.
import { z } from 'zod';

/** Why metrics are unavailable, classified from the connection error. */
export const UnavailableReasonKind = z.enum(['refused', 'auth', 'tls', 'timeout', 'other']);
export type UnavailableReasonKind = z.infer<typeof UnavailableReasonKind>;

export const UnavailableReason = z.object({ kind: UnavailableReasonKind, message: z.string() });
export type UnavailableReason = z.infer<typeof UnavailableReason>;

export const KeyspaceDb = z.object({
  db: z.number().int(),
  keys: z.number(),
  expires: z.number(),
  /** expires / keys: the share of keys that have a TTL (null for an empty db). */
  ttlShare: z.number().nullable(),
  avgTtlMs: z.number(),
});
export type KeyspaceDb = z.infer<typeof KeyspaceDb>;

/** Figures of one node (or combined over a cluster's primaries) derived from two INFO snapshots. */
export const Figures = z.object({
  /** keyspace_hits / (hits + misses) over the last interval; null when there were no lookups. */
  hitRatioInterval: z.number().nullable(),
  /** The same since the panel started watching this server. */
  hitRatioSession: z.number().nullable(),
  /** The same over the server's lifetime counters (since start or CONFIG RESETSTAT). */
  hitRatioLifetime: z.number().nullable(),
  keyspaceHits: z.number(),
  keyspaceMisses: z.number(),
  usedMemory: z.number(),
  maxmemory: z.number(),
  /** usedMemory / maxmemory; null when maxmemory is 0 (no limit). */
  memoryUse: z.number().nullable(),
  maxmemoryPolicy: z.string(),
  fragmentationRatio: z.number().nullable(),
  opsPerSec: z.number().nullable(),
  evictionsPerSec: z.number().nullable(),
  expirationsPerSec: z.number().nullable(),
  evictedKeys: z.number(),
  expiredKeys: z.number(),
  connectedClients: z.number(),
  blockedClients: z.number(),
  rejectedConnections: z.number(),
  /** Connections rejected during the last interval. */
  rejectedInterval: z.number().nullable(),
  maxclients: z.number().nullable(),
  keyspace: z.array(KeyspaceDb),
  redisVersion: z.string(),
  uptimeSeconds: z.number(),
});
export type Figures = z.infer<typeof Figures>;

export const SlowlogEntry = z.object({
  node: z.string(),
  id: z.number(),
  timestamp: z.number(),
  durationMicros: z.number(),
  command: z.string(),
  /** Arguments after the command name, each truncated; the key is usually the first. */
  args: z.array(z.string()),
  client: z.string(),
  clientName: z.string(),
});
export type SlowlogEntry = z.infer<typeof SlowlogEntry>;

export const LatencyEvent = z.object({
  node: z.string(),
  event: z.string(),
  timestamp: z.number(),
  latestMs: z.number(),
  maxMs: z.number(),
});
export type LatencyEvent = z.infer<typeof LatencyEvent>;

/** A figure off the skill's target, with the troubleshooting table's advice and the rule it links to. */
export const Advice = z.object({
  figure: z.enum(['hitRatio', 'evictions', 'memory', 'maxmemory', 'policy', 'rejected', 'timeouts']),
  severity: z.enum(['warning', 'info']),
  title: z.string(),
  detail: z.string(),
  ruleId: z.string(),
});
export type Advice = z.infer<typeof Advice>;

export const NodeFigures = z.object({ node: z.string(), role: z.string(), figures: Figures });
export type NodeFigures = z.infer<typeof NodeFigures>;

/** One point of the session charts. */
export const HistoryPoint = z.object({
  at: z.number(),
  hitRatio: z.number().nullable(),
  opsPerSec: z.number().nullable(),
  usedMemory: z.number(),
  evictionsPerSec: z.number().nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const Targets = z.object({ hitRatio: z.number(), memoryUse: z.number() });
export type Targets = z.infer<typeof Targets>;

export const PanelStatus = z.enum(['idle', 'connecting', 'live', 'unavailable']);
export type PanelStatus = z.infer<typeof PanelStatus>;

/** Everything the panel shows about the active connection. */
export const PanelState = z.object({
  connectionName: z.string().nullable(),
  mode: z.string().nullable(),
  target: z.string().nullable(),
  status: PanelStatus,
  reason: UnavailableReason.nullable(),
  /** True when the figures are from an earlier poll because the server is unavailable now. */
  stale: z.boolean(),
  updatedAt: z.number().nullable(),
  combined: Figures.nullable(),
  nodes: z.array(NodeFigures),
  slowlog: z.array(SlowlogEntry),
  latency: z.array(LatencyEvent),
  advice: z.array(Advice),
  history: z.array(HistoryPoint),
  targets: Targets,
  /** Commands the collector sent in its last poll (its own load on Redis). */
  commandsPerPoll: z.number(),
  /** A configuration problem to show instead of figures (no connection configured, bad setting). */
  notice: z.string().nullable(),
});
export type PanelState = z.infer<typeof PanelState>;

export const PrefixStats = z.object({
  prefix: z.string(),
  count: z.number(),
  memory: z.number(),
  noTtl: z.number(),
  /** The most common type among the sampled keys (string, hash, …). */
  type: z.string(),
});
export type PrefixStats = z.infer<typeof PrefixStats>;

export const KeyspaceAnalysis = z.object({
  sampled: z.number(),
  /** DBSIZE summed over the nodes: how many keys the sample was drawn from. */
  totalKeys: z.number(),
  prefixesByCount: z.array(PrefixStats),
  prefixesByMemory: z.array(PrefixStats),
  ttlBuckets: z.object({ none: z.number(), underHour: z.number(), hourToDay: z.number(), overDay: z.number() }),
  biggestKeys: z.array(z.object({ key: z.string(), type: z.string(), memory: z.number(), ttlMs: z.number() })),
  cancelled: z.boolean(),
});
export type KeyspaceAnalysis = z.infer<typeof KeyspaceAnalysis>;

/** The state before any connection attempt (or with `notice` explaining why there is none). */
export function emptyState(targets: Targets, notice: string | null = null): PanelState {
  return {
    connectionName: null,
    mode: null,
    target: null,
    status: 'idle',
    reason: null,
    stale: false,
    updatedAt: null,
    combined: null,
    nodes: [],
    slowlog: [],
    latency: [],
    advice: [],
    history: [],
    targets,
    commandsPerPoll: 0,
    notice,
  };
}
