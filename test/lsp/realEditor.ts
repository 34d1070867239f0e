// Helpers for the tests that drive a real editor headless: its version, the docs/editors.md block a user copies, a bounded run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVER_SCRIPT } from './harness';

const EDITORS_DOC = resolve(__dirname, '../../docs/editors.md');
/** Upper bound for a whole editor session; a hung editor is killed and the test fails. */
const SESSION_TIMEOUT_MS = 90_000;

/** The command's output (stdout) when it runs, undefined when it is not installed. */
export function probe(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return result.error || result.status !== 0 ? undefined : result.stdout;
}

/**
 * The first ```<language> block after the heading, with the server path of this checkout: exactly what a user copies.
 */
export function documentedBlock(heading: string, language: string): string {
  const doc = readFileSync(EDITORS_DOC, 'utf8');
  const at = doc.indexOf(`\n${heading}\n`);
  assert.ok(at >= 0, `docs/editors.md has no "${heading}" section`);
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc.slice(at));
  assert.ok(block, `no ${language} block under "${heading}"`);
  const text = block[1]!.replaceAll('/path/to/perf-advisor/dist/server.js', SERVER_SCRIPT);
  assert.ok(text.includes(SERVER_SCRIPT), `the block under "${heading}" names the server path`);
  return text;
}

/** Runs the editor to its end (it writes what it saw to a file); rejects when it outlives the session bound. */
export function runEditor(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish within ${SESSION_TIMEOUT_MS} ms; output: ${output.slice(-2000)}`));
    }, SESSION_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}
