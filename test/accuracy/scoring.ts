// Scores tool findings against the hand labels: a finding hits a label when file and family agree and lines are within one.
import type { Family, Label } from './labelsSchema';

/** A finding reduced to what scoring needs; `line` is 1-based like the labels. */
export interface ScoredHit {
  repo: string;
  path: string;
  line: number;
  family: string;
  message?: string;
  /** The engine's severity for the finding (`info` marks the ones demoted as possible); ESLint's hits have none. */
  severity?: string;
}

export interface FamilyScore {
  family: Family;
  tp: number;
  fn: number;
  fp: number;
  /** Fine labels the tool left alone. */
  tn: number;
  precision: number | null;
  recall: number | null;
}

export interface LabelOutcome {
  label: Label;
  hit: boolean;
}

/** How far apart (in lines) a finding and a label may be and still match. */
export const lineTolerance = 1;

/** True when the hit lands on the label: same repo, same file, same family, |line difference| within tolerance. */
export function hitMatchesLabel(hit: ScoredHit, label: Label): boolean {
  return (
    hit.repo === label.repo &&
    hit.path === label.path &&
    hit.family === label.family &&
    Math.abs(hit.line - label.line) <= lineTolerance
  );
}

/** For each label, whether any hit matched it. */
export function matchLabels(labels: readonly Label[], hits: readonly ScoredHit[]): LabelOutcome[] {
  const byFile = new Map<string, ScoredHit[]>();
  for (const hit of hits) {
    const key = `${hit.repo}\u0000${hit.path}`;
    const list = byFile.get(key) ?? [];
    list.push(hit);
    byFile.set(key, list);
  }
  return labels.map((label) => {
    const candidates = byFile.get(`${label.repo}\u0000${label.path}`) ?? [];
    return { label, hit: candidates.some((h) => hitMatchesLabel(h, label)) };
  });
}

/** Hits that match no label of their own family (shown for review, never counted). */
export function unlabelledHits(labels: readonly Label[], hits: readonly ScoredHit[]): ScoredHit[] {
  return hits.filter((hit) => !labels.some((label) => hitMatchesLabel(hit, label)));
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Precision and recall per family; `families` limits the table to what the tool claims to cover. */
export function scoreByFamily(outcomes: readonly LabelOutcome[], families: readonly Family[]): FamilyScore[] {
  return families.map((family) => {
    const mine = outcomes.filter((o) => o.label.family === family);
    const tp = mine.filter((o) => o.label.verdict === 'problem' && o.hit).length;
    const fn = mine.filter((o) => o.label.verdict === 'problem' && !o.hit).length;
    const fp = mine.filter((o) => o.label.verdict === 'fine' && o.hit).length;
    const tn = mine.filter((o) => o.label.verdict === 'fine' && !o.hit).length;
    return { family, tp, fn, fp, tn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
  });
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(0)}%`;
}

/** A Markdown table of one or more tools' scores, one row per (tool, family). */
export function markdownTable(rows: readonly { tool: string; scores: readonly FamilyScore[] }[]): string {
  const lines = [
    '| tool | family | TP | FP | FN | TN | precision | recall |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { tool, scores } of rows) {
    for (const s of scores) {
      lines.push(
        `| ${tool} | ${s.family} | ${s.tp} | ${s.fp} | ${s.fn} | ${s.tn} | ${percent(s.precision)} | ${percent(s.recall)} |`,
      );
    }
  }
  return lines.join('\n');
}
