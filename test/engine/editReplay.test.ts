// Replays seeded random edit sequences on real-looking files and checks the session's incremental findings equal a from-scratch analysis after every edit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisSession, analyzeFiles, type AnalysisResult, type TextChange } from '../../server/engine';
import { mergeChange } from '../../server/worker/protocol';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'src');

/** A small deterministic generator, so a failure replays. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

function sourcesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.[cm]?[jt]s$/.test(name))
        out.set(`/project/src/${relative(EXAMPLES, path)}`, readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** What typing does: whitespace, a letter in a name, a deleted span, a pasted line, a new N+1 loop, a removed brace. */
const SNIPPETS = [
  ' ',
  '\n',
  'x',
  '  for (const item of items) { await prisma.user.findUnique({ where: { id: item.id } }); }\n',
  'await pool.query("SELECT * FROM orders");\n',
  '// perf-advisor-disable-next-line\n',
  '}',
  '{',
  'const cache = new Map();\n',
];

interface Edit {
  start: number;
  end: number;
  insert: string;
}

function randomEdit(text: string, next: (n: number) => number): Edit {
  const start = next(text.length + 1);
  switch (next(4)) {
    case 0: // a deletion of up to 20 characters
      return { start, end: Math.min(text.length, start + 1 + next(20)), insert: '' };
    case 1: {
      // a line pasted elsewhere
      const from = text.lastIndexOf('\n', next(text.length)) + 1;
      const to = text.indexOf('\n', from);
      return { start, end: start, insert: text.slice(from, to === -1 ? text.length : to + 1) };
    }
    default:
      return { start, end: start, insert: SNIPPETS[next(SNIPPETS.length)]! };
  }
}

/** Findings, skipped files and errors in a stable order (each file's findings are already in source order). */
function canonical(result: AnalysisResult): string {
  const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
  const findings = [...result.findings].sort(
    (a, b) => a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId),
  );
  return JSON.stringify({
    findings,
    unused: result.unusedDirectives,
    skipped: [...result.skipped].sort(byPath),
    errors: [...result.errors].sort(byPath),
  });
}

/**
 * Applies `edits` random edits to the files, one at a time, through the session (alternately with the editor's change
 * span, a merged span of two edits, and none), and compares with a fresh analysis of the same texts after each.
 */
function replay(files: Map<string, string>, seed: number, edits: number, paths = [...files.keys()]): number {
  const next = random(seed);
  const session = new AnalysisSession();
  for (const [path, text] of files) session.upsertFile(path, text);
  session.analyzeAll();
  let compared = 0;
  for (let k = 0; k < edits; k++) {
    const path = paths[next(paths.length)]!;
    const before = files.get(path)!;
    const first = randomEdit(before, next);
    let text = before.slice(0, first.start) + first.insert + before.slice(first.end);
    let change: TextChange | undefined = mergeChange(undefined, first.start, first.end, first.insert.length);
    const mode = next(3);
    if (mode === 1) {
      // Two edits sent as one text, with the span that covers both.
      const second = randomEdit(text, next);
      text = text.slice(0, second.start) + second.insert + text.slice(second.end);
      change = mergeChange(change, second.start, second.end, second.insert.length);
    } else if (mode === 2) change = undefined;
    files.set(path, text);
    session.upsertFile(path, text, change);
    // The edited file first (as an editor pulls it), then every file.
    session.analyzeFile(path);
    const incremental = canonical(session.analyzeAll());
    const fresh = canonical(analyzeFiles([...files].map(([p, t]) => ({ path: p, text: t }))));
    assert.equal(incremental, fresh, `edit ${k} (seed ${seed}) on ${path} differs from a fresh analysis`);
    compared++;
  }
  return compared;
}

describe('random edit replay', () => {
  it('merges consecutive edits into one span that turns the first text into the last', () => {
    const next = random(11);
    for (let trial = 0; trial < 500; trial++) {
      const base = 'abcdefghij'.repeat(1 + next(5));
      let text = base;
      let change: TextChange | undefined;
      for (let k = 0; k < 1 + next(5); k++) {
        const start = next(text.length + 1);
        const end = start + next(text.length - start + 1);
        const insert = 'XYZ'.slice(0, next(4));
        text = text.slice(0, start) + insert + text.slice(end);
        change = mergeChange(change, start, end, insert.length);
      }
      const { start, length, newLength } = change!;
      assert.equal(base.slice(0, start) + text.slice(start, start + newLength) + base.slice(start + length), text);
    }
  });

  it('the example service: incremental findings equal a fresh analysis after every edit', () => {
    const files = sourcesUnder(EXAMPLES);
    assert.ok(files.size > 10);
    const baseline = analyzeFiles([...files].map(([path, text]) => ({ path, text })));
    assert.ok(baseline.findings.length > 5, 'the examples report findings, so the comparison means something');
    assert.equal(replay(files, 1, 25) + replay(new Map(sourcesUnder(EXAMPLES)), 2, 25), 50);
  });

  it('a large generated file (the example services concatenated, names made unique): equal after every edit', () => {
    const examples = sourcesUnder(EXAMPLES);
    const parts: string[] = [];
    for (let copy = 0; copy < 4; copy++) {
      for (const [path, text] of examples) {
        if (!/services|routes|repositories/.test(path)) continue;
        // Imports stay at the top (once); every declared name gets the copy's suffix so copies do not collide.
        parts.push(
          text
            .split('\n')
            .filter((line) => !/^\s*import\b/.test(line))
            .join('\n')
            .replace(/\b(export\s+)?(async\s+)?(function|class|const|let)\s+([A-Za-z_$][\w$]*)/g, `$1$2$3 $4_${copy}`),
        );
      }
    }
    const imports = [...examples.values()]
      .flatMap((text) => text.split('\n').filter((line) => /^\s*import\b.*from '[^.]/.test(line)))
      .filter((line, i, all) => all.indexOf(line) === i);
    const large = `${imports.join('\n')}\n${parts.join('\n')}`;
    const files = new Map(examples);
    files.set('/project/src/large.ts', large);
    assert.ok(large.length > 40_000);
    assert.equal(replay(files, 3, 12, ['/project/src/large.ts']), 12);
  });
});
