// Draws a seeded random sample of the findings that scripts/accuracy.ts saw at unlabelled places (what a user sees),
// for a reviewer to judge in context; and scores a judged sample.
// Usage: node --import tsx scripts/judgedSample.ts draw --report <accuracy-report.json> [--count 120] [--seed 1] [--out
// F]
//        node --import tsx scripts/judgedSample.ts score [test/accuracy/judged.json]
//        node --import tsx scripts/judgedSample.ts recheck --report <accuracy-report.json> [--judged F] [--split S]
//        (which judged findings a newer engine still reports: a proxy until a fresh sample is judged)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { JudgedSample, judgedPrecision } from '../test/accuracy/judgedSchema';
import { LabelFile } from '../test/accuracy/labelsSchema';

interface ReportFinding {
  repo: string;
  path: string;
  line: number;
  family: string;
  message: string;
  severity?: string;
}

/** Mulberry32: a small seeded generator, so the same seed draws the same sample. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(reportPath: string, count: number, seed: number): (ReportFinding & { commit: string })[] {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    repos: { repo: string; commit: string }[];
    unlabelledPerfAdvisorFindings: Record<string, ReportFinding[]>;
  };
  const commits = new Map(report.repos.map((r) => [r.repo, r.commit]));
  const all = Object.values(report.unlabelledPerfAdvisorFindings)
    .flat()
    .map((finding) => ({ ...finding, commit: commits.get(finding.repo) ?? '' }));
  const next = random(seed);
  // A partial Fisher–Yates shuffle: uniform over all findings, whatever their repository.
  for (let i = 0; i < Math.min(count, all.length); i++) {
    const j = i + Math.floor(next() * (all.length - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** Counts, per family and verdict, the judged findings that a newer engine's report still has at the same site. */
function recheck(reportPath: string, judgedPath: string, split: string | undefined): string {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as {
    repos: { repo: string }[];
    unlabelledPerfAdvisorFindings: Record<string, ReportFinding[]>;
  };
  const sample = JudgedSample.parse(JSON.parse(readFileSync(judgedPath, 'utf8')));
  // The split of each repository comes from the labels, the report only lists what it ran on.
  const labels = LabelFile.parse(JSON.parse(readFileSync('test/accuracy/labels.json', 'utf8')));
  const splitOf = new Map(labels.repos.map((r) => [r.repo, r.split]));
  const inSplit = new Set(report.repos.map((r) => r.repo).filter((repo) => !split || splitOf.get(repo) === split));
  // The severity each place is still reported at; a report from before severities were recorded counts as warning.
  const reported = new Map(
    Object.values(report.unlabelledPerfAdvisorFindings)
      .flat()
      .map((f) => [`${f.repo}:${f.path}:${f.line}:${f.family}`, f.severity ?? 'warning'] as const),
  );
  const rows = new Map<
    string,
    { right: number; rightKept: number; rightInfo: number; wrong: number; wrongKept: number; wrongInfo: number }
  >();
  for (const j of sample.judgements) {
    if (!inSplit.has(j.repo)) continue;
    const row = rows.get(j.family) ?? { right: 0, rightKept: 0, rightInfo: 0, wrong: 0, wrongKept: 0, wrongInfo: 0 };
    const severity = reported.get(`${j.repo}:${j.path}:${j.line}:${j.family}`);
    const kept = severity ? 1 : 0;
    const info = severity === 'info' || severity === 'hint' ? 1 : 0;
    if (j.verdict === 'right') {
      row.right++;
      row.rightKept += kept;
      row.rightInfo += info;
    } else {
      row.wrong++;
      row.wrongKept += kept;
      row.wrongInfo += info;
    }
    rows.set(j.family, row);
  }
  const lines = [
    '| family | right still reported (of them at info) | wrong still reported (of them at info) |',
    '| --- | ---: | ---: |',
  ];
  for (const [family, row] of [...rows].sort()) {
    lines.push(
      `| ${family} | ${row.rightKept} / ${row.right} (${row.rightInfo}) | ${row.wrongKept} / ${row.wrong} (${row.wrongInfo}) |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'draw') {
  const { values } = parseArgs({
    args: rest,
    options: {
      report: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.report) throw new Error('draw needs --report <accuracy-report.json>');
  const sample = draw(values.report, Number(values.count ?? 120), Number(values.seed ?? 1));
  const text = JSON.stringify(sample, null, 1) + '\n';
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
} else if (command === 'score') {
  const path = rest[0] ?? 'test/accuracy/judged.json';
  const sample = JudgedSample.parse(JSON.parse(readFileSync(path, 'utf8')));
  process.stdout.write(`judged sample of engine ${sample.engineCommit} (seed ${sample.seed}, ${sample.drawnFrom})\n\n`);
  process.stdout.write(
    '| family | right | judged | precision | right with a right message |\n| --- | ---: | ---: | ---: | ---: |\n',
  );
  for (const row of judgedPrecision(sample.judgements)) {
    const precision = row.precision === null ? 'n/a' : `${Math.round(row.precision * 100)}%`;
    process.stdout.write(`| ${row.family} | ${row.right} | ${row.total} | ${precision} | ${row.messageRight} |\n`);
  }
} else if (command === 'recheck') {
  const { values } = parseArgs({
    args: rest,
    options: { report: { type: 'string' }, judged: { type: 'string' }, split: { type: 'string' } },
  });
  if (!values.report) throw new Error('recheck needs --report <accuracy-report.json>');
  process.stdout.write(recheck(values.report, values.judged ?? 'test/accuracy/judged.json', values.split));
} else {
  process.stderr.write(
    'usage: judgedSample.ts draw --report <file> [--count N] [--seed N] [--out F] | score [file] | recheck --report <file>\n',
  );
  process.exitCode = 1;
}
