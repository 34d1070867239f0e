// A RuleTester-style table runner: valid snippets must not report; invalid ones mark each reported span with a `~~~`
// line under it and must report exactly those spans, with the listed messages, and every fix they offer listed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { AnalysisSession } from '../../server/engine/session';
import { Config, type ConfigInput } from '../../rules/analysis/config';
import type { Finding, FixProposal, TextEdit } from '../../server/engine/types';

export interface TestCase {
  /** Shown as the test name; defaults to the first line of code. */
  name?: string;
  /** The file's text; in invalid cases a line of `~` under a code line marks a reported span (see `parseMarkers`). */
  code: string;
  /** The file the code lives in (default /project/src/case.ts). */
  filename?: string;
  /** Other project files by path, for cross-file cases. */
  files?: Record<string, string>;
  config?: ConfigInput;
}

export interface ExpectedError {
  messageId: string;
  severity?: Finding['severity'];
  /** Substrings the message must contain. */
  messageIncludes?: string[];
  /** Text after applying each fix/suggestion, in order; a finding's fixes must all be listed (none: leave it out). */
  fixes?: {
    title?: string;
    /** The file after the fix; leave it out when the fix is expected to refuse (`error`). */
    output?: string;
    /** 'fix' (keeps behaviour exactly: applied by fix-all on save) or 'suggestion'; checked when given. */
    kind?: FixProposal['kind'];
    /** The fix refuses to build with this message (a write pattern with no write to keep in step, say). */
    error?: RegExp;
    /** Other project files after the fix (a write path it also updates), by path. */
    files?: Record<string, string>;
    /** An explanation-only action: the docs anchor it opens (no edits). */
    explanation?: string;
    /** Files the fix creates (a helper module), by path; when given, exactly these. */
    created?: Record<string, string>;
  }[];
}

export interface InvalidCase extends TestCase {
  /** One per `~~~` marker, in the order of the marked spans. */
  errors: ExpectedError[];
}

/** A marked span: 1-based line and column, and the 1-based column just past its end on that line. */
export interface Marker {
  line: number;
  column: number;
  endColumn: number;
}

const DEFAULT_FILE = '/project/src/case.ts';
const MARKER_LINE = /^(\s*)(~+)\s*$/;

/**
 * Template tag for readable cases: strips the first line break, the indentation common to the literal's lines and the
 * trailing blank line; interpolated values (shared set-up such as `${prisma}`) are inserted as they are, and a value
 * ending in a line break on a line of its own does not leave an empty line after it.
 */
export function dedent(strings: TemplateStringsArray, ...values: unknown[]): string {
  const parts = [...strings];
  const indents = parts
    .flatMap((part) => part.split('\n').slice(1))
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  const strip = (part: string) => part.replace(new RegExp(`\\n {0,${indent}}`, 'g'), '\n');
  let out = '';
  parts.forEach((part, i) => {
    let text = strip(part);
    if (i === 0) text = text.replace(/^\n/, '');
    if (i > 0 && String(values[i - 1]).endsWith('\n')) text = text.replace(/^\n/, '');
    if (i === parts.length - 1) text = text.replace(/\n[ \t]*$/, '');
    out += text;
    if (i < values.length) out += String(values[i]);
  });
  return out;
}

/**
 * Removes marker lines from `code`: a line of only `~` (after indentation) marks the span of the code line above it
 * that its tildes cover. A span that runs past the line's end is marked to the line's end. Several marker lines in a
 * row mark several spans on the same code line.
 */
export function parseMarkers(code: string): { code: string; markers: Marker[] } {
  const kept: string[] = [];
  const markers: Marker[] = [];
  for (const line of code.split('\n')) {
    const match = MARKER_LINE.exec(line);
    if (!match) {
      kept.push(line);
      continue;
    }
    assert.ok(kept.length > 0, 'a marker line needs a code line above it');
    const column = match[1]!.length + 1;
    markers.push({ line: kept.length, column, endColumn: column + match[2]!.length });
  }
  return { code: kept.join('\n'), markers };
}

export function analyseCase(testCase: TestCase, ruleId: string): Finding[] {
  return analyseCaseInSession(testCase, ruleId).findings;
}

/** The findings of `ruleId` and the session that found them (lazy fixes are resolved in it). */
export function analyseCaseInSession(
  testCase: TestCase,
  ruleId: string,
): { session: AnalysisSession; findings: Finding[] } {
  const config = Config.parse(testCase.config ?? {});
  const session = new AnalysisSession(config);
  const filename = testCase.filename ?? DEFAULT_FILE;
  for (const [path, text] of Object.entries(testCase.files ?? {})) session.upsertFile(path, text);
  session.upsertFile(filename, testCase.code);
  const result = session.analyzeFile(filename);
  assert.deepEqual(result.errors, [], `analysis threw: ${JSON.stringify(result.errors)}`);
  return { session, findings: result.findings.filter((f) => f.ruleId === ruleId) };
}

