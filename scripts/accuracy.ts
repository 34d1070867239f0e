// Measures Perf Advisor and ESLint's no-await-in-loop against the hand-labelled accuracy set (test/accuracy/labels.json).
// Usage: node --import tsx scripts/accuracy.ts [--split dev|held-back|all] [--mirror-dir /work/.mirror] [--work
// /tmp/perf-advisor-accuracy] [--repo owner/name]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { analyzeFiles, defaultConfig } from '../server/engine';
import type { SourceInput } from '../server/engine';
import { Family, LabelFile, Split } from '../test/accuracy/labelsSchema';
import type { Label, LabelledRepo } from '../test/accuracy/labelsSchema';
import { markdownTable, matchLabels, scoreByFamily, unlabelledHits } from '../test/accuracy/scoring';
import type { FamilyScore, ScoredHit } from '../test/accuracy/scoring';
import { extractBlobs, mirrorGitDir, type Extraction } from './mirror';

const sourceExtensions = new Set(['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts']);
const maxFileBytes = 1024 * 1024;
const labelsPath = new URL('../test/accuracy/labels.json', import.meta.url);

interface RepoRun {
  repo: string;
  commit: string;
  status: 'ok' | 'missing-mirror' | 'missing-commit' | 'extract-failed';
  detail?: string;
  files: number;
  /** Source files the mirror lacks (snapshots omit large blobs). */
  missingBlobs?: string[];
  engine: {
    findings: number;
    errors: number;
    errorFiles?: { path: string; message: string }[];
    skipped: number;
    crashed?: string;
    seconds?: number;
  };
  eslint: { findings: number; parseFailures: number; failedFiles: string[]; seconds?: number };
}

/** Writes the labelled commit's source files worth analysing (by extension and size) under `target`. */
function extractSources(gitDir: string, commit: string, target: string): Extraction {
  return extractBlobs(gitDir, commit, target, (blob) => isAnalysableSource(blob.path) && blob.size <= maxFileBytes);
}

/** Whether a file is a source file the tools should see (not minified, not a declaration file). */
function isAnalysableSource(name: string): boolean {
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return false;
  if (name.endsWith('.min.js')) return false;
  return sourceExtensions.has(extname(name));
}

/**
 * Flat configs with only no-await-in-loop: typescript-eslint's parser for everything, JSX where the extension allows
 * it.
 */
function eslintConfigs(): Linter.Config[] {
  const rules: Linter.RulesRecord = { 'no-await-in-loop': 'error' };
  const parser = tseslint.parser as Linter.Parser;
  return [
    { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser, sourceType: 'module' }, rules },
    {
      files: ['**/*.tsx', '**/*.jsx', '**/*.js', '**/*.mjs'],
      languageOptions: { parser, sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
      rules,
    },
    { files: ['**/*.cjs'], languageOptions: { parser, sourceType: 'commonjs' }, rules },
  ];
}

/**
 * Runs no-await-in-loop over the files; a file that fails to parse is counted and skipped. Inline
 * `eslint-disable` comments are ignored so the rule's own detection is measured.
 */
function runEslint(repo: string, root: string, files: readonly string[]): { hits: ScoredHit[]; failedFiles: string[] } {
  const linter = new Linter({ cwd: root });
  const configs = eslintConfigs();
  const hits: ScoredHit[] = [];
  const failedFiles: string[] = [];
  for (const path of files) {
    try {
      const messages = linter.verify(readFileSync(join(root, path), 'utf8'), configs, {
        filename: join(root, path),
        allowInlineConfig: false,
      });
      if (messages.some((m) => m.fatal)) failedFiles.push(path);
      for (const m of messages) {
        if (m.ruleId === 'no-await-in-loop')
          hits.push({ repo, path, line: m.line, family: 'n-plus-one', message: m.message });
      }
    } catch (error) {
      failedFiles.push(path);
      void error;
    }
  }
  return { hits, failedFiles };
}

