// The CPU profiler on real Node processes: a hot function of compiled TypeScript is first, at its .ts line through the source map; attach works.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { functionTimes, type CpuProfile } from '../../measure/profile/cpuProfile';
import { parseAttachTarget, runProfile } from '../../measure/profile/profile';
import { CancelledError } from '../../measure/retry';

const HOT_SOURCE = `// A script with one hot function.
interface Options {
  rounds: number;
}

function coldSetup(): number[] {
  return Array.from({ length: 100 }, (_, i) => i);
}

export function hotSpin(options: Options): number {
  let acc = 0;
  for (let i = 0; i < options.rounds; i++) {
    acc = (acc * 31 + i) % 1_000_003;
  }
  return acc;
}

const data = coldSetup();
const until = Date.now() + Number(process.argv[2] ?? 1500);
let result = 0;
while (Date.now() < until) result += hotSpin({ rounds: 200_000 }) + data.length;
console.log('done', result > 0);
`;
/** 1-based lines of the declaration and of the loop body in HOT_SOURCE. */
const HOT_LINE = HOT_SOURCE.split('\n').findIndex((l) => l.startsWith('export function hotSpin')) + 1;
const HOT_BODY_LINE = HOT_SOURCE.split('\n').findIndex((l) => l.includes('acc = (acc * 31')) + 1;

let dir: string;
let compiled: string;
before(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'pa-profile-')));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'hot.ts'), HOT_SOURCE);
  const program = ts.createProgram([join(dir, 'src', 'hot.ts')], {
    outDir: join(dir, 'out'),
    rootDir: join(dir, 'src'),
    sourceMap: true,
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2020,
    strict: true,
    types: [],
  });
  const emitted = program.emit();
  assert.equal(emitted.emitSkipped, false);
  compiled = join(dir, 'out', 'hot.js');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('profiling a script', () => {
  it('puts the function the test made hot first, with its TypeScript file and line (source map)', async () => {
    const output: string[] = [];
    const { result, profile } = await runProfile(
      { target: { kind: 'script', script: compiled, args: ['1500'] }, durationS: 20 },
      { onOutput: (t) => output.push(t) },
    );
    assert.equal(result.stoppedBy, 'exit', 'the script ended before the 20 s');
    assert.match(output.join(''), /done true/);
    const [first] = result.hotFunctions;
    assert.equal(first.name, 'hotSpin');
    assert.equal(first.file, join(dir, 'src', 'hot.ts'));
    assert.equal(first.line, HOT_LINE);
    assert.equal(first.hotLine, HOT_BODY_LINE);
    assert.equal(first.mapped, true);
    assert.equal(first.generated.file, compiled);
    assert.notEqual(first.generated.line, HOT_LINE, 'the compiled line differs: the map did the work');
    assert.ok(first.selfPercent > 50, `${first.selfPercent} %`);
    assert.ok(first.totalMs >= first.selfMs);
    assert.ok(result.samples > 100 && profile.nodes.length > 3);
    assert.ok(result.durationMs >= 1400);
  });

  it('stops after the duration and cancels on request', async () => {
    const { result } = await runProfile({
      target: { kind: 'script', script: compiled, args: ['60000'] },
      durationS: 1,
    });
    assert.equal(result.stoppedBy, 'duration');
    assert.ok(result.durationMs < 5_000);
    const controller = new AbortController();
    await assert.rejects(
      runProfile(
        { target: { kind: 'script', script: compiled, args: ['60000'] }, durationS: 60 },
        { signal: controller.signal, onProgress: (_m, fraction) => fraction !== null && controller.abort() },
      ),
      CancelledError,
    );
  });

  it('says why when the script cannot start', async () => {
    await assert.rejects(
      runProfile({ target: { kind: 'script', script: join(dir, 'missing.js') }, durationS: 1 }),
      /cannot profile ".*missing\.js": no such file/,
    );
  });
});

describe('attaching to --inspect host:port', () => {
  let child: ChildProcess;
  let port = 0;
  before(async () => {
    const script = join(dir, 'service.js');
    writeFileSync(
      script,
      `function busyHandler() { let x = 0; for (let i = 0; i < 3e6; i++) x += i % 7; return x; }
setInterval(busyHandler, 0); // called by a timer: no caller of ours can inline it\n`,
    );
    child = spawn(process.execPath, ['--inspect=127.0.0.1:0', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', () => reject(new Error(`exited: ${text}`)));
    });
  });
  after(() => {
    child.kill();
  });

  it('profiles the running process for the duration and leaves it running', async () => {
    const target = parseAttachTarget(`127.0.0.1:${port}`);
    assert.deepEqual(target, { host: '127.0.0.1', port });
    const { result } = await runProfile({ target: { kind: 'attach', ...target! }, durationS: 2 });
    assert.equal(result.hotFunctions[0].name, 'busyHandler');
    assert.equal(result.hotFunctions[0].line, 1);
    assert.equal(result.hotFunctions[0].mapped, false);
    assert.equal(child.exitCode, null, 'still running');
  });

  it('parses host:port forms and rejects others', () => {
    assert.deepEqual(parseAttachTarget('[::1]:9229'), { host: '::1', port: 9229 });
    assert.deepEqual(parseAttachTarget('localhost:9229'), { host: 'localhost', port: 9229 });
    for (const bad of ['9229', 'host:', 'host:70000', 'a b:1', 'http://x:1'])
      assert.equal(parseAttachTarget(bad), undefined, bad);
  });
});

describe('self and total time', () => {
  it('counts a recursive function once per sample in total time', () => {
    const frame = (name: string, line: number) => ({
      functionName: name,
      scriptId: '1',
      url: 'file:///x.js',
      lineNumber: line,
      columnNumber: 0,
    });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { ...frame('(root)', -1), url: '' }, children: [2, 4] },
        { id: 2, callFrame: frame('walk', 3), children: [3] },
        { id: 3, callFrame: frame('walk', 3), children: [5] },
        { id: 4, callFrame: { ...frame('(idle)', -1), url: '' } },
        { id: 5, callFrame: frame('leaf', 9) },
      ],
      startTime: 0,
      endTime: 4_000,
      samples: [3, 5, 2, 4],
      timeDeltas: [0, 1_000, 1_000, 1_000],
    };
    const times = functionTimes(profile);
    const walk = times.functions.find((f) => f.name === 'walk')!;
    const leaf = times.functions.find((f) => f.name === 'leaf')!;
    assert.equal(walk.selfMs, 2);
    assert.equal(walk.totalMs, 3, 'recursion is not counted twice');
    assert.equal(leaf.selfMs, 1);
    assert.equal(times.busyMs, 3, 'idle is not busy');
    assert.equal(times.durationMs, 4);
    assert.ok(!times.functions.some((f) => f.name === '(root)' || f.name === '(idle)'));
  });
});
