// The progress line: only on a TTY, only after a short delay, throttled, and erased at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgressLine } from '../../server/cli/progress';

/** A stand-in for process.stderr that records writes; `isTTY` as given. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

test('draws done/total on a TTY after 300 ms, at most every 100 ms, and erases itself', () => {
  let now = 0;
  const target = stream(true);
  const line = createProgressLine(target.stream, true, () => now);
  line.update(1, 400);
  now = 299;
  line.update(2, 400);
  assert.deepEqual(target.writes, [], 'quick scans print nothing');
  now = 300;
  line.update(3, 400);
  now = 350;
  line.update(4, 400);
  now = 401;
  line.update(5, 400);
  assert.deepEqual(target.writes, [
    '\r\u001b[Kperf-advisor: analysing 3/400 files',
    '\r\u001b[Kperf-advisor: analysing 5/400 files',
  ]);
  line.clear();
  assert.equal(target.writes.at(-1), '\r\u001b[K');
});

test('writes nothing to a pipe, or when disabled by --quiet', () => {
  let now = 0;
  for (const [isTTY, enabled] of [
    [false, true],
    [true, false],
  ] as const) {
    const target = stream(isTTY);
    const line = createProgressLine(target.stream, enabled, () => now);
    now += 1000;
    line.update(1, 2);
    line.clear();
    assert.deepEqual(target.writes, []);
  }
});
