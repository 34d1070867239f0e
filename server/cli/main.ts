// Entry point of the `perf-advisor` bin (bundled to dist/cli.js): runs the CLI and sets the exit code; no stack traces for users.
import { runMeasureCommand } from './measure';
import { isMeasureCommand } from './measureArgs';
import { runCli } from './run';
import { isScanHelperThread, startScanHelper } from '../scan/helper';

function internalError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `perf-advisor: internal error: ${message}\n(set PERF_ADVISOR_DEBUG=1 for details, and please report it)\n`,
  );
  if (process.env.PERF_ADVISOR_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}

/** The command line; `check --jobs N` starts helper threads from this same bundle, which take the other branch. */
function main(): void {
  process.on('uncaughtException', (error) => {
    internalError(error);
    process.exit(1);
  });
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); // reader went away (`| head`): not our failure
    internalError(error);
  });

  const argv = process.argv.slice(2);
  const io = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };

  if (isMeasureCommand(argv[0])) {
    // the measuring commands talk to live services: asynchronous, and Ctrl+C stops the run instead of killing it
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    runMeasureCommand(argv[0], argv.slice(1), { ...io, signal: abort.signal }).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => internalError(error),
    );
  } else {
    runCli(argv, io).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => internalError(error),
    );
  }
}

if (isScanHelperThread()) startScanHelper();
else main();
