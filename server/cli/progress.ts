// Progress on stderr ("analysing 120/4000 files") for long scans, only when stderr is a TTY; throttled and erased at the end.
export interface ProgressLine {
  update(done: number, total: number): void;
  clear(): void;
}

const silent: ProgressLine = { update() {}, clear() {} };
/** Progress starts to show after this long, so quick runs print nothing. */
const SHOW_AFTER_MS = 300;
const REDRAW_EVERY_MS = 100;

export function createProgressLine(
  stream: NodeJS.WriteStream,
  enabled: boolean,
  now: () => number = Date.now,
): ProgressLine {
  if (!enabled || !stream.isTTY) return silent;
  const startedAt = now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done, total) {
      const time = now();
      if (time - startedAt < SHOW_AFTER_MS || time - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = time;
      drawn = true;
      stream.write(`\r\u001b[Kperf-advisor: analysing ${done}/${total} files`);
    },
    clear() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}
