// "Fix all" over examples/: every finding's first fix is applied (per file, repeated until nothing more applies), the
// service still compiles under its strict tsconfig against the real typings, and only findings with no safe rewrite
// remain.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { AnalysisSession, defaultConfig, type TextEdit } from '../../server/engine';
import { examplesRoot } from './expected';

const repoRoot = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.ts$/.test(name) ? [full] : [];
  });
}

/** Compiles the copy with examples/tsconfig.json's options; `@prisma/client` resolves to the client generated here. */
function compile(dir: string): string[] {
  const config = ts.readConfigFile(join(dir, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, {
    ...parsed.options,
    noEmit: true,
    baseUrl: dir,
    paths: { '@prisma/client': ['generated/prisma-client'] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe('fix all over examples/', () => {
  let dir: string;
  /** The compiler's messages before any fix: examples/ declares Prisma 6 and Mongoose 8, the typings here are newer. */
  let baseline: string[] = [];
  const applied: string[] = [];
  let remaining: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pa-examples-fixall-'));
    cpSync(examplesRoot, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // The schema's generated client, offline; Prisma 7 takes the URL from its config, not the schema.
    const schema = readFileSync(join(dir, 'prisma/schema.prisma'), 'utf8')
      .replace(/^\s*url\s*=.*$/m, '')
      .replace('provider = "prisma-client-js"', 'provider = "prisma-client-js"\n  output   = "../generated/prisma-client"');
    writeFileSync(join(dir, 'prisma/schema.prisma'), schema);
    const generated = spawnSync(process.execPath, [join(repoRoot, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'prisma/schema.prisma'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    assert.equal(generated.status, 0, `prisma generate failed: ${generated.stderr}${generated.stdout}`);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles before the fixes, apart from what the newer library majors changed (the baseline)', () => {
    baseline = compile(dir);
    // Prisma 7 dropped `datasources` (per-tenant URLs go through a driver adapter); Mongoose 9 types `find` filters.
    assert.ok(baseline.length <= 2, baseline.join('\n'));
    for (const message of baseline) assert.match(message, /^src\/(db\/prisma\.ts|routes\/catalog\.ts):/);
  });

  it('applies every safe fix, file by file, until none is left to apply; the result still compiles', () => {
    const session = new AnalysisSession(defaultConfig);
    const files = new Map(sourceFiles(join(dir, 'src')).map((path) => [path, readFileSync(path, 'utf8')]));
    for (const [path, text] of files) session.upsertFile(path, text);
    for (let pass = 0; pass < 10; pass++) {
      let changed = false;
      for (const path of [...files.keys()]) {
        const findings = session.analyzeFile(path).findings;
        const { edits, applied: count } = session.fixAll(path, { exactOnly: false });
        if (count === 0) continue;
        const byFile = new Map<string, TextEdit[]>();
        for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
        for (const [file, fileEdits] of byFile) {
          const created = fileEdits.find((e) => e.createFile);
          let text = created ? created.newText : files.get(file) ?? readFileSync(file, 'utf8');
          for (const edit of fileEdits.filter((e) => !e.createFile).sort((a, b) => b.start - a.start))
            text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
          files.set(file, text);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
          session.upsertFile(file, text);
        }
        applied.push(...findings.filter((f) => f.fixes.length > 0).slice(0, count).map((f) => `${relative(dir, f.span.file)}:${f.span.range.start.line + 1} ${f.ruleId}: ${f.fixes[0]!.title}`));
        changed = true;
      }
      if (!changed) break;
    }
    remaining = session
      .analyzeAll()
      .findings.map((f) => `${relative(dir, f.span.file)}:${f.span.range.start.line + 1} ${f.ruleId} — ${f.message.slice(0, 110)}`);
    const summary = `fix all over examples/: ${applied.length} fixes applied, ${remaining.length} findings remain\n  applied:\n    ${applied.join('\n    ')}\n  remaining:\n    ${remaining.join('\n    ')}`;
    if (process.env.PA_FIX_ALL_REPORT) writeFileSync(process.env.PA_FIX_ALL_REPORT, summary + '\n');
    assert.ok(applied.length >= 10, summary);
    // Nothing the fixes wrote adds a compiler error (messages compared without their line numbers).
    const strip = (m: string) => m.replace(/:\d+: /, ': ');
    const before = new Set(baseline.map(strip));
    assert.deepEqual(compile(dir).map(strip).filter((m) => !before.has(m)), [], summary);
  });

  it('leaves only findings that have no safe rewrite', () => {
    const session = new AnalysisSession(defaultConfig);
    for (const path of sourceFiles(join(dir, 'src'))) session.upsertFile(path, readFileSync(path, 'utf8'));
    const withFix = session.analyzeAll().findings.filter((f) => f.fixes.length > 0);
    assert.deepEqual(withFix.map((f) => `${relative(dir, f.span.file)}:${f.span.range.start.line + 1} ${f.ruleId}`), []);
  });
});
