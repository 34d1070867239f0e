// Applies the n-plus-one suggestion whose title starts with `prefix` to every finding, one at a time, until the rule is
// silent: the code the batch tests compile and run. `files` are other project files the analysis sees (callers that
// give the loops' collections an origin: `routeCallers(code)`); they are not rewritten.
import assert from 'node:assert/strict';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';

const FILE = '/project/src/case.ts';

export function batchedByRule(code: string, prefix = 'Batch', files: Record<string, string> = {}): string {
  let output = code;
  for (;;) {
    const { session, findings } = analyseCaseInSession({ code: output, files }, 'n-plus-one');
    if (findings.length === 0) break;
    const fix = findings[0]!.fixes.find((f) => f.title.startsWith(prefix));
    assert.ok(fix, `a "${prefix}" fix is offered for: ${findings[0]!.message}\n${output}`);
    output = applyFix(output, editsOf(session, FILE, fix), FILE);
  }
  assert.notEqual(output, code, 'something was rewritten');
  return output;
}
