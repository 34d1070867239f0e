// Profiles a Node process: runs an entry point under the inspector (or attaches to --inspect host:port), CPU profile, hot functions in source.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CancelledError } from '../retry';
import { CdpSession, discoverTarget } from './cdp';
import { CpuProfile, functionTimes } from './cpuProfile';
import type { HotFunction, ProfileResult } from './model';
import { SourceMapper } from './sourceMaps';

/** `host:port` of a process started with --inspect; IPv6 in brackets ([::1]:9229). */
export function parseAttachTarget(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2], port };
}

export const ProfileTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('script'),
    script: z.string().min(1, 'the script path is empty'),
    args: z.array(z.string()).default([]),
    cwd: z.string().optional(),
  }),
  z.object({
    kind: z.literal('attach'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535),
  }),
]);
export type ProfileTarget = z.infer<typeof ProfileTarget>;

export const ProfileInput = z.object({
  target: ProfileTarget,
  durationS: z.number().int('duration must be an integer').min(1).max(3_600).default(10),
  samplingIntervalUs: z.number().int().min(50).max(100_000).default(1_000),
  hotFunctions: z.number().int().min(1).max(200).default(15),
});
export type ProfileInputRaw = z.input<typeof ProfileInput>;

export { HotFunction, ProfileResult } from './model';

export interface ProfileOptions {
  signal?: AbortSignal;
  onProgress?: (message: string, fraction: number | null) => void;
  /** Output of a launched script (stdout and stderr), for the caller to show. */
  onOutput?: (text: string) => void;
  /** Work to run while the profiler records (a load test); awaited before the result is returned. */
  during?: (signal: AbortSignal) => Promise<unknown>;
}

export interface ProfileRun {
  result: ProfileResult;
  profile: CpuProfile;
  duringResult: unknown;
}

const ms = (value: number) => Math.round(value * 10) / 10;

/** Turns a profile into the result: the hottest functions by self time, mapped to source. */
export function summarizeProfile(
  profile: CpuProfile,
  options: { target: string; hotFunctions: number; stoppedBy: 'duration' | 'exit'; startedAt: string },
): ProfileResult {
  const times = functionTimes(profile);
  const mapper = new SourceMapper();
  const total = times.durationMs > 0 ? times.durationMs : 1;
  const hotFunctions = times.functions
    .filter((f) => f.selfMs > 0)
    .slice(0, options.hotFunctions)
    .map((f): HotFunction => {
      const at = mapper.map(f.url, f.lineNumber + 1, f.columnNumber);
      const hotLine = f.hotLine === null ? null : mapper.map(f.url, f.hotLine, 0, true);
      return {
        name: f.name,
        file: at.file,
        line: at.line,
        column: at.column,
        selfMs: ms(f.selfMs),
        totalMs: ms(f.totalMs),
        selfPercent: ms((f.selfMs / total) * 100),
        totalPercent: ms((f.totalMs / total) * 100),
        hotLine: hotLine && hotLine.file === at.file ? hotLine.line : null,
        mapped: at.mapped,
        generated: {
          file: at.mapped ? (f.url.startsWith('file://') ? new URL(f.url).pathname : f.url) : at.file,
          line: f.lineNumber + 1,
        },
      };
    });
  return {
    target: options.target,
    durationMs: ms(times.durationMs),
    samples: times.samples,
    busyMs: ms(times.busyMs),
    hotFunctions,
    stoppedBy: options.stoppedBy,
    startedAt: options.startedAt,
    profilePath: null,
  };
}

/** Resolves after `ms`, when `signal` aborts, or when `other` settles: which one, in words. */
function race(
  ms: number,
  signal: AbortSignal | undefined,
  other: Promise<unknown>,
): Promise<'duration' | 'cancel' | 'exit'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('duration'), ms);
    const onAbort = () => done('cancel');
    signal?.addEventListener('abort', onAbort, { once: true });
    other.then(
      () => done('exit'),
      () => done('exit'),
    );
    function done(why: 'duration' | 'cancel' | 'exit') {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(why);
    }
  });
}

