// The one configuration schema, shared by the CLI (`--config`), the language server (VS Code settings) and the tests.
import { z } from 'zod';
import { Library } from '../knowledge/schema';

export const SeveritySetting = z.enum(['error', 'warning', 'info', 'hint', 'off']);
export type SeveritySetting = z.infer<typeof SeveritySetting>;

export const RuleSetting = z.object({
  enabled: z.boolean().optional(),
  severity: SeveritySetting.optional(),
});

/** Thresholds; defaults follow the performance skill and the real-world patterns reference. */
export const Thresholds = z.object({
  /** Loops over literal lists or enums with at most this many elements are not N+1. */
  smallLiteralListMax: z.number().int().min(0).default(10),
  /** A limit above this is treated as no limit (`limit: 999999`). */
  maxReasonableLimit: z.number().int().min(1).default(10_000),
  /** Collection size used in messages to show what N+1 costs ("101 round trips for 100 users"). */
  exampleCollectionSize: z.number().int().min(2).default(100),
  /** Files larger than this (KiB) are skipped with a notice. */
  maxFileSizeKb: z.number().int().min(1).default(1024),
  /** A line longer than this on average marks a minified file, which is skipped. */
  minifiedLineLength: z.number().int().min(80).default(500),
});
export type Thresholds = z.infer<typeof Thresholds>;

export const Config = z.object({
  /** Per-rule enable/severity overrides, keyed by rule id. */
  rules: z.record(z.string(), RuleSetting).default({}),
  thresholds: Thresholds.default(Thresholds.parse({})),
  /** Extra libraries or in-house wrappers, in the same shape as the built-in tables in rules/knowledge. */
  libraries: z.array(Library).default([]),
  /** Glob patterns (gitignore syntax) of files to leave out, on top of .gitignore and the built-in skips. */
  exclude: z.array(z.string()).default([]),
  /** Filter names of property keys that identify a single row (`where: { id }`): reads filtered by them are bounded. */
  uniqueKeys: z.array(z.string()).default(['id', '_id', 'uuid', 'email', 'username', 'slug', 'key']),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export const defaultConfig: Config = Config.parse({});

/** A setting that failed validation and fell back to its default; reported once to the user. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Parses raw settings leniently: each top-level key that fails validation falls back to its
 * default and is reported, so one bad value never disables the whole configuration.
 */
export function parseConfigLenient(raw: unknown): { config: Config; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (raw === undefined || raw === null) return { config: defaultConfig, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: defaultConfig, problems: [{ path: '', message: 'configuration must be an object' }] };
  }
  const candidate: Record<string, unknown> = {};
  const shape = Config.shape;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in shape)) {
      problems.push({ path: key, message: `unknown setting "${key}"` });
      continue;
    }
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) candidate[key] = parsed.data;
    else
      problems.push({
        path: key,
        message: parsed.error.issues.map((i) => `${[key, ...i.path].join('.')}: ${i.message}`).join('; '),
      });
  }
  return { config: Config.parse(candidate), problems };
}
