// Load Test Endpoint, Profile Script and Attach to Process: prompts (or arguments), cancellable runs, saved results, the result panel.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { previousRun, saveLoadTest } from '../../measure/loadtest/history';
import { HttpUrl, HTTP_METHODS } from '../../measure/loadtest/input';
import { EndpointUnreachableError } from '../../measure/loadtest/probe';
import { compareRuns, type LoadTestResult } from '../../measure/loadtest/result';
import { emptyRedis, InvalidInputError, runLoadTest } from '../../measure/loadtest/run';
import type { ProfileResult } from '../../measure/profile/model';
import { parseAttachTarget, runProfile, type ProfileTarget } from '../../measure/profile/profile';
import { saveResult } from '../../measure/results';
import { retryOf, targetsOf, type ProfilingSettings } from '../../measure/settings';
import {
  ReportedError,
  cancelled,
  isCancelled,
  openWatchedRedis,
  reportFailure,
  requireTrust,
  resultsRoot,
  withCancellableProgress,
} from './common';
import type { HotLines } from './hotLines';
import type { ResultView } from './messages';
import type { ResultPanel } from './resultPanel';
import { readProfilingSettings } from './settings';

export interface ProfilingDeps {
  context: vscode.ExtensionContext;
  panel: ResultPanel;
  hotLines: HotLines;
  /** A line in the output channel (the run's own steps; the command's invoked/completed/failed come from the table). */
  note(detail: string): void;
}

/** Arguments a caller (a test, a keybinding, another extension) may pass instead of answering the prompts. */
export const LoadTestArgs = z
  .object({
    url: z.string().optional(),
    method: z.enum(HTTP_METHODS).optional(),
    connections: z.number().optional(),
    durationS: z.number().optional(),
    requests: z.number().optional(),
    rate: z.number().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
  })
  .strict();

export const ProfileArgs = z
  .object({
    script: z.string().optional(),
    args: z.array(z.string()).optional(),
    attach: z.string().optional(),
    durationS: z.number().optional(),
    /** Load-test this URL while profiling (empty: none). */
    loadUrl: z.string().optional(),
  })
  .strict();

