// Heap growth over a piece of work (a load test): used heap after a full GC before and after, through the inspector.
import type { CdpSession } from './cdp';
import { openInspector, type ProfileTarget } from './profile';

export interface HeapGrowth {
  beforeBytes: number;
  afterBytes: number;
  growthBytes: number;
  /** afterBytes / beforeBytes - 1. */
  growthShare: number;
}

async function usedAfterGc(session: CdpSession): Promise<number> {
  // two collections: the first can leave objects with finalizers for the second
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const usage = await session.send<{ usedSize: number }>('Runtime.getHeapUsage');
  return usage.usedSize;
}

/**
 * Measures the target's heap after GC, runs `work`, measures again. `beforeWork` waits for a launched service to be
 * ready (listening, caches filled) before the first measurement: growth before that means nothing.
 */
export async function measureHeapGrowth<T>(
  target: ProfileTarget,
  work: () => Promise<T>,
  options: { onOutput?: (text: string) => void; beforeWork?: () => Promise<void> } = {},
): Promise<{ growth: HeapGrowth; workResult: T }> {
  const inspector = await openInspector(target, options);
  try {
    await inspector.session.send('HeapProfiler.enable');
    await inspector.run();
    await options.beforeWork?.();
    const beforeBytes = await usedAfterGc(inspector.session);
    const workResult = await work();
    const afterBytes = await usedAfterGc(inspector.session);
    return {
      workResult,
      growth: {
        beforeBytes,
        afterBytes,
        growthBytes: afterBytes - beforeBytes,
        growthShare: beforeBytes > 0 ? afterBytes / beforeBytes - 1 : 0,
      },
    };
  } finally {
    await inspector.release();
  }
}
