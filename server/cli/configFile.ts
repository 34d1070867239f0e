// Loads the one configuration file strictly: unknown keys, wrong types and bad JSON are errors naming the field.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { Config, defaultConfig, ruleCatalog, ruleOptionProblems } from '../engine';
import { loadKnowledge } from '../../rules/knowledge';

export const CONFIG_FILE_NAMES = ['perf-advisor.config.json', '.perf-advisorrc.json'] as const;

export type LoadedConfig = { ok: true; config: Config; file?: string } | { ok: false; message: string };

/** Unwraps defaults and optionals to the schema that describes the value itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as { def: { type: string; innerType?: z.ZodType; getter?: () => z.ZodType } };
  for (let depth = 0; depth < 20; depth++) {
    if (
      (current.def.type === 'default' || current.def.type === 'optional' || current.def.type === 'prefault') &&
      current.def.innerType
    ) {
      current = current.def.innerType as unknown as typeof current;
    } else if (current.def.type === 'lazy' && current.def.getter) {
      current = current.def.getter() as unknown as typeof current;
    } else break;
  }
  return current as unknown as z.ZodType;
}

/** Lists keys of `value` that `schema` does not declare, at any depth (zod objects strip them silently). */
export function unknownKeys(schema: z.ZodType, value: unknown, path: string[] = []): string[] {
  const inner = unwrap(schema) as unknown as {
    def: {
      type: string;
      shape?: Record<string, z.ZodType>;
      valueType?: z.ZodType;
      element?: z.ZodType;
      catchall?: z.ZodType;
    };
  };
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  if (inner.def.type === 'object' && inner.def.shape && !Array.isArray(value)) {
    const shape = inner.def.shape;
    const open =
      inner.def.catchall !== undefined &&
      (inner.def.catchall as unknown as { def: { type: string } }).def.type !== 'never';
    for (const [key, child] of Object.entries(value)) {
      if (key in shape) found.push(...unknownKeys(shape[key]!, child, [...path, key]));
      else if (!open) found.push([...path, key].join('.'));
    }
  } else if (inner.def.type === 'record' && inner.def.valueType && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      found.push(...unknownKeys(inner.def.valueType, child, [...path, key]));
  } else if (inner.def.type === 'array' && inner.def.element && Array.isArray(value)) {
    value.forEach((child, index) => found.push(...unknownKeys(inner.def.element!, child, [...path, String(index)])));
  }
  return found;
}

/** Parses already-decoded config JSON strictly; `label` names the file in messages. */
export function parseConfigStrict(raw: unknown, label: string): LoadedConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, message: `${label}: the configuration must be a JSON object` };
  const unknown = unknownKeys(Config, raw);
  if (unknown.length > 0)
    return {
      ok: false,
      message: `${label}: unknown setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`,
    };
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
    return { ok: false, message: `${label}: invalid configuration\n  ${lines.join('\n  ')}` };
  }
  const known = new Set(ruleCatalog.map((rule) => rule.id));
  if (known.size > 0) {
    const strangers = Object.keys(parsed.data.rules).filter((id) => !known.has(id));
    if (strangers.length > 0) {
      return {
        ok: false,
        message: `${label}: rules.${strangers[0]}: unknown rule "${strangers[0]}" (known rules: ${[...known].sort().join(', ')})`,
      };
    }
  }
  for (const [ruleId, setting] of Object.entries(parsed.data.rules)) {
    const problem = setting.options ? ruleOptionProblems(ruleId, setting.options)[0] : undefined;
    if (problem) return { ok: false, message: `${label}: ${problem.path}: ${problem.message}` };
  }
  if (parsed.data.libraries.length > 0) {
    try {
      loadKnowledge(parsed.data.libraries);
    } catch (error) {
      return { ok: false, message: `${label}: libraries: ${(error as Error).message}` };
    }
  }
  return { ok: true, config: parsed.data };
}

/** Reads `--config FILE`, or the first default-named file in `cwd`; no file at all means the defaults. */
export function loadConfigFile(explicit: string | undefined, cwd: string): LoadedConfig {
  let file: string | undefined;
  if (explicit !== undefined) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) return { ok: false, message: `config file not found: ${explicit}` };
  } else {
    file = CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((candidate) => existsSync(candidate));
    if (file === undefined) return { ok: true, config: defaultConfig };
  }
  const label = explicit ?? file.slice(cwd.length + 1);
  let text: string;
  try {
    if (!statSync(file).isFile()) return { ok: false, message: `${label}: not a file` };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      ok: false,
      message: `${label}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${label}: invalid JSON (${(error as Error).message})` };
  }
  const loaded = parseConfigStrict(raw, label);
  return loaded.ok ? { ...loaded, file } : loaded;
}