/** A fix's edits: built now for a lazy fix, as listed otherwise. */
export function editsOf(session: AnalysisSession, filename: string, fix: FixProposal): TextEdit[] {
  return fix.lazy ? session.resolveFix(filename, fix.lazy) : fix.edits;
}

/** Applies a fix's edits to `filename` (offsets into the original text) from last to first. */
export function applyFix(text: string, fix: FixProposal | TextEdit[], filename: string): string {
  const edits = (Array.isArray(fix) ? fix : fix.edits)
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

/** The span a finding covers on its first line, as a marker would mark it. */
function markedSpan(finding: Finding, code: string): Marker {
  const { start, end } = finding.span.range;
  const lineLength = code.split('\n')[start.line]!.length;
  return {
    line: start.line + 1,
    column: start.character + 1,
    endColumn: (end.line === start.line ? end.character : lineLength) + 1,
  };
}

function title(testCase: TestCase): string {
  return (
    testCase.name ??
    testCase.code
      .split('\n')
      .find((line) => line.trim() && !line.trim().startsWith('import') && !MARKER_LINE.test(line))
      ?.trim()
      .slice(0, 80) ??
    'case'
  );
}

export function runInvalid(ruleId: string, testCase: InvalidCase): void {
  assert.ok(testCase.errors.length > 0, 'an invalid case must list at least one expected report');
  const { code, markers } = parseMarkers(testCase.code);
  assert.equal(markers.length, testCase.errors.length, 'one `~~~` marker per expected error');
  const { session, findings } = analyseCaseInSession({ ...testCase, code }, ruleId);
  const describeAll = () => findings.map((f) => `${f.span.range.start.line + 1}: ${f.message}`).join('\n');
  assert.deepEqual(
    findings.map((f) => ({ messageId: f.messageId, ...markedSpan(f, code) })),
    testCase.errors.map((e, i) => ({ messageId: e.messageId, ...markers[i]! })),
    `reports differ:\n${describeAll()}`,
  );
  testCase.errors.forEach((error, index) => {
    const finding = findings[index]!;
    if (error.severity) assert.equal(finding.severity, error.severity);
    for (const part of error.messageIncludes ?? [])
      assert.ok(finding.message.includes(part), `message lacks "${part}": ${finding.message}`);
    assert.ok(!/\{\{\w+\}\}/.test(finding.message), `unfilled placeholder in: ${finding.message}`);
    const expectedFixes = error.fixes ?? [];
    assert.deepEqual(
      finding.fixes.map((f) => f.title),
      expectedFixes.map((f, i) => f.title ?? finding.fixes[i]?.title),
      'every fix the finding offers is listed, in order',
    );
    expectedFixes.forEach((expectedFix, i) => {
      const fix = finding.fixes[i]!;
      const filename = testCase.filename ?? DEFAULT_FILE;
      if (expectedFix.kind) assert.equal(fix.kind, expectedFix.kind, `kind of "${fix.title}"`);
      assert.equal(fix.explanation, expectedFix.explanation, `explanation of "${fix.title}"`);
      if (fix.explanation !== undefined) {
        assert.deepEqual([fix.edits, fix.lazy], [[], undefined], 'an explanation-only action edits nothing');
        return;
      }
      if (expectedFix.error) {
        assert.throws(() => editsOf(session, filename, fix), expectedFix.error);
        return;
      }
      assert.ok(expectedFix.output !== undefined, 'a fix lists its output or the error it refuses with');
      const edits = editsOf(session, filename, fix);
      const output = applyFix(code, edits, filename);
      assert.equal(output, expectedFix.output);
      assertParses(output, filename);
      const files = { ...testCase.files };
      for (const [path, text] of Object.entries(testCase.files ?? {})) {
        if (!edits.some((e) => e.file === path)) continue;
        files[path] = applyFix(text, edits, path);
        assert.equal(files[path], expectedFix.files?.[path], `${path} after the fix`);
      }
      const created = edits.filter((e) => e.createFile);
      for (const file of created) {
        assertParses(file.newText, file.file);
        files[file.file] = file.newText;
      }
      if (expectedFix.created)
        assert.deepEqual(Object.fromEntries(created.map((e) => [e.file, e.newText])), expectedFix.created);
      // The fixed code must not report the same problem at the same place again.
      const again = analyseCase({ ...testCase, files, code: output }, ruleId).filter(
        (f) => f.messageId === finding.messageId && f.message === finding.message,
      );
      assert.equal(again.length, 0, `fix "${fix.title}" leaves the problem in place`);
    });
  });
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
          assert.deepEqual(parseMarkers(testCase.code).markers, [], 'a valid case marks no span');
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
          runInvalid(ruleId, testCase);
        });
      }
    });
  });
}
