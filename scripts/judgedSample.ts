// Draws a seeded random sample of the findings that scripts/accuracy.ts saw at unlabelled places (what a user sees),
// for a reviewer to judge in context; and scores a judged sample.
// Usage: node --import tsx scripts/judgedSample.ts draw --report <accuracy-report.json> [--count 120] [--seed 1] [--out
// F]
//        node --import tsx scripts/judgedSample.ts score [test/accuracy/judged.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { JudgedSample, judgedPrecision } from '../test/accuracy/judgedSchema';

interface ReportFinding {
  repo: string;
  path: string;
  line: number;
  family: string;
  message: string;
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
} else {
  process.stderr.write('usage: judgedSample.ts draw --report <file> [--count N] [--seed N] [--out F] | score [file]\n');
  process.exitCode = 1;
}
