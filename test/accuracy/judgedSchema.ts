// Zod schema of the judged sample (test/accuracy/judged.json): findings the CLI raised at unlabelled places, each read in
// context by a reviewer; its precision is what a user sees. Shared by its test and scripts/judgedSample.ts.
import { z } from 'zod';
import { Family } from './labelsSchema';

export const Judgement = z.object({
  repo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'owner/name'),
  commit: z.string().regex(/^[0-9a-f]{40}$/, '40 lowercase hex digits'),
  path: z.string().min(1),
  line: z.number().int().min(1),
  family: Family,
  /** The message the tool printed, as it was judged. */
  message: z.string().min(1),
  /** Whether the finding is a real problem worth a squiggle there. */
  verdict: z.enum(['right', 'wrong']),
  /** For a right finding: whether its message (cause, numbers, advice) is also right. */
  messageRight: z.boolean().optional(),
  /** Why, in a few words (where the code runs, how big the collection is). */
  note: z.string().min(1),
});
export type Judgement = z.infer<typeof Judgement>;

export const JudgedSample = z.object({
  /** The engine commit whose findings were sampled, the seed and the report they were drawn from. */
  engineCommit: z.string().regex(/^[0-9a-f]{7,40}$/),
  seed: z.number().int(),
  drawnFrom: z.string().min(1),
  judgements: z.array(Judgement),
});
export type JudgedSample = z.infer<typeof JudgedSample>;

/** Precision of a judged sample overall and per family, and how many right findings also carried a right message. */
export function judgedPrecision(judgements: readonly Judgement[]): {
  family: string;
  right: number;
  total: number;
  precision: number | null;
  messageRight: number;
}[] {
  const families = ['all', ...new Set(judgements.map((j) => j.family))];
  return families.map((family) => {
    const rows = judgements.filter((j) => family === 'all' || j.family === family);
    const right = rows.filter((j) => j.verdict === 'right');
    return {
      family,
      right: right.length,
      total: rows.length,
      precision: rows.length ? right.length / rows.length : null,
      messageRight: right.filter((j) => j.messageRight !== false).length,
    };
  });
}
