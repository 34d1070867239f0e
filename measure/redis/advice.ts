// Turns off-target figures into the skill's troubleshooting advice, each linked to the rule whose docs explain the fix.
import type { Advice, Figures, Targets } from './model';

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Rule ids the advice links to (their docs pages live in rules/docs/<id>.md). */
export const ADVICE_RULES = {
  keyDesign: 'unstable-cache-key',
  ttl: 'cache-write-without-ttl',
  pool: 'unpooled-connection',
} as const;

/** Whether the keyspace looks like a cache (most keys expire), which makes `noeviction` a risk rather than a choice. */
function looksLikeCache(figures: Figures): boolean {
  const keys = figures.keyspace.reduce((n, db) => n + db.keys, 0);
  const expires = figures.keyspace.reduce((n, db) => n + db.expires, 0);
  return keys > 0 && expires / keys >= 0.5;
}

/**
 * Advice for the figures, from the skill's troubleshooting table: high miss → key design;
 * evictions and memory pressure → TTL and eviction policy; rejected or timed-out connections → pool size.
 * `commandTimeouts` counts the panel's own commands that timed out in the last interval.
 */
export function adviseOn(figures: Figures, targets: Targets, commandTimeouts = 0): Advice[] {
  const out: Advice[] = [];
  const hitRatio = figures.hitRatioInterval ?? figures.hitRatioSession;
  if (hitRatio !== null && hitRatio < targets.hitRatio) {
    out.push({
      figure: 'hitRatio',
      severity: 'warning',
      ruleId: ADVICE_RULES.keyDesign,
      title: `Hit ratio ${pct(hitRatio)} is below the ${pct(targets.hitRatio)} target`,
      detail:
        'High cache miss usually comes from poor key design: keys that include volatile parts (timestamps, request ids, unsorted parameters) are never read twice. Review the key patterns of the prefixes with the most misses.',
    });
  }
  if (figures.evictionsPerSec !== null && figures.evictionsPerSec > 0) {
    out.push({
      figure: 'evictions',
      severity: 'warning',
      ruleId: ADVICE_RULES.ttl,
      title: `${figures.evictionsPerSec.toFixed(1)} evictions/s: keys are pushed out before they expire`,
      detail:
        'Evictions should stay low and stable. Give cache writes a TTL so that entries expire instead of being evicted, and check that the eviction policy suits a cache (allkeys-lru or allkeys-lfu).',
    });
  }
  if (figures.memoryUse !== null && figures.memoryUse >= targets.memoryUse) {
    out.push({
      figure: 'memory',
      severity: 'warning',
      ruleId: ADVICE_RULES.ttl,
      title: `Memory ${pct(figures.memoryUse)} of maxmemory is above the ${pct(targets.memoryUse)} headroom target`,
      detail:
        'Memory pressure comes from over-caching: set a TTL on cache writes and an eviction policy, or raise maxmemory.',
    });
  }
  if (figures.maxmemory === 0) {
    out.push({
      figure: 'maxmemory',
      severity: looksLikeCache(figures) ? 'warning' : 'info',
      ruleId: ADVICE_RULES.ttl,
      title: 'maxmemory is 0: Redis may grow until the operating system runs out of memory',
      detail:
        'Set maxmemory (leaving 20% headroom) and an eviction policy so that a cache degrades by evicting instead of crashing.',
    });
  }
  if (figures.maxmemoryPolicy === 'noeviction') {
    out.push({
      figure: 'policy',
      severity: looksLikeCache(figures) ? 'warning' : 'info',
      ruleId: ADVICE_RULES.ttl,
      title: 'Eviction policy is noeviction: writes fail with OOM once maxmemory is reached',
      detail: 'For a cache use allkeys-lru or allkeys-lfu (or volatile-* when every cache key has a TTL).',
    });
  }
  if (figures.rejectedInterval !== null && figures.rejectedInterval > 0) {
    out.push({
      figure: 'rejected',
      severity: 'warning',
      ruleId: ADVICE_RULES.pool,
      title: `${figures.rejectedInterval} connections rejected in the last interval (maxclients ${figures.maxclients ?? '?'})`,
      detail:
        'Connections are opened faster than they are reused: use one pooled client per process with a bounded pool size instead of a connection per request.',
    });
  }
  if (commandTimeouts > 0) {
    out.push({
      figure: 'timeouts',
      severity: 'warning',
      ruleId: ADVICE_RULES.pool,
      title: `${commandTimeouts} panel commands timed out`,
      detail:
        'Connection timeouts point to an exhausted pool or an overloaded server: check the pool size and the SLOWLOG.',
    });
  }
  return out;
}
