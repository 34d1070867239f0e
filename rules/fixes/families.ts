// The registry of fix families: each takes the rewrite project and the facts its rule recorded.
import type { FixContext, Rewrite } from './rewrite';
import { resolveCacheFix } from './cache';
import { resolvePoolFix } from './pool';
import { resolveReleaseFix } from './release';
import { resolveBatchFix } from './batch';
import { resolveWriteBatchFix, WriteFacts } from './writeBatch';
import { resolveUpdateBatchFix } from './updateBatch';
import { resolveEagerFix } from './eager';
import { resolveDataLoaderFix } from './dataLoader';
import { resolvePaginateFix } from './paginate';
import { resolveStableKeyFix } from './stableKey';

export type FixFamily = (rewrite: Rewrite, facts: Record<string, unknown>, context: FixContext) => void;

export const FAMILIES = new Map<string, FixFamily>([
  ['cache', resolveCacheFix],
  ['pool', resolvePoolFix],
  ['release', resolveReleaseFix],
  ['batch', resolveBatchFix],
  ['writeBatch', resolveWriteBatchFix],
  ['updateBatch', (rewrite, raw) => resolveUpdateBatchFix(rewrite, WriteFacts.parse(raw))],
  ['eager', resolveEagerFix],
  ['dataLoader', resolveDataLoaderFix],
  ['paginate', resolvePaginateFix],
  ['stableKey', resolveStableKeyFix],
]);
