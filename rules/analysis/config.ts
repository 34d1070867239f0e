// The one configuration schema, shared by the CLI (`--config`), the language server (VS Code settings) and the tests.
import { z } from 'zod';
import { Library } from '../knowledge/schema';

export const SeveritySetting = z.enum(['error', 'warning', 'info', 'hint', 'off']);
export type SeveritySetting = z.infer<typeof SeveritySetting>;

/**
 * Each rule's options (`perfAdvisor.rules.<id>.options`), with the performance skill's numbers as defaults. The rules
 * read them through `ruleOptions`; a bad value falls back to its default alone.
 */
export const RULE_OPTIONS = {
  'n-plus-one': z
    .object({
      /**
       * Loops over a parameter that no caller in the project fills, in code no entry point is known to reach: `silent`
       * (default; on real code most such loops are small by domain), or `possible` (reported at `info` severity).
       */
      untracedParameters: z.enum(['silent', 'possible']).default('silent'),
      /**
       * Loops over one parent's children (a foreign-key filter, a row's relation) in code only write paths reach (POST,
       * PUT, PATCH, DELETE, a GraphQL mutation, a server action, a tRPC mutation): `possible` (default; reported at
       * `info` severity: often a few rows once per user action), `report` (at the rule's severity) or `silent`.
       */
      childrenOnWritePaths: z.enum(['possible', 'report', 'silent']).default('possible'),
    })
    .prefault({}),
  'unpooled-connection': z
    .object({
      /** Connections a pool keeps (the skill: `pool_size=20`). */
      poolSize: z.number().int().min(1).default(20),
      /** Extra connections under load, where the library has such a setting (`max_overflow=10`). */
      maxOverflow: z.number().int().min(0).default(10),
      /** Wait for a free connection before failing (`pool_timeout=30`). */
      acquireTimeoutMs: z.number().int().min(1).default(30_000),
      /** Close and replace a connection after this long (`pool_recycle=1800`). */
      recycleAfterMs: z.number().int().min(1000).default(1_800_000),
      /** Redis clients: attempts per command and the first back-off of the skill's retry policy. */
      retryAttempts: z.number().int().min(1).default(3),
      retryInitialDelayMs: z.number().int().min(1).default(1000),
    })
    .prefault({}),
  'missing-cache': z
    .object({
      ttlSeconds: z.number().int().min(1).default(300),
      /** Up to this share of the TTL is added at random, so entries written together do not expire together. */
      jitterRatio: z.number().min(0).max(1).default(0.1),
      /** How long a cache fill holds the stampede lock (`SET NX PX`). */
      lockMs: z.number().int().min(1).default(10_000),
      /** Refresh-ahead: reload once less than this share of the TTL is left. */
      refreshAheadRatio: z.number().gt(0).lt(1).default(0.2),
      /** Write-behind: flush queued writes after this long, or once this many are queued. */
      writeBehindFlushMs: z.number().int().min(1).default(1000),
      writeBehindMaxQueue: z.number().int().min(1).default(1000),
    })
    .prefault({}),
  'unbounded-read': z.object({ pageSize: z.number().int().min(1).default(100) }).prefault({}),
  'cache-write-without-ttl': z.object({ defaultTtlSeconds: z.number().int().min(1).default(3600) }).prefault({}),
  'unstable-cache-key': z.object({}).prefault({}),
} as const;
export type RuleOptions<Id extends keyof typeof RULE_OPTIONS> = z.infer<(typeof RULE_OPTIONS)[Id]>;

export const RuleSetting = z.object({
  enabled: z.boolean().optional(),
  severity: SeveritySetting.optional(),
  /** The rule's own options, checked against its schema in RULE_OPTIONS. */
  options: z.record(z.string(), z.unknown()).optional(),
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

/**
 * Whole-project scans (the workspace scan, `perf-advisor check`): threads only change how fast, never what is found.
 */
export const ScanSettings = z.object({
  /** Analysis threads; 0 = automatic (one, until the cross-file index is split). Each thread parses every file. */
  threads: z.number().int().min(0).max(16).default(0),
});

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
  /** How a whole-project scan runs; never changes what is found. */
  scan: ScanSettings.default(ScanSettings.parse({})),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;

export const defaultConfig: Config = Config.parse({});

/** Problems with one rule's options, each named by its key: unknown keys and values its schema rejects. */
export function ruleOptionProblems(ruleId: string, options: Record<string, unknown>): ConfigProblem[] {
  const schema = Object.hasOwn(RULE_OPTIONS, ruleId) ? RULE_OPTIONS[ruleId as keyof typeof RULE_OPTIONS] : undefined;
  if (!schema) return [];
  const shape = (schema.unwrap() as z.ZodObject).shape as Record<string, z.ZodType>;
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(options)) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const path = `rules.${ruleId}.options.${key}`;
    if (!field) problems.push({ path, message: `unknown option "${key}" of ${ruleId}` });
    else {
      const parsed = field.safeParse(value);
      if (!parsed.success)
        problems.push({ path, message: `${parsed.error.issues[0]?.message} (got ${JSON.stringify(value)})` });
    }
  }
  return problems;
}

/** A rule's options from the config: each valid value given, the default for the rest (bad values were reported). */
export function ruleOptions(config: Config, ruleId: string): unknown {
  const schema = Object.hasOwn(RULE_OPTIONS, ruleId) ? RULE_OPTIONS[ruleId as keyof typeof RULE_OPTIONS] : undefined;
  const given = Object.hasOwn(config.rules, ruleId) ? (config.rules[ruleId]?.options ?? {}) : {};
  if (!schema) return given;
  const bad = new Set(ruleOptionProblems(ruleId, given).map((p) => p.path.split('.').pop()));
  return schema.parse(Object.fromEntries(Object.entries(given).filter(([key]) => !bad.has(key))));
}

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
  const config = Config.parse(candidate);
  for (const [ruleId, setting] of Object.entries(config.rules))
    if (setting.options) problems.push(...ruleOptionProblems(ruleId, setting.options));
  return { config, problems };
}
