// Derives the panel's figures (hit ratios, rates, memory use) from INFO counters, per node and combined over a cluster.
import type { Figures, KeyspaceDb } from './model';
import { num, parseKeyspace, type InfoFields } from './parse';

/** The INFO counters of one node at one instant, plus how many commands the panel itself had sent by then. */
export interface Counters {
  at: number;
  hits: number;
  misses: number;
  commands: number;
  ownCommands: number;
  evicted: number;
  expired: number;
  rejected: number;
  usedMemory: number;
  rssMemory: number;
  maxmemory: number;
  policy: string;
  connected: number;
  blocked: number;
  maxclients: number | null;
  keyspace: KeyspaceDb[];
  version: string;
  uptime: number;
}

export function countersFromInfo(info: InfoFields, at: number, ownCommands: number): Counters {
  return {
    at,
    hits: num(info, 'keyspace_hits'),
    misses: num(info, 'keyspace_misses'),
    commands: num(info, 'total_commands_processed'),
    ownCommands,
    evicted: num(info, 'evicted_keys'),
    expired: num(info, 'expired_keys'),
    rejected: num(info, 'rejected_connections'),
    usedMemory: num(info, 'used_memory'),
    rssMemory: num(info, 'used_memory_rss'),
    maxmemory: num(info, 'maxmemory'),
    policy: info.get('maxmemory_policy') ?? 'unknown',
    connected: num(info, 'connected_clients'),
    blocked: num(info, 'blocked_clients'),
    maxclients: info.has('maxclients') ? num(info, 'maxclients') : null,
    keyspace: parseKeyspace(info),
    version: info.get('redis_version') ?? 'unknown',
    uptime: num(info, 'uptime_in_seconds'),
  };
}

/** Adds the counters of several primaries into one (cluster combined figures). */
export function sumCounters(list: readonly Counters[]): Counters {
  const sum = (pick: (c: Counters) => number) => list.reduce((total, c) => total + pick(c), 0);
  const dbs = new Map<number, KeyspaceDb>();
  for (const c of list) {
    for (const db of c.keyspace) {
      const prev = dbs.get(db.db);
      const keys = (prev?.keys ?? 0) + db.keys;
      const expires = (prev?.expires ?? 0) + db.expires;
      // avg_ttl combined weighted by keys with a TTL
      const avgTtlMs =
        expires > 0 ? ((prev?.avgTtlMs ?? 0) * (prev?.expires ?? 0) + db.avgTtlMs * db.expires) / expires : 0;
      dbs.set(db.db, { db: db.db, keys, expires, ttlShare: keys > 0 ? expires / keys : null, avgTtlMs });
    }
  }
  const policies = new Set(list.map((c) => c.policy));
  const versions = new Set(list.map((c) => c.version));
  return {
    at: Math.max(...list.map((c) => c.at)),
    hits: sum((c) => c.hits),
    misses: sum((c) => c.misses),
    commands: sum((c) => c.commands),
    ownCommands: sum((c) => c.ownCommands),
    evicted: sum((c) => c.evicted),
    expired: sum((c) => c.expired),
    rejected: sum((c) => c.rejected),
    usedMemory: sum((c) => c.usedMemory),
    rssMemory: sum((c) => c.rssMemory),
    // a node without a limit makes the combined limit meaningless
    maxmemory: list.every((c) => c.maxmemory > 0) ? sum((c) => c.maxmemory) : 0,
    policy: policies.size === 1 ? [...policies][0] : `mixed (${[...policies].join(', ')})`,
    connected: sum((c) => c.connected),
    blocked: sum((c) => c.blocked),
    maxclients: list.every((c) => c.maxclients !== null) ? sum((c) => c.maxclients ?? 0) : null,
    keyspace: [...dbs.values()].sort((a, b) => a.db - b.db),
    version: [...versions].join(', '),
    uptime: Math.min(...list.map((c) => c.uptime)),
  };
}

function ratio(hits: number, misses: number): number | null {
  const lookups = hits + misses;
  return lookups > 0 ? hits / lookups : null;
}

/** True when the counters went backwards: the server restarted or CONFIG RESETSTAT ran. */
export function countersReset(previous: Counters, current: Counters): boolean {
  return current.hits < previous.hits || current.misses < previous.misses || current.commands < previous.commands;
}

/**
 * Figures at `current`. `first` is the first sample of the session (for the session hit ratio),
 * `previous` the sample before (for the interval figures and rates; null figures without one).
 */
export function deriveFigures(first: Counters, previous: Counters | undefined, current: Counters): Figures {
  const usable = previous && !countersReset(previous, current) && current.at > previous.at ? previous : undefined;
  const seconds = usable ? (current.at - usable.at) / 1000 : 0;
  const rate = (pick: (c: Counters) => number) => (usable ? Math.max(0, pick(current) - pick(usable)) / seconds : null);
  // after a restart the session ratio counts from the restart (counters start at zero again)
  const sessionBase = countersReset(first, current) ? { hits: 0, misses: 0 } : first;
  const ownPerSec = rate((c) => c.ownCommands) ?? 0;
  const commandRate = rate((c) => c.commands);
  return {
    hitRatioInterval: usable ? ratio(current.hits - usable.hits, current.misses - usable.misses) : null,
    hitRatioSession: ratio(current.hits - sessionBase.hits, current.misses - sessionBase.misses),
    hitRatioLifetime: ratio(current.hits, current.misses),
    keyspaceHits: current.hits,
    keyspaceMisses: current.misses,
    usedMemory: current.usedMemory,
    maxmemory: current.maxmemory,
    memoryUse: current.maxmemory > 0 ? current.usedMemory / current.maxmemory : null,
    maxmemoryPolicy: current.policy,
    fragmentationRatio: current.usedMemory > 0 && current.rssMemory > 0 ? current.rssMemory / current.usedMemory : null,
    // the panel's own INFO/SLOWLOG/… commands are not the application's load
    opsPerSec: commandRate === null ? null : Math.max(0, commandRate - ownPerSec),
    evictionsPerSec: rate((c) => c.evicted),
    expirationsPerSec: rate((c) => c.expired),
    evictedKeys: current.evicted,
    expiredKeys: current.expired,
    connectedClients: current.connected,
    blockedClients: current.blocked,
    rejectedConnections: current.rejected,
    rejectedInterval: usable ? Math.max(0, current.rejected - usable.rejected) : null,
    maxclients: current.maxclients,
    keyspace: current.keyspace,
    redisVersion: current.version,
    uptimeSeconds: current.uptime,
  };
}
