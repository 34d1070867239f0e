// Perf Advisor: Diagnose — the skill's decision tree as a guided flow: inputs per the skill, measurements, branch and leaf, findings with fixes.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { z } from 'zod';
import { chooseLeaf, conclude, suggestSymptom, type Evidence, type Finding } from '../../measure/diagnose/diagnose';
import { routeFiles } from '../../measure/diagnose/routes';
import { DECISION_TREE, DiagnoseInput, LeafId, symptom as symptomById, SymptomId } from '../../measure/diagnose/tree';
import { HttpUrl } from '../../measure/loadtest/input';
import { measureHeapGrowth, type HeapGrowth } from '../../measure/profile/heap';
import { parseAttachTarget, runProfile, type ProfileTarget } from '../../measure/profile/profile';
import { runLoadTest } from '../../measure/loadtest/run';
import { saveResult } from '../../measure/results';
import { retryOf, targetsOf } from '../../measure/settings';
import type { Diagnosis } from '../../measure/diagnose/diagnose';
import {
  ReportedError,
  cancelled,
  isCancelled,
  reportFailure,
  requireTrust,
  resultsRoot,
  withCancellableProgress,
} from './common';
import { runLoadTestWithProgress, type ProfilingDeps } from './commands';
import { readProfilingSettings } from './settings';

export const DiagnoseArgs = z
  .object({
    query: z.string().optional(),
    current_rps: z.number().optional(),
    target_latency_ms: z.number().optional(),
    /** The endpoint to measure. */
    url: z.string().optional(),
    /** The service's process: `host:port` of --inspect, for the CPU profile and the heap. */
    attach: z.string().optional(),
    durationS: z.number().optional(),
    /** Take the measured suggestion at each fork instead of asking. */
    auto: z.boolean().optional(),
    symptom: SymptomId.optional(),
    leaf: LeafId.optional(),
  })
  .strict();

/** Files the decision may point at: the workspace's source files (bounded). */
async function workspaceSources(): Promise<{ path: string; text: string }[]> {
  const uris = await vscode.workspace.findFiles(
    '**/*.{ts,tsx,js,jsx,mjs,cjs}',
    '**/{node_modules,dist,build,.perf-advisor}/**',
    3000,
  );
  const out: { path: string; text: string }[] = [];
  for (const uri of uris) {
    try {
      out.push({ path: uri.fsPath, text: readFileSync(uri.fsPath, 'utf8') });
    } catch {
      // unreadable: not a candidate
    }
  }
  return out;
}

/** The language server's findings (its diagnostics), with the titles of the quick fixes offered for each. */
async function staticFindings(limitFixes = 40): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== 'perf-advisor') continue;
      const ruleId = String(typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
      let fixes: string[] = [];
      if (findings.length < limitFixes) {
        try {
          await vscode.workspace.openTextDocument(uri); // code actions are computed on an open model
          const actions =
            (await vscode.commands.executeCommand<vscode.CodeAction[]>(
              'vscode.executeCodeActionProvider',
              uri,
              d.range,
            )) ?? [];
          fixes = actions.map((a) => a.title).filter((t) => !/^(Ignore|Disable|Show documentation)/.test(t));
        } catch {
          // the finding stands without its fix titles
        }
      }
      findings.push({ ruleId, file: uri.fsPath, line: d.range.start.line + 1, message: d.message, fixes });
    }
  }
  return findings;
}

async function ask(
  prompt: string,
  validate: (v: string) => string | undefined,
  value = '',
): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Perf Advisor: Diagnose',
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: validate,
  });
}

const optionalInt = (v: string) => (v === '' || /^[1-9]\d*$/.test(v) ? undefined : 'a positive integer, or empty');