/** Runs the Perf Advisor engine over the repo; an engine crash is reported, never fatal. */
function runEngine(
  repo: string,
  root: string,
  files: readonly string[],
): { hits: ScoredHit[]; errors: { path: string; message: string }[]; skipped: number; crashed?: string } {
  const inputs: SourceInput[] = files.map((path) => ({
    path: join(root, path),
    text: readFileSync(join(root, path), 'utf8'),
  }));
  try {
    const result = analyzeFiles(inputs, defaultConfig);
    const hits = result.findings.map((f) => {
      const path = f.span.file.startsWith(root) ? relative(root, f.span.file).split(sep).join('/') : f.span.file;
      return {
        repo,
        path,
        line: f.span.range.start.line + 1,
        family: f.ruleId,
        message: f.message,
        severity: f.severity,
      };
    });
    const errors = result.errors.map((e) => ({
      path: e.path.startsWith(root) ? relative(root, e.path).split(sep).join('/') : e.path,
      message: e.message,
    }));
    return { hits, errors, skipped: result.skipped.length };
  } catch (error) {
    return { hits: [], errors: [], skipped: 0, crashed: error instanceof Error ? error.message : String(error) };
  }
}

function formatUnlabelled(repo: string, hits: readonly ScoredHit[], limit: number): string[] {
  if (hits.length === 0) return [];
  const lines = [`  unlabelled Perf Advisor findings in ${repo} (${hits.length}, for review, not counted):`];
  for (const hit of hits.slice(0, limit))
    lines.push(`    ${hit.path}:${hit.line} [${hit.family}] ${hit.message ?? ''}`.trimEnd());
  if (hits.length > limit) lines.push(`    … ${hits.length - limit} more in the JSON report`);
  return lines;
}

