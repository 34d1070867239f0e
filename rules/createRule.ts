// Defines a rule: id, meta (description, default severity, message templates, options schema) and create(context).
import type { z } from 'zod';
import type { ts } from 'ts-morph';
import type { FixProposal, Severity } from './analysis/types';
import type { ProjectAnalysis } from './analysis/projectAnalysis';
import type { FileModel } from './analysis/sourceFile';
import type { Config } from './analysis/config';

/** Rule documentation lives next to the code; the URL is derived from the id. */
export const DOCS_BASE_URL = 'https://github.com/perf-advisor/perf-advisor/blob/main/rules/docs/';

/** Where a file runs: production code, tests (no findings), scripts (information), one-off migrations/seeds. */
export type FileContext = 'source' | 'test' | 'script' | 'one-off';

export interface RuleMeta<MessageId extends string, Options> {
  /** One sentence: what the rule finds. */
  description: string;
  defaultSeverity: Severity;
  /** Message templates with `{{placeholders}}`. */
  messages: Record<MessageId, string>;
  options: z.ZodType<Options>;
}

export interface Report<MessageId extends string> {
  node: ts.Node;
  messageId: MessageId;
  data: Record<string, string | number>;
  /** Lower than the rule's severity (concurrent N+1, embedded SQLite, scripts). */
  severity?: Severity;
  related?: { node: ts.Node; file?: FileModel; message: string }[];
  fixes?: FixProposal[];
  /** Facts for code actions and reports. */
  facts?: Record<string, unknown>;
}

export interface RuleContext<MessageId extends string, Options> {
  file: FileModel;
  fileContext: FileContext;
  analysis: ProjectAnalysis;
  config: Config;
  options: Options;
  report(report: Report<MessageId>): void;
}

export interface Rule<MessageId extends string = string, Options = unknown> {
  id: string;
  docsUrl: string;
  meta: RuleMeta<MessageId, Options>;
  create(context: RuleContext<MessageId, Options>): void;
}

export function createRule<MessageId extends string, Options>(definition: {
  id: string;
  meta: RuleMeta<MessageId, Options>;
  create(context: RuleContext<MessageId, Options>): void;
}): Rule<MessageId, Options> {
  return { ...definition, docsUrl: `${DOCS_BASE_URL}${definition.id}.md` };
}

/** Fills `{{name}}` placeholders; a missing one is left visible rather than silently dropped. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    Object.hasOwn(data, key) ? String(data[key]) : whole,
  );
}
