// The skill's decision tree as data: symptom → what to check → leaf with the skill's remedy, the measurement and the rules that answer it.
import { z } from 'zod';

export const SymptomId = z.enum(['high-latency', 'high-cpu', 'memory']);
export type SymptomId = z.infer<typeof SymptomId>;
export const LeafId = z.enum(['slow-queries', 'network', 'algorithmic', 'too-much-load', 'leaks', 'large-data']);
export type LeafId = z.infer<typeof LeafId>;

/** What answers a leaf: a live measurement, or the static findings of some rules. */
export type Measurement = 'loadtest' | 'redis' | 'profile' | 'heap';

export interface Leaf {
  id: LeafId;
  label: string;
  /** The skill's remedy, verbatim. */
  remedy: string;
  measurements: readonly Measurement[];
  /** Rules whose findings are the fixes for this leaf. */
  rules: readonly string[];
}

export interface Symptom {
  id: SymptomId;
  label: string;
  /** The skill's first step for this symptom. */
  check: string;
  leaves: readonly Leaf[];
}

/** "Performance issue?" and its three branches, as the performance skill draws them. */
export const DECISION_TREE: readonly Symptom[] = [
  {
    id: 'high-latency',
    label: 'High latency',
    check: 'Check database queries',
    leaves: [
      {
        id: 'slow-queries',
        label: 'Slow queries',
        remedy: 'Add indexes, optimize SQL',
        measurements: ['loadtest', 'redis'],
        rules: ['unbounded-read', 'n-plus-one'],
      },
      {
        id: 'network',
        label: 'Network',
        remedy: 'Add caching, reduce round-trips',
        measurements: ['loadtest', 'redis'],
        rules: ['n-plus-one', 'missing-cache', 'unpooled-connection', 'unstable-cache-key'],
      },
    ],
  },
  {
    id: 'high-cpu',
    label: 'High CPU',
    check: 'Profile code',
    leaves: [
      {
        id: 'algorithmic',
        label: 'Algorithmic',
        remedy: 'Optimize algorithms',
        measurements: ['profile'],
        rules: [],
      },
      {
        id: 'too-much-load',
        label: 'Too much load',
        remedy: 'Scale horizontally',
        measurements: ['profile', 'loadtest'],
        rules: [],
      },
    ],
  },
  {
    id: 'memory',
    label: 'Memory issues',
    check: 'Analyze memory usage',
    leaves: [
      {
        id: 'leaks',
        label: 'Leaks',
        remedy: 'Find and fix leaks',
        measurements: ['heap'],
        rules: ['cache-write-without-ttl'],
      },
      {
        id: 'large-data',
        label: 'Large data',
        remedy: 'Implement pagination, streaming',
        measurements: [],
        rules: ['unbounded-read'],
      },
    ],
  },
];

export function symptom(id: SymptomId): Symptom {
  return DECISION_TREE.find((s) => s.id === id)!;
}

export function leaf(id: LeafId): Leaf {
  return DECISION_TREE.flatMap((s) => s.leaves).find((l) => l.id === id)!;
}

export function symptomOf(id: LeafId): Symptom {
  return DECISION_TREE.find((s) => s.leaves.some((l) => l.id === id))!;
}

/** The skill's parameter rules: the question (5–2000 characters), `current_rps` and `target_latency_ms` integers. */
export const DiagnoseInput = z.object({
  query: z
    .string()
    .trim()
    .min(5, 'describe the problem in at least 5 characters')
    .max(2000, 'the description is longer than 2000 characters'),
  current_rps: z.number().int('current_rps must be an integer').positive('current_rps must be positive').optional(),
  target_latency_ms: z
    .number()
    .int('target_latency_ms must be an integer')
    .positive('target_latency_ms must be positive')
    .optional(),
});
export type DiagnoseInput = z.infer<typeof DiagnoseInput>;
