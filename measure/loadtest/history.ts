// Load-test results in `.perf-advisor/loadtest/`: saving a run and finding the previous run of the same endpoint.
import { listResults, saveResult } from '../results';
import { LoadTestResult } from './result';

export function saveLoadTest(root: string, result: LoadTestResult): string {
  return saveResult(root, 'loadtest', `${result.method}-${result.url}`, result.startedAt, result);
}

/** The newest complete run of the same method and URL before `startedAt` (cancelled runs are no baseline). */
export function previousRun(root: string, result: LoadTestResult): { path: string; value: LoadTestResult } | undefined {
  return listResults(
    root,
    'loadtest',
    LoadTestResult,
    (run) =>
      run.url === result.url && run.method === result.method && !run.cancelled && run.startedAt < result.startedAt,
  )[0];
}
