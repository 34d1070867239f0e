// Messages between the extension host and the profiling result webview: zod unions checked on both sides.
import { z } from 'zod';
import { Diagnosis } from '../../measure/diagnose/diagnose';
import { LoadTestResult } from '../../measure/loadtest/result';
import { ProfileResult } from '../../measure/profile/model';

const PercentileChange = z.object({
  percentile: z.enum(['p50', 'p95', 'p99', 'p999']),
  beforeMs: z.number(),
  afterMs: z.number(),
  changeMs: z.number(),
  changeShare: z.number().nullable(),
});

export const Comparison = z.object({
  before: z.object({ startedAt: z.string(), rps: z.number() }),
  percentiles: z.array(PercentileChange),
  rpsChangeShare: z.number().nullable(),
});

/** What the panel shows: one result at a time. */
export const ResultView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('empty') }),
  z.object({
    kind: z.literal('loadTest'),
    result: LoadTestResult,
    comparison: Comparison.nullable(),
    /** The previous run's distribution, drawn beside this one. */
    previousDistribution: z.array(z.object({ percentile: z.number(), latencyMs: z.number() })).nullable(),
    savedPath: z.string().nullable(),
  }),
  z.object({ kind: z.literal('profile'), result: ProfileResult, savedPath: z.string().nullable() }),
  z.object({ kind: z.literal('diagnosis'), diagnosis: Diagnosis, savedPath: z.string().nullable() }),
]);
export type ResultView = z.infer<typeof ResultView>;

export const HostMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('show'), view: ResultView })]);
export type HostMessage = z.infer<typeof HostMessage>;

export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Open a source location shown in the result (the host only opens files the result names). */
  z.object({ type: z.literal('open'), file: z.string().max(4096), line: z.number().int().min(1) }),
  /** Open the saved .cpuprofile (VS Code's flame chart) or the saved JSON. */
  z.object({ type: z.literal('openSaved'), path: z.string().max(4096) }),
  z.object({
    type: z.literal('findInCode'),
    command: z
      .string()
      .regex(/^[A-Za-z|]{1,40}$/)
      .max(40),
  }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

/** Files and saved paths a view names: the only ones the host will open for it. */
export function pathsOf(view: ResultView): { files: Set<string>; saved: Set<string> } {
  const files = new Set<string>();
  const saved = new Set<string>();
  if (view.kind === 'empty') return { files, saved };
  if (view.savedPath) saved.add(view.savedPath);
  if (view.kind === 'profile') {
    for (const f of view.result.hotFunctions) files.add(f.file);
    if (view.result.profilePath) saved.add(view.result.profilePath);
  }
  if (view.kind === 'diagnosis') {
    for (const f of view.diagnosis.findings) files.add(f.file);
    for (const f of view.diagnosis.hotFunctions) files.add(f.file);
  }
  return { files, saved };
}