function parseArgs<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success)
    reportFailure(`invalid command arguments: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

const LAST_URL_KEY = 'perfAdvisor.profiling.lastUrl';

export interface LoadTestOutcome {
  result: LoadTestResult;
  savedPath: string;
  view: ResultView;
}

/** Runs one load test with progress and Redis deltas; shared by Load Test Endpoint and Diagnose. */
export async function runLoadTestWithProgress(
  deps: ProfilingDeps,
  settings: ProfilingSettings,
  input: z.infer<typeof LoadTestArgs> & { url: string; targetP99?: number },
): Promise<LoadTestResult> {
  const targets = targetsOf(settings);
  if (input.targetP99 !== undefined) targets.p99 = input.targetP99;
  try {
    return await withCancellableProgress(`load test ${input.url}`, async ({ signal, report }) => {
      const redis = await openWatchedRedis(deps.context, signal);
      try {
        const { result } = await runLoadTest(
          {
            url: input.url,
            method: input.method,
            headers: input.headers,
            body: input.body,
            connections: input.connections ?? settings['loadTest.connections'],
            durationS:
              input.requests === undefined ? (input.durationS ?? settings['loadTest.durationSeconds']) : undefined,
            requests: input.requests,
            rate: input.rate,
            timeoutS: settings['loadTest.timeoutSeconds'],
            targetsMs: targets,
          },
          {
            signal,
            retry: retryOf(settings),
            onProgress: (p) => report(p.message, p.fraction),
            redis:
              redis && 'connection' in redis
                ? { ...redis, hitRatioTarget: settings['diagnose.hitRatioTarget'] }
                : undefined,
          },
        );
        if (redis && 'error' in redis)
          result.redis = emptyRedis(redis.target, settings['diagnose.hitRatioTarget'], redis.error);
        return result;
      } finally {
        if (redis && 'connection' in redis) redis.connection.close();
      }
    });
  } catch (error) {
    if (isCancelled(error)) cancelled('load test');
    if (error instanceof InvalidInputError || error instanceof EndpointUnreachableError) reportFailure(error.message);
    if (error instanceof ReportedError) throw error;
    // anything else still gets a notification (an unexpected error would otherwise be a modal dialog)
    return reportFailure(`load test failed: ${(error as Error).message}`);
  }
}

export async function loadTestCommand(deps: ProfilingDeps, raw: unknown): Promise<LoadTestOutcome | undefined> {
  requireTrust('Load Test Endpoint');
  const args = parseArgs(LoadTestArgs, raw);
  const settings = readProfilingSettings();
  const url =
    args.url ??
    (await vscode.window.showInputBox({
      title: 'Perf Advisor: Load Test Endpoint',
      prompt: 'The URL to load-test (http or https), e.g. http://127.0.0.1:3000/orders',
      value: deps.context.workspaceState.get<string>(LAST_URL_KEY, 'http://127.0.0.1:3000/'),
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = HttpUrl.safeParse(value);
        return parsed.success ? undefined : parsed.error.issues[0]?.message;
      },
    }));
  if (url === undefined) return undefined;
  let rate = args.rate;
  if (raw === undefined) {
    const answer = await vscode.window.showInputBox({
      title: 'Perf Advisor: Load Test Endpoint',
      prompt:
        'Constant rate in requests/s (the current RPS; corrects for coordinated omission). Empty: as fast as possible.',
      ignoreFocusOut: true,
      validateInput: (value) => (value === '' || /^[1-9]\d*$/.test(value) ? undefined : 'an integer, or empty'),
    });
    if (answer === undefined) return undefined;
    rate = answer === '' ? undefined : Number(answer);
  }
  await deps.context.workspaceState.update(LAST_URL_KEY, url);
  const result = await runLoadTestWithProgress(deps, settings, { ...args, url, rate });
  const root = resultsRoot(deps.context);
  const before = previousRun(root, result);
  const savedPath = saveLoadTest(root, result);
  deps.note(`load test result saved to ${savedPath}`);
  const view: ResultView = {
    kind: 'loadTest',
    result,
    comparison: before ? compareRuns(before.value, result) : null,
    previousDistribution: before?.value.distribution ?? null,
    savedPath,
  };
  deps.panel.show(view, `Load test: ${new URL(result.url).pathname}`);
  return { result, savedPath, view };
}

export interface ProfileOutcome {
  result: ProfileResult;
  savedPath: string;
  loadTest: LoadTestResult | null;
}

async function pickScript(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && /\.[cm]?js$/.test(active.uri.fsPath)) return active.uri.fsPath;
  const picked = await vscode.window.showOpenDialog({
    title: 'Perf Advisor: Node entry point to profile',
    canSelectMany: false,
    filters: { JavaScript: ['js', 'mjs', 'cjs'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

export async function profileCommand(
  deps: ProfilingDeps,
  raw: unknown,
  mode: 'script' | 'attach',
): Promise<ProfileOutcome | undefined> {
  requireTrust(mode === 'script' ? 'Profile Script' : 'Attach to Process');
  const args = parseArgs(ProfileArgs, raw);
  const settings = readProfilingSettings();
  let target: ProfileTarget;
  if (mode === 'attach') {
    const text =
      args.attach ??
      (await vscode.window.showInputBox({
        title: 'Perf Advisor: Attach to Process',
        prompt: 'host:port of a Node process started with --inspect (e.g. 127.0.0.1:9229)',
        value: '127.0.0.1:9229',
        ignoreFocusOut: true,
        validateInput: (value) => (parseAttachTarget(value) ? undefined : 'expected host:port, e.g. 127.0.0.1:9229'),
      }));
    if (text === undefined) return undefined;
    const at = parseAttachTarget(text);
    if (!at) return reportFailure(`"${text}" is not host:port`);
    target = { kind: 'attach', ...at };
  } else {
    const script = args.script ?? (await pickScript());
    if (script === undefined) return undefined;
    target = { kind: 'script', script, args: args.args ?? [], cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath };
  }
  const durationS = args.durationS ?? settings['profile.durationSeconds'];
  let loadUrl = args.loadUrl ? args.loadUrl : undefined;
  if (raw === undefined) {
    const answer = await vscode.window.showInputBox({
      title: `Perf Advisor: ${mode === 'script' ? 'Profile Script' : 'Attach to Process'}`,
      prompt: 'Load-test this URL while profiling (empty: profile without load)',
      ignoreFocusOut: true,
      validateInput: (value) =>
        value === '' || HttpUrl.safeParse(value).success ? undefined : 'an http(s) URL, or empty',
    });
    if (answer === undefined) return undefined;
    loadUrl = answer || undefined;
  }
  let run;
  try {
    run = await withCancellableProgress(`profiling for ${durationS} s`, ({ signal, report }) =>
      runProfile(
        {
          target,
          durationS,
          samplingIntervalUs: settings['profile.samplingIntervalMicros'],
          hotFunctions: settings['profile.hotFunctions'],
        },
        {
          signal,
          onProgress: report,
          onOutput: (text) => deps.note(`[profiled process] ${text.trimEnd()}`),
          during: loadUrl
            ? (duringSignal) =>
                runLoadTest(
                  {
                    url: loadUrl,
                    durationS,
                    connections: settings['loadTest.connections'],
                    targetsMs: targetsOf(settings),
                  },
                  { signal: duringSignal, retry: retryOf(settings) },
                )
            : undefined,
        },
      ),
    );
  } catch (error) {
    if (isCancelled(error)) cancelled('profile');
    return reportFailure(`profiling failed: ${(error as Error).message}`);
  }
  const root = resultsRoot(deps.context);
  const key = target.kind === 'script' ? target.script : `${target.host}-${target.port}`;
  const result = run.result;
  const profilePath = saveResult(root, 'profile', key, result.startedAt, run.profile, 'cpuprofile');
  result.profilePath = profilePath;
  const savedPath = saveResult(root, 'profile', key, result.startedAt, result);
  deps.note(`CPU profile saved to ${profilePath}`);
  deps.hotLines.set(result.hotFunctions, profilePath);
  deps.panel.show({ kind: 'profile', result, savedPath }, `Profile: ${basename(result.target)}`);
  const loadTest = (run.duringResult as { result: LoadTestResult } | undefined)?.result ?? null;
  if (loadTest) writeFileSync(savedPath.replace(/\.json$/, '.loadtest.json'), JSON.stringify(loadTest, null, 2));
  return { result, savedPath, loadTest };
}
