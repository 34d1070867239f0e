// The pooling advice a per-call connection's message gives: the library's own pooled construct and option names.
import type { RuleOptions } from '../analysis/config';
import { fillTemplate, fixFormsOf } from '../knowledge/fixForms';

/**
 * `one \`new Pool({ max: 20, connectionTimeoutMillis: 30_000, … })\` (pg)`: what to create once instead, with the
 * skill's settings in that library's option names, so no message speaks of an overflow or a recycle setting the
 * library does not have. Without a pooled form in the knowledge, the generic advice with the pool size only.
 */
export function poolAdvice(
  libraryId: string,
  qualifiedType: string,
  options: RuleOptions<'unpooled-connection'>,
): string {
  const dot = qualifiedType.indexOf('.');
  const library = dot > 0 ? qualifiedType.slice(0, dot) : libraryId;
  const typeName = dot > 0 ? qualifiedType.slice(dot + 1) : qualifiedType;
  const form = fixFormsOf(library).pool.find((candidate) => candidate.replaces.includes(typeName));
  if (!form) return `one shared instance (pool of ${options.poolSize})`;
  const settings = { ...options, recycleAfterSeconds: Math.round(options.recycleAfterMs / 1000) };
  const entries = Object.entries(form.options).map(([key, value]) => `${key}: ${fillTemplate(value, settings)}`);
  const nested = form.optionsPath.reduceRight((inner, key) => `{ ${key}: ${inner} }`, `{ ${entries.join(', ')} }`);
  const args = entries.length > 0 ? nested : '';
  const construct = form.construct === 'new' ? `new ${form.ctor}(${args})` : `${form.ctor}(${args})`;
  const shown = construct.length > 110 ? `${construct.slice(0, 107)}…` : construct;
  return `one \`${shown}\``;
}