/** Starts `node --inspect-brk=127.0.0.1:0 script`; resolves with the debugger URL once the inspector listens. */
function launch(
  target: Extract<ProfileTarget, { kind: 'script' }>,
  onOutput?: (text: string) => void,
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const script = resolve(target.cwd ?? '.', target.script);
  if (!existsSync(script)) return Promise.reject(new Error(`cannot profile "${target.script}": no such file`));
  const child = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', script, ...target.args], {
    cwd: target.cwd,
    // in VS Code the extension host's binary is Electron's: make it behave as Node
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderrTail = '';
  return new Promise((resolvePromise, reject) => {
    let found = false;
    child.stdout?.on('data', (chunk: Buffer) => onOutput?.(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderrTail = (stderrTail + text).slice(-4_000);
      const match = /Debugger listening on (ws:\/\/\S+)/.exec(stderrTail);
      if (match && !found) {
        found = true;
        resolvePromise({ child, url: match[1], exited });
      }
      if (!/Debugger listening|For help, see|Debugger attached|Waiting for the debugger/.test(text)) onOutput?.(text);
    });
    child.once('error', (error) => reject(new Error(`could not start node: ${error.message}`)));
    void exited.then((code) => {
      if (!found)
        reject(new Error(`the script exited (code ${code}) before the inspector started: ${stderrTail.trim()}`));
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** An inspector session on a target: a script launched paused under --inspect-brk, or a process attached to. */
export interface InspectorHandle {
  session: CdpSession;
  label: string;
  /** Resolves when a launched script's code has run to its end (never for an attached process). */
  ended: Promise<unknown>;
  /** Lets a launched script run (it starts paused); a no-op when attached. */
  run(): Promise<void>;
  /** Closes the session; stops a launched script. */
  release(): Promise<void>;
}

export async function openInspector(
  target: ProfileTarget,
  options: { onOutput?: (text: string) => void; onProgress?: (message: string, fraction: number | null) => void } = {},
): Promise<InspectorHandle> {
  if (target.kind === 'attach') {
    const label = `${target.host}:${target.port}`;
    options.onProgress?.(`attaching to ${label}`, null);
    const session = await CdpSession.connect(await discoverTarget(target.host, target.port));
    return {
      session,
      label,
      ended: new Promise(() => {}),
      run: async () => undefined,
      release: async () => session.close(),
    };
  }
  options.onProgress?.(`starting ${target.script} under the inspector`, null);
  const launched = await launch(target, options.onOutput);
  let session: CdpSession;
  try {
    session = await CdpSession.connect(launched.url);
    await session.send('Runtime.enable');
  } catch (error) {
    await stopChild(launched.child, launched.exited);
    throw error;
  }
  // the script's end shows as its context going away (Node then waits for the debugger to disconnect)
  const ended = Promise.race([session.waitFor('Runtime.executionContextDestroyed'), launched.exited]);
  ended.catch(() => undefined);
  return {
    session,
    label: target.script,
    ended,
    run: async () => {
      await session.send('Runtime.runIfWaitingForDebugger');
    },
    release: async () => {
      session.close();
      await stopChild(launched.child, launched.exited);
    },
  };
}

/** Records a CPU profile of the target for the duration (a launched script may end earlier). */
export async function runProfile(raw: ProfileInputRaw, options: ProfileOptions = {}): Promise<ProfileRun> {
  const input = ProfileInput.parse(raw);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new CancelledError();
  const startedAt = new Date().toISOString();
  const inspector = await openInspector(input.target, options);
  const { session, label } = inspector;
  try {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: input.samplingIntervalUs });
    await session.send('Profiler.start');
    if (input.target.kind === 'attach') {
      // Code optimized before the profiler started is attributed to its callers on current V8 (Node 24): switching
      // precise coverage on deoptimizes every function, so the hot ones are compiled again while the profiler
      // records. The service runs slower for a moment; the profile is right.
      await session.send('Profiler.startPreciseCoverage', { callCount: false, detailed: false });
      await session.send('Profiler.stopPreciseCoverage');
    }
    await inspector.run();
    const duringAbort = new AbortController();
    const onAbort = () => duringAbort.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const during = options.during?.(duringAbort.signal);
    const began = Date.now();
    const ticker = setInterval(() => {
      const elapsed = (Date.now() - began) / 1000;
      onProgress?.(
        `profiling ${label}: ${elapsed.toFixed(0)} of ${input.durationS} s`,
        Math.min(1, elapsed / input.durationS),
      );
    }, 500);
    const why = await race(input.durationS * 1000, signal, inspector.ended);
    clearInterval(ticker);
    signal?.removeEventListener('abort', onAbort);
    if (why === 'cancel') {
      void during?.catch(() => undefined); // aborted with the profile; its error is not the user's news
      throw new CancelledError();
    }
    const { profile } = await session.send<{ profile: unknown }>('Profiler.stop');
    await session.send('Profiler.disable').catch(() => undefined);
    const duringResult = during ? await during : undefined;
    const parsed = CpuProfile.parse(profile);
    return {
      profile: parsed,
      duringResult,
      result: summarizeProfile(parsed, {
        target: label,
        hotFunctions: input.hotFunctions,
        stoppedBy: why === 'exit' ? 'exit' : 'duration',
        startedAt,
      }),
    };
  } finally {
    await inspector.release();
  }
}
