// Schemas of a profile's result (hot functions mapped to source), shared by the CLI, the extension and its webview (no Node imports).
import { z } from 'zod';

export const HotFunction = z.object({
  name: z.string(),
  /** Source file (through the source map when there is one), absolute for local scripts. */
  file: z.string(),
  /** 1-based line of the function in `file`. */
  line: z.number(),
  column: z.number(),
  selfMs: z.number(),
  totalMs: z.number(),
  selfPercent: z.number(),
  totalPercent: z.number(),
  /** The function's busiest line in `file` (1-based), when V8 recorded line ticks. */
  hotLine: z.number().nullable(),
  mapped: z.boolean(),
  generated: z.object({ file: z.string(), line: z.number() }),
});
export type HotFunction = z.infer<typeof HotFunction>;

export const ProfileResult = z.object({
  target: z.string(),
  durationMs: z.number(),
  samples: z.number(),
  busyMs: z.number(),
  hotFunctions: z.array(HotFunction),
  stoppedBy: z.enum(['duration', 'exit']),
  startedAt: z.string(),
  /** Where the .cpuprofile was saved (set by the caller that saves it). */
  profilePath: z.string().nullable(),
});
export type ProfileResult = z.infer<typeof ProfileResult>;
