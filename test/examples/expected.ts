// Schema and loader of examples/expected-findings.json and expected-clean.json: what the engine must and must not report.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Family } from '../accuracy/labelsSchema';

/** Root of the embedded example service. */
export const examplesRoot = resolve(__dirname, '../../examples');

/** Rule ids that the example service plants problems and look-alikes for: the same families the accuracy set labels. */
export const ExampleRuleId = Family;
export type ExampleRuleId = z.infer<typeof ExampleRuleId>;

/** One planted site: the 1-based line of the call the rule reports (or must not report). */
export const ExpectedEntry = z.strictObject({
  /** Relative to examples/, forward slashes, under src/. */
  file: z.string().regex(/^src\/[A-Za-z0-9_/.-]+\.ts$/, 'a path like src/routes/orders.ts'),
  line: z.number().int().min(1),
  rule: ExampleRuleId,
  /** A substring of that line, so an entry whose line drifted fails loudly. */
  contains: z.string().min(3),
  note: z.string().min(3),
});
export type ExpectedEntry = z.infer<typeof ExpectedEntry>;

export const ExpectedList = z.array(ExpectedEntry);

export type ExpectedKind = 'findings' | 'clean';

/** Reads and validates expected-findings.json (`findings`) or expected-clean.json (`clean`); throws on a bad shape. */
export function loadExpected(kind: ExpectedKind): ExpectedEntry[] {
  const path = join(examplesRoot, `expected-${kind}.json`);
  return ExpectedList.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The identity of an entry: one rule at one line of one file. */
export function entryKey(entry: Pick<ExpectedEntry, 'file' | 'line' | 'rule'>): string {
  return `${entry.file}:${entry.line}:${entry.rule}`;
}
