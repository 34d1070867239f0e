// The key helper the unstable-cache-key suggestion adds to a project once: a serializer that sorts object keys.

export const KEY_HELPER_BASENAME = 'perfAdvisorKey';
export const KEY_FUNCTION = 'stableKey';

/**
 * `stableKey(value)`: JSON text with every object's keys sorted, so equal objects give equal keys whatever order
 * their properties were set in. Like JSON: `undefined` and functions are left out of objects, dates become ISO text;
 * unlike JSON, a bigint becomes its digits instead of throwing.
 */
const SOURCE = `// Cache keys from objects: the same fields give the same key, in whatever order they were set (added by Perf Advisor).

/** JSON text of \`value\` with object keys in sorted order: a stable cache key part. */
export function ${KEY_FUNCTION}(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  const custom = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof custom === 'function') return ${KEY_FUNCTION}(custom.call(value));
  if (Array.isArray(value))
    return \`[\${value.map((item) => (item === undefined || typeof item === 'function' ? 'null' : ${KEY_FUNCTION}(item))).join(',')}]\`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== 'function') parts.push(\`\${JSON.stringify(key)}:\${${KEY_FUNCTION}(item)}\`);
  }
  return \`{\${parts.join(',')}}\`;
}
`;

export function keyHelperTypeScript(): string {
  return SOURCE;
}