export async function diagnoseCommand(deps: ProfilingDeps, raw: unknown): Promise<Diagnosis | undefined> {
  requireTrust('Diagnose');
  const parsedArgs = DiagnoseArgs.safeParse(raw ?? {});
  if (!parsedArgs.success)
    return reportFailure(`invalid arguments: ${parsedArgs.error.issues.map((i) => i.message).join('; ')}`);
  const args = parsedArgs.data;
  const interactive = raw === undefined;
  const settings = readProfilingSettings();

  // 1. the question and the skill's parameters
  const query =
    args.query ??
    (await ask(
      'What is slow? (5–2000 characters)',
      (v) => DiagnoseInput.shape.query.safeParse(v).error?.issues[0]?.message,
    ));
  if (query === undefined) return undefined;
  let rps = args.current_rps;
  let targetMs = args.target_latency_ms;
  if (interactive) {
    const rpsText = await ask('current_rps: requests per second in production (empty: unknown)', optionalInt);
    if (rpsText === undefined) return undefined;
    const targetText = await ask('target_latency_ms: the P99 you need, in ms (empty: the skill’s 500 ms)', optionalInt);
    if (targetText === undefined) return undefined;
    rps = rpsText ? Number(rpsText) : undefined;
    targetMs = targetText ? Number(targetText) : undefined;
  }
  const input = DiagnoseInput.safeParse({ query, current_rps: rps, target_latency_ms: targetMs });
  if (!input.success) return reportFailure(input.error.issues.map((i) => i.message).join('; '));

  // 2. what to measure
  const url =
    args.url ??
    (interactive
      ? await ask(
          'URL of the slow endpoint (empty: no load test)',
          (v) => (v === '' || HttpUrl.safeParse(v).success ? undefined : 'an http(s) URL, or empty'),
          deps.context.workspaceState.get('perfAdvisor.profiling.lastUrl', ''),
        )
      : undefined);
  if (url === undefined && interactive) return undefined;
  const attachText =
    args.attach ??
    (interactive
      ? await ask('host:port of the service started with --inspect, for CPU and heap (empty: none)', (v) =>
          v === '' || parseAttachTarget(v) ? undefined : 'host:port, or empty',
        )
      : undefined);
  const attach = attachText ? parseAttachTarget(attachText) : undefined;
  const target: ProfileTarget | undefined = attach ? { kind: 'attach', ...attach } : undefined;
  const durationS = args.durationS ?? settings['loadTest.durationSeconds'];
  const loadInput = url
    ? { url, rate: input.data.current_rps, durationS, targetP99: input.data.target_latency_ms }
    : undefined;

  const startedAt = new Date().toISOString();
  const evidence: Evidence = { findings: [] };
  try {
    if (loadInput && target) {
      // the load test runs while the profiler records: one run answers latency and CPU
      const run = await withCancellableProgress('diagnose: load test under the profiler', ({ signal, report }) =>
        runProfile(
          { target, durationS, hotFunctions: settings['profile.hotFunctions'] },
          {
            signal,
            onProgress: report,
            during: (s) =>
              runLoadTest(
                {
                  url: loadInput.url,
                  durationS,
                  rate: loadInput.rate,
                  connections: settings['loadTest.connections'],
                  targetsMs: { ...targetsOf(settings), ...(loadInput.targetP99 ? { p99: loadInput.targetP99 } : {}) },
                },
                { signal: s, retry: retryOf(settings) },
              ),
          },
        ),
      );
      evidence.profile = run.result;
      evidence.loadTest = (run.duringResult as { result: Diagnosis['loadTest'] }).result ?? undefined;
    } else if (loadInput) evidence.loadTest = await runLoadTestWithProgress(deps, settings, loadInput);
    else if (target) {
      const run = await withCancellableProgress('diagnose: CPU profile', ({ signal, report }) =>
        runProfile(
          { target, durationS, hotFunctions: settings['profile.hotFunctions'] },
          { signal, onProgress: report },
        ),
      );
      evidence.profile = run.result;
    }
    evidence.findings = await staticFindings();
    if (url) evidence.routeFiles = routeFiles(url, await workspaceSources());

    // 3. the branch: measured suggestion first
    const symptomStep = suggestSymptom(evidence, settings);
    const symptomId =
      args.symptom ?? (args.auto || !interactive ? symptomStep.choice : await pickSymptom(symptomStep.choice));
    if (symptomId === undefined) return undefined;
    if (symptomId === null)
      return finish(deps, conclude(input.data, symptomStep, { choice: null, reasons: [] }, evidence, startedAt));
    if (symptomId === 'memory' && target && loadInput && !evidence.heap) {
      evidence.heap = await measureHeap(target, loadInput.url, durationS, settings);
    }
    // 4. the leaf
    const leafStep = chooseLeaf(symptomId, evidence, settings);
    const leafId =
      args.leaf ?? (args.auto || !interactive ? leafStep.choice : await pickLeaf(symptomId, leafStep.choice));
    if (leafId === undefined) return undefined;
    const step =
      leafId === leafStep.choice
        ? leafStep
        : { choice: leafId, reasons: [...leafStep.reasons, `${leafId} chosen by you`] };
    return finish(deps, conclude(input.data, { ...symptomStep, choice: symptomId }, step, evidence, startedAt));
  } catch (error) {
    if (isCancelled(error)) cancelled('diagnose');
    if (error instanceof ReportedError) throw error;
    return reportFailure(`diagnose failed: ${(error as Error).message}`);
  }
}

async function measureHeap(
  target: ProfileTarget,
  url: string,
  durationS: number,
  settings: ReturnType<typeof readProfilingSettings>,
): Promise<HeapGrowth> {
  const { growth } = await withCancellableProgress('diagnose: heap before and after a load test', ({ signal }) =>
    measureHeapGrowth(target, () =>
      runLoadTest(
        { url, durationS, connections: settings['loadTest.connections'] },
        { signal, retry: retryOf(settings) },
      ),
    ),
  );
  return growth;
}

async function pickSymptom(suggested: SymptomId | null): Promise<SymptomId | null | undefined> {
  const items = DECISION_TREE.map((s) => ({
    label: s.label,
    description: s.id === suggested ? 'measured' : s.check,
    id: s.id as SymptomId | null,
  }));
  items.sort((a, b) => Number(b.id === suggested) - Number(a.id === suggested));
  const picked = await vscode.window.showQuickPick(
    [...items, { label: 'Nothing is off target', description: '', id: null }],
    { title: 'Performance issue?' },
  );
  return picked === undefined ? undefined : picked.id;
}

async function pickLeaf(symptomId: SymptomId, suggested: LeafId | null): Promise<LeafId | undefined> {
  const items = symptomById(symptomId).leaves.map((l) => ({
    label: l.label,
    description: l.id === suggested ? `measured — ${l.remedy}` : l.remedy,
    id: l.id,
  }));
  items.sort((a, b) => Number(b.id === suggested) - Number(a.id === suggested));
  return (await vscode.window.showQuickPick(items, { title: symptomById(symptomId).check }))?.id;
}

function finish(deps: ProfilingDeps, diagnosis: Diagnosis): Diagnosis {
  const savedPath = saveResult(
    resultsRoot(deps.context),
    'diagnose',
    diagnosis.input.query,
    diagnosis.startedAt,
    diagnosis,
  );
  deps.note(`diagnosis saved to ${savedPath}: ${diagnosis.path.join(' → ') || 'no branch applies'}`);
  deps.panel.show({ kind: 'diagnosis', diagnosis, savedPath }, 'Perf Advisor: Diagnosis');
  return diagnosis;
}
