// Lookups for the knowledge spot checks that fail with the missing module or method named.
import assert from 'node:assert/strict';
import { loadKnowledge } from '../../rules/knowledge/index';

export const knowledge = loadKnowledge();

export function lib(module: string) {
  const found = knowledge.byModule.get(module);
  assert.ok(found, `no library for ${module}`);
  return found;
}

export function method(type: string, name: string) {
  const spec = knowledge.methodOf(type, name);
  assert.ok(spec, `no ${type}.${name}`);
  return spec;
}
