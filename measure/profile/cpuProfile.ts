// V8 CPU profiles (the .cpuprofile format): self and total time per function, the hottest line of each, meta nodes apart.
import { z } from 'zod';

export const CallFrame = z.object({
  functionName: z.string(),
  scriptId: z.union([z.string(), z.number()]),
  url: z.string(),
  lineNumber: z.number(),
  columnNumber: z.number(),
});

export const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: CallFrame,
      hitCount: z.number().optional(),
      children: z.array(z.number()).optional(),
      positionTicks: z.array(z.object({ line: z.number(), ticks: z.number() })).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});
export type CpuProfile = z.infer<typeof CpuProfile>;

/** Nodes that are not code: the tree's root, the engine outside JavaScript, and the idle loop. */
const META_FUNCTIONS = new Set(['(root)', '(program)', '(idle)']);

/** A function of the profile, by its generated position (0-based line and column, as V8 gives them). */
export interface FunctionTime {
  name: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
  selfMs: number;
  totalMs: number;
  /** The line (1-based, generated) with most self samples, from V8's positionTicks. */
  hotLine: number | null;
}

export interface ProfileTimes {
  durationMs: number;
  samples: number;
  /** Time not spent idle. */
  busyMs: number;
  functions: FunctionTime[];
}

const keyOf = (frame: z.infer<typeof CallFrame>) =>
  `${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}\u0000${frame.functionName}`;

/**
 * Self time of a function: the samples taken in it. Total time: the samples with it anywhere on the stack, each
 * counted once even when the function recurses. A sample lasts until the next one (as DevTools counts it).
 */
export function functionTimes(profile: CpuProfile): ProfileTimes {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const stamps: number[] = [];
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) stamps.push((at += deltas[i] ?? 0));
  const durationOf = (i: number) => Math.max(0, (i + 1 < stamps.length ? stamps[i + 1] : profile.endTime) - stamps[i]);

  const times = new Map<string, FunctionTime & { lineTicks: Map<number, number> }>();
  const entry = (nodeId: number) => {
    const frame = byId.get(nodeId)!.callFrame;
    const key = keyOf(frame);
    let found = times.get(key);
    if (!found) {
      found = {
        name: frame.functionName || '(anonymous)',
        url: frame.url,
        lineNumber: frame.lineNumber,
        columnNumber: frame.columnNumber,
        selfMs: 0,
        totalMs: 0,
        hotLine: null,
        lineTicks: new Map(),
      };
      times.set(key, found);
    }
    return { key, found };
  };

  let busyUs = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]);
    if (!node) continue;
    const us = durationOf(i);
    if (node.callFrame.functionName !== '(idle)') busyUs += us;
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      if (META_FUNCTIONS.has(byId.get(id)!.callFrame.functionName)) continue;
      const { key, found } = entry(id);
      if (id === node.id) found.selfMs += us / 1000;
      if (!seen.has(key)) {
        seen.add(key);
        found.totalMs += us / 1000;
      }
    }
  }
  // positionTicks count samples per line of a node; merged per function, the busiest line is its hot line
  for (const node of profile.nodes) {
    if (!node.positionTicks || META_FUNCTIONS.has(node.callFrame.functionName)) continue;
    const found = times.get(keyOf(node.callFrame));
    if (!found) continue;
    for (const tick of node.positionTicks)
      found.lineTicks.set(tick.line, (found.lineTicks.get(tick.line) ?? 0) + tick.ticks);
  }
  const functions = [...times.values()].map(({ lineTicks, ...rest }) => {
    let hotLine: number | null = null;
    let most = 0;
    for (const [line, ticks] of lineTicks)
      if (ticks > most) {
        most = ticks;
        hotLine = line;
      }
    return { ...rest, hotLine };
  });
  functions.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs);
  return {
    durationMs: (profile.endTime - profile.startTime) / 1000,
    samples: samples.length,
    busyMs: busyUs / 1000,
    functions,
  };
}
