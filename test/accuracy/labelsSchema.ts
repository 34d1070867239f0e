// Zod schema of the hand-labelled accuracy set (test/accuracy/labels.json), shared by its test and scripts/accuracy.ts.
import { z } from 'zod';

/** Rule families that the accuracy set labels; each equals a Perf Advisor rule id. */
export const Family = z.enum([
  'n-plus-one',
  'unpooled-connection',
  'unbounded-read',
  'missing-cache',
  'cache-write-without-ttl',
  'unstable-cache-key',
]);
export type Family = z.infer<typeof Family>;

export const Verdict = z.enum(['problem', 'fine']);
export type Verdict = z.infer<typeof Verdict>;

const RepoName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'owner/name');

/**
 * `dev` repositories may be read while the engine is tuned; `held-back` ones are scored once, at the end, and never
 * read.
 */
export const Split = z.enum(['dev', 'held-back']);
export type Split = z.infer<typeof Split>;

export const LabelledRepo = z.object({
  repo: RepoName,
  commit: z.string().regex(/^[0-9a-f]{40}$/, '40 lowercase hex digits'),
  why: z.string().min(1),
  split: Split,
});
export type LabelledRepo = z.infer<typeof LabelledRepo>;

export const Label = z.object({
  repo: RepoName,
  /** Path inside the repository, forward slashes, no leading slash. */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.includes('\\'), 'relative path with forward slashes'),
  /** 1-based line of the call a rule would flag. */
  line: z.number().int().min(1),
  family: Family,
  verdict: Verdict,
  note: z.string().min(1),
});
export type Label = z.infer<typeof Label>;

export const LabelFile = z.object({
  repos: z.array(LabelledRepo),
  labels: z.array(Label),
});
export type LabelFile = z.infer<typeof LabelFile>;

/** Families for which the brief asks for both true problems and fine look-alikes. */
export const familiesNeedingBothVerdicts: readonly Family[] = [
  'n-plus-one',
  'unpooled-connection',
  'unbounded-read',
  'missing-cache',
];

/** Minimum label counts per family asked for by the brief. */
export const minimumLabelsPerFamily: Partial<Record<Family, number>> = {
  'n-plus-one': 40,
  'unpooled-connection': 20,
  'unbounded-read': 30,
  'missing-cache': 10,
};

/** Identity of a label: one verdict per (repo, path, line, family). */
export function labelKey(label: Pick<Label, 'repo' | 'path' | 'line' | 'family'>): string {
  return `${label.repo}\u0000${label.path}\u0000${label.line}\u0000${label.family}`;
}
