// A RuleTester-style table runner: valid snippets must not report, invalid ones must report exactly what they list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { AnalysisSession } from '../../server/engine/session';
import { Config, type ConfigInput } from '../../rules/analysis/config';
import type { Finding, FixProposal } from '../../server/engine/types';

export interface TestCase {
  /** Shown as the test name; defaults to the first line of code. */
  name?: string;
  code: string;
  /** The file the code lives in (default /project/src/case.ts). */
  filename?: string;
  /** Other project files by path, for cross-file cases. */
  files?: Record<string, string>;
  config?: ConfigInput;
}

export interface ExpectedError {
  messageId: string;
  /** 1-based line and column of the reported node's start. */
  line: number;
  column?: number;
  severity?: Finding['severity'];
  /** Substrings the message must contain. */
  messageIncludes?: string[];
  /** Expected text after applying each fix/suggestion, in order. */
  fixes?: { title?: string; output: string }[];
}

export interface InvalidCase extends TestCase {
  errors: ExpectedError[];
}

const DEFAULT_FILE = '/project/src/case.ts';

export function analyseCase(testCase: TestCase, ruleId: string): Finding[] {
  const config = Config.parse(testCase.config ?? {});
  const session = new AnalysisSession(config);
  const filename = testCase.filename ?? DEFAULT_FILE;
  for (const [path, text] of Object.entries(testCase.files ?? {})) session.upsertFile(path, text);
  session.upsertFile(filename, testCase.code);
  const result = session.analyzeFile(filename);
  assert.deepEqual(result.errors, [], `analysis threw: ${JSON.stringify(result.errors)}`);
  return result.findings.filter((f) => f.ruleId === ruleId);
}

/** Applies a fix's edits to `filename` (offsets into the original text) from last to first. */
export function applyFix(text: string, fix: FixProposal, filename: string): string {
  const edits = fix.edits
    .filter((e) => e.file === filename && !e.createFile)
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** Fixed code must at least parse; rules with generated code also type-check it in their own tests. */
export function assertParses(text: string, filename: string): void {
  const source = ts.createSourceFile(filename, text, ts.ScriptTarget.Latest, true);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.equal(
    diagnostics.length,
    0,
    `fixed code does not parse: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}\n${text}`,
  );
}

function title(testCase: TestCase): string {
  return (
    testCase.name ??
    testCase.code
      .trim()
      .split('\n')
      .find((line) => line.trim() && !line.trim().startsWith('import'))
      ?.trim()
      .slice(0, 80) ??
    'case'
  );
}

export function runRuleTests(ruleId: string, cases: { valid: TestCase[]; invalid: InvalidCase[] }): void {
  const seen = new Set<string>();
  const checkUnique = (testCase: TestCase) => {
    const key = JSON.stringify([testCase.code, testCase.files, testCase.filename, testCase.config]);
    assert.ok(!seen.has(key), `duplicate test case: ${title(testCase)}`);
    seen.add(key);
  };
  describe(ruleId, () => {
    describe('valid', () => {
      for (const testCase of cases.valid) {
        it(title(testCase), () => {
          checkUnique(testCase);
          const findings = analyseCase(testCase, ruleId);
          assert.deepEqual(
            findings.map((f) => `${f.span.range.start.line + 1}: ${f.message}`),
            [],
            'expected no report',
          );
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of cases.invalid) {
        it(title(testCase), () => {
          checkUnique(testCase);
          assert.ok(testCase.errors.length > 0, 'an invalid case must list at least one expected report');
          const findings = analyseCase(testCase, ruleId);
          const actual = findings.map((f) => ({
            messageId: f.messageId,
            line: f.span.range.start.line + 1,
            column: f.span.range.start.character + 1,
          }));
          const expected = testCase.errors.map((e) => ({
            messageId: e.messageId,
            line: e.line,
            column: e.column ?? actual.find((a) => a.line === e.line)?.column ?? 0,
          }));
          assert.deepEqual(
            actual,
            expected,
            `reports differ:\n${findings.map((f) => `${f.span.range.start.line + 1}: ${f.message}`).join('\n')}`,
          );
          testCase.errors.forEach((error, index) => {
            const finding = findings[index]!;
            if (error.severity) assert.equal(finding.severity, error.severity);
            for (const part of error.messageIncludes ?? [])
              assert.ok(finding.message.includes(part), `message lacks "${part}": ${finding.message}`);
            assert.ok(!/\{\{\w+\}\}/.test(finding.message), `unfilled placeholder in: ${finding.message}`);
            if (error.fixes) {
              assert.equal(finding.fixes.length, error.fixes.length, 'number of fixes');
              error.fixes.forEach((expectedFix, i) => {
                const fix = finding.fixes[i]!;
                if (expectedFix.title) assert.equal(fix.title, expectedFix.title);
                const filename = testCase.filename ?? DEFAULT_FILE;
                const output = applyFix(testCase.code, fix, filename);
                assert.equal(output, expectedFix.output);
                assertParses(output, filename);
                for (const created of fix.edits.filter((e) => e.createFile))
                  assertParses(created.newText, created.file);
                // The fixed code must not report the same problem at the same place again.
                const again = analyseCase({ ...testCase, code: output }, ruleId).filter(
                  (f) => f.messageId === finding.messageId && f.message === finding.message,
                );
                assert.equal(again.length, 0, `fix "${fix.title}" leaves the problem in place`);
              });
            }
          });
        });
      }
    });
  });
}
