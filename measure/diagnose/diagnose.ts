// Walks the skill's decision tree on evidence: which symptom the measurements show, which leaf explains it, and the findings that fix it.
import { z } from 'zod';
import type { HeapGrowth } from '../profile/heap';
import { HotFunction, type ProfileResult } from '../profile/model';
import { LoadTestResult, PERCENTILE_LABEL, PERCENTILES } from '../loadtest/result';
import type { ProfilingSettings } from '../settings';
import { DiagnoseInput, leaf as leafById, LeafId, symptomOf, SymptomId } from './tree';

export const Finding = z.object({
  ruleId: z.string(),
  file: z.string(),
  /** 1-based. */
  line: z.number(),
  message: z.string(),
  /** Titles of the quick fixes offered for it. */
  fixes: z.array(z.string()).default([]),
});
export type Finding = z.infer<typeof Finding>;

export interface Evidence {
  loadTest?: LoadTestResult;
  profile?: ProfileResult;
  heap?: HeapGrowth;
  /** Static findings of the workspace. */
  findings: readonly Finding[];
  /** Files that define the route under test (see routeFiles). */
  routeFiles?: readonly string[];
}

export interface Step<T> {
  choice: T | null;
  reasons: string[];
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/** User code, not Node's own or a dependency's: where an algorithmic fix can be made. */
const isUserCode = (f: HotFunction) =>
  f.file.startsWith('/') && !f.file.includes('/node_modules/') && !f.name.startsWith('(');

/** Which branch the measurements point at; null when none of them is off target. */
export function suggestSymptom(evidence: Evidence, settings: ProfilingSettings): Step<SymptomId> {
  const reasons: string[] = [];
  let choice: SymptomId | null = null;
  if (evidence.heap && evidence.heap.growthShare > settings['diagnose.heapGrowthShare']) {
    reasons.push(
      `the heap grew ${pct(evidence.heap.growthShare)} after GC over the run (more than ${pct(settings['diagnose.heapGrowthShare'])})`,
    );
    choice = 'memory';
  }
  if (evidence.profile && evidence.profile.durationMs > 0) {
    const busy = evidence.profile.busyMs / evidence.profile.durationMs;
    if (busy >= settings['diagnose.cpuBusyShare']) {
      reasons.push(
        `the process was busy ${pct(busy)} of the profile (at or above ${pct(settings['diagnose.cpuBusyShare'])})`,
      );
      choice ??= 'high-cpu';
    }
  }
  if (evidence.loadTest && !evidence.loadTest.withinTargets) {
    const over = PERCENTILES.filter((p) => evidence.loadTest!.verdict[p] === 'over');
    reasons.push(
      `${over.map((p) => `${PERCENTILE_LABEL[p]} ${evidence.loadTest!.latencyMs[p]} ms ≥ ${evidence.loadTest!.targetsMs[p]} ms`).join(', ')}`,
    );
    choice ??= 'high-latency';
  }
  if (choice === null) reasons.push('every measurement is within its target');
  return { choice, reasons };
}

/** Findings of `rules`, in `files` when given (and any there), else everywhere. */
export function findingsFor(
  evidence: Evidence,
  rules: readonly string[],
  files?: readonly string[],
): { findings: Finding[]; scope: 'route' | 'profile' | 'workspace' } {
  const ofRules = evidence.findings.filter((f) => rules.includes(f.ruleId));
  if (files && files.length > 0) {
    const inFiles = ofRules.filter((f) => files.includes(f.file));
    const onRoute = inFiles.some((f) => evidence.routeFiles?.includes(f.file));
    if (inFiles.length > 0) return { findings: inFiles, scope: onRoute ? 'route' : 'profile' };
  }
  return { findings: ofRules, scope: 'workspace' };
}

/** The files the request touched: the route's files and the files of the profile's hot user code. */
export function touchedFiles(evidence: Evidence): string[] {
  const files = new Set(evidence.routeFiles ?? []);
  for (const f of evidence.profile?.hotFunctions ?? []) if (isUserCode(f)) files.add(f.file);
  return [...files];
}

/** Which leaf of `symptom` the evidence supports. */
export function chooseLeaf(symptom: SymptomId, evidence: Evidence, settings: ProfilingSettings): Step<LeafId> {
  const reasons: string[] = [];
  if (symptom === 'high-latency') {
    const redis = evidence.loadTest?.redis;
    const slowMs = settings['diagnose.queryTimeP95Ms'];
    const slow = redis?.slowlog.filter((e) => e.durationMicros / 1000 >= slowMs) ?? [];
    const slowShare = redis && redis.commands > 0 ? redis.slowlog.length / redis.commands : 0;
    if (slow.length > 0) reasons.push(`${slow.length} Redis command(s) took ${slowMs} ms or more (SLOWLOG)`);
    if (slowShare > settings['diagnose.slowQueryShare'])
      reasons.push(
        `${pct(slowShare)} of the Redis commands were slow (target < ${pct(settings['diagnose.slowQueryShare'])})`,
      );
    const touched = touchedFiles(evidence);
    const sql = findingsFor(evidence, ['unbounded-read'], touched);
    if (sql.scope !== 'workspace' && sql.findings.length > 0)
      reasons.push(`${sql.findings.length} unbounded read(s) in the files this route runs`);
    if (reasons.length > 0) return { choice: 'slow-queries', reasons };
    if (redis?.commandsPerRequest && redis.commandsPerRequest > 1)
      reasons.push(`${redis.commandsPerRequest.toFixed(1)} Redis commands per request (round trips)`);
    if (redis?.hitRatio !== null && redis?.hitRatio !== undefined && redis.hitRatio < redis.hitRatioTarget)
      reasons.push(`cache hit ratio ${pct(redis.hitRatio)} under load (target > ${pct(redis.hitRatioTarget)})`);
    const trips = findingsFor(evidence, ['n-plus-one', 'missing-cache'], touched);
    if (trips.findings.length > 0)
      reasons.push(
        `${trips.findings.length} N+1 or missing-cache finding(s)${trips.scope === 'workspace' ? '' : ' on this route'}`,
      );
    if (reasons.length === 0) reasons.push('no slow query seen: the time goes to round trips and waiting');
    return { choice: 'network', reasons };
  }
  if (symptom === 'high-cpu') {
    const profile = evidence.profile;
    if (!profile) return { choice: null, reasons: ['a CPU profile is needed to tell an algorithm from too much load'] };
    const top = profile.hotFunctions.find(isUserCode);
    const busy = profile.busyMs > 0 ? profile.busyMs : profile.durationMs;
    const share = top ? top.selfMs / busy : 0;
    if (top && share >= settings['diagnose.hotspotShare']) {
      reasons.push(`${top.name} (${top.file}:${top.line}) takes ${pct(share)} of the busy time by itself`);
      return { choice: 'algorithmic', reasons };
    }
    reasons.push(
      top
        ? `no single function stands out (the hottest, ${top.name}, has ${pct(share)} of the busy time): the work is spread out`
        : 'no function of the application stands out: the time is spread over the runtime and libraries',
    );
    return { choice: 'too-much-load', reasons };
  }
  if (evidence.heap && evidence.heap.growthShare > settings['diagnose.heapGrowthShare']) {
    reasons.push(
      `the heap kept ${(evidence.heap.growthBytes / 1048576).toFixed(1)} MiB more after GC: something holds on to data`,
    );
    return { choice: 'leaks', reasons };
  }
  reasons.push(
    evidence.heap
      ? `the heap did not grow after GC (${pct(evidence.heap.growthShare)}): memory goes to large reads held at once`
      : 'no heap measurement: large reads are the static suspects',
  );
  return { choice: 'large-data', reasons };
}

export const Diagnosis = z.object({
  input: DiagnoseInput,
  startedAt: z.string(),
  symptom: SymptomId.nullable(),
  leaf: LeafId.nullable(),
  /** "High latency → Check database queries → Network". */
  path: z.array(z.string()),
  reasons: z.array(z.string()),
  remedy: z.string().nullable(),
  findings: z.array(Finding),
  findingsScope: z.enum(['route', 'profile', 'workspace']),
  hotFunctions: z.array(HotFunction),
  loadTest: LoadTestResult.nullable(),
  heap: z
    .object({ beforeBytes: z.number(), afterBytes: z.number(), growthBytes: z.number(), growthShare: z.number() })
    .nullable(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

/**
 * The leaf's conclusion: the path taken, why, the skill's remedy, and the findings (with their fixes) that apply it.
 */
export function conclude(
  input: DiagnoseInput,
  symptomStep: Step<SymptomId>,
  leafStep: Step<LeafId>,
  evidence: Evidence,
  startedAt: string,
): Diagnosis {
  const leafId = leafStep.choice;
  const chosen = leafId ? leafById(leafId) : undefined;
  const symptom = leafId ? symptomOf(leafId) : undefined;
  const touched = touchedFiles(evidence);
  const { findings, scope } = chosen
    ? findingsFor(evidence, chosen.rules, touched)
    : { findings: [], scope: 'workspace' as const };
  const hotFunctions =
    leafId === 'algorithmic' || leafId === 'too-much-load' ? (evidence.profile?.hotFunctions ?? []).slice(0, 10) : [];
  return {
    input,
    startedAt,
    symptom: symptom?.id ?? symptomStep.choice,
    leaf: leafId,
    path: symptom && chosen ? [symptom.label, symptom.check, chosen.label] : [],
    reasons: [...symptomStep.reasons, ...leafStep.reasons],
    remedy: chosen?.remedy ?? null,
    findings,
    findingsScope: scope,
    hotFunctions,
    loadTest: evidence.loadTest ?? null,
    heap: evidence.heap ?? null,
  };
}
