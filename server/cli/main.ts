// Entry point of the `perf-advisor` bin (bundled to dist/cli.js): runs the CLI and sets the exit code; no stack traces for users.
import { runCli } from './run';

function internalError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `perf-advisor: internal error: ${message}\n(set PERF_ADVISOR_DEBUG=1 for details, and please report it)\n`,
  );
  if (process.env.PERF_ADVISOR_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}

process.on('uncaughtException', (error) => {
  internalError(error);
  process.exit(1);
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0); // reader went away (`| head`): not our failure
  internalError(error);
});

try {
  process.exitCode = runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (error) {
  internalError(error);
}