/** The --split value: one of the label file's splits, or `all`; anything else stops the run with a message. */
function parseSplit(value: string | undefined): Split | 'all' {
  if (value === 'all') return 'all';
  const parsed = Split.safeParse(value);
  if (parsed.success) return parsed.data;
  console.error(`--split must be dev, held-back or all (got ${String(value)})`);
  process.exit(1);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'mirror-dir': { type: 'string', default: '/work/.mirror' },
      work: { type: 'string', default: '/tmp/perf-advisor-accuracy' },
      repo: { type: 'string', multiple: true },
      split: { type: 'string', default: 'dev' },
    },
  });
  const split = parseSplit(values.split);
  const mirrorRoot = values['mirror-dir'];
  const workRoot = values.work;
  const parsed = LabelFile.safeParse(JSON.parse(readFileSync(labelsPath, 'utf8')));
  if (!parsed.success) {
    console.error(
      `labels.json is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
    process.exit(1);
  }
  const wanted = values.repo ? new Set(values.repo) : undefined;
  const inSplit = parsed.data.repos.filter((r) => split === 'all' || r.split === split);
  // A --repo outside the split is refused, not silently scored: held-back repositories are scored on purpose only.
  for (const name of wanted ?? []) {
    if (!inSplit.some((r) => r.repo === name)) {
      const known = parsed.data.repos.find((r) => r.repo === name);
      console.error(
        known
          ? `${name} is in the ${known.split} split, not in --split ${split}`
          : `${name} is not a labelled repository`,
      );
      process.exit(1);
    }
  }
  const repos: LabelledRepo[] = inSplit.filter((r) => !wanted || wanted.has(r.repo));
  mkdirSync(workRoot, { recursive: true });

  const runs: RepoRun[] = [];
  const usedLabels: Label[] = [];
  const engineHits: ScoredHit[] = [];
  const eslintHits: ScoredHit[] = [];
  const unlabelledByRepo: Record<string, ScoredHit[]> = {};

  for (const { repo, commit } of repos) {
    const run: RepoRun = {
      repo,
      commit,
      status: 'ok',
      files: 0,
      engine: { findings: 0, errors: 0, skipped: 0 },
      eslint: { findings: 0, parseFailures: 0, failedFiles: [] },
    };
    runs.push(run);
    const gitDir = mirrorGitDir(mirrorRoot, repo);
    if (!existsSync(gitDir)) {
      run.status = 'missing-mirror';
      console.log(`- ${repo}: no mirror at ${gitDir}; skipped (fetch it first)`);
      continue;
    }
    const root = join(workRoot, repo.replace('/', '+'));
    try {
      execFileSync('git', [`--git-dir=${gitDir}`, 'cat-file', '-e', `${commit}^{commit}`], { stdio: 'pipe' });
    } catch {
      run.status = 'missing-commit';
      console.log(`- ${repo}: commit ${commit} is not in the mirror; skipped`);
      continue;
    }
    let files: string[];
    try {
      const extracted = extractSources(gitDir, commit, root);
      files = extracted.files;
      run.missingBlobs = extracted.missing;
    } catch (error) {
      run.status = 'extract-failed';
      run.detail = error instanceof Error ? error.message : String(error);
      console.log(`- ${repo}: extraction failed (${run.detail}); skipped`);
      continue;
    }
    run.files = files.length;
    const labels = parsed.data.labels.filter((l) => l.repo === repo);
    usedLabels.push(...labels);

    const engineStart = performance.now();
    const engine = runEngine(repo, root, files);
    const engineSeconds = (performance.now() - engineStart) / 1000;
    run.engine = {
      findings: engine.hits.length,
      errors: engine.errors.length,
      errorFiles: engine.errors,
      skipped: engine.skipped,
      crashed: engine.crashed,
      seconds: engineSeconds,
    };
    engineHits.push(...engine.hits);
    const eslintStart = performance.now();
    const eslint = runEslint(repo, root, files);
    const eslintSeconds = (performance.now() - eslintStart) / 1000;
    run.eslint = {
      findings: eslint.hits.length,
      parseFailures: eslint.failedFiles.length,
      failedFiles: eslint.failedFiles,
      seconds: eslintSeconds,
    };
    eslintHits.push(...eslint.hits);

    const crash = engine.crashed ? `, engine crashed: ${engine.crashed}` : '';
    console.log(
      `- ${repo}@${commit.slice(0, 10)}: ${files.length} files (${run.missingBlobs?.length ?? 0} missing from the mirror), ${labels.length} labels; engine ${engine.hits.length} findings (${engine.errors.length} file errors${crash}, ${engineSeconds.toFixed(1)} s); eslint ${eslint.hits.length} findings (${eslint.failedFiles.length} files failed to parse, ${eslintSeconds.toFixed(1)} s)`,
    );
    const unlabelled = unlabelledHits(labels, engine.hits);
    unlabelledByRepo[repo] = unlabelled;
    for (const line of formatUnlabelled(repo, unlabelled, 20)) console.log(line);
  }

  const allFamilies = Family.options;
  const engineScores: FamilyScore[] = scoreByFamily(matchLabels(usedLabels, engineHits), allFamilies);
  const eslintOutcomes = matchLabels(usedLabels, eslintHits);
  const eslintScores: FamilyScore[] = scoreByFamily(eslintOutcomes, ['n-plus-one']);
  const table = markdownTable([
    { tool: 'Perf Advisor', scores: engineScores },
    { tool: 'ESLint no-await-in-loop', scores: eslintScores },
  ]);
  console.log(
    `\nsplit ${split}: ${usedLabels.length} labels over ${runs.filter((r) => r.status === 'ok').length}/${runs.length} repos\n\n${table}\n`,
  );

  const report = {
    generatedAt: new Date().toISOString(),
    split,
    labels: usedLabels.length,
    repos: runs,
    scores: { perfAdvisor: engineScores, eslintNoAwaitInLoop: eslintScores },
    perfAdvisorLabelOutcomes: matchLabels(usedLabels, engineHits).map((o) => ({ ...o.label, hit: o.hit })),
    eslintLabelOutcomes: eslintOutcomes
      .filter((o) => o.label.family === 'n-plus-one')
      .map((o) => ({ ...o.label, hit: o.hit })),
    unlabelledPerfAdvisorFindings: unlabelledByRepo,
  };
  const reportPath = join(workRoot, 'accuracy-report.json');
  writeFileSync(`${reportPath}.${process.pid}`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${reportPath}.${process.pid}`, reportPath);
  console.log(`report: ${reportPath}`);
}

main();
