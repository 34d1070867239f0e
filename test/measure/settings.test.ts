// The profiling settings: each one declared in package.json with the schema's default and a description; bad values fall back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultProfilingSettings, parseProfilingSettings, ProfilingSettings, targetsOf } from '../../measure/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const properties: Record<string, { default?: unknown; markdownDescription?: string }> = Object.assign(
  {},
  ...manifest.contributes.configuration.map((s: { properties: object }) => s.properties),
);

describe('profiling settings', () => {
  it('declares every key of the schema with its default and a markdownDescription, and no other', () => {
    const keys = Object.keys(ProfilingSettings.shape);
    for (const key of keys) {
      const property = properties[`perfAdvisor.profiling.${key}`];
      assert.ok(property, key);
      assert.equal(property.default, defaultProfilingSettings[key as keyof ProfilingSettings], key);
      assert.ok(property.markdownDescription && property.markdownDescription.length > 20, key);
    }
    const declared = Object.keys(properties).filter((k) => k.startsWith('perfAdvisor.profiling.'));
    assert.equal(declared.length, keys.length);
  });

  it("defaults to the skill's latency targets and retry policy", () => {
    assert.deepEqual(targetsOf(defaultProfilingSettings), { p50: 50, p95: 200, p99: 500, p999: 1000 });
    assert.equal(defaultProfilingSettings['retry.attempts'], 3);
    assert.equal(defaultProfilingSettings['retry.initialDelayMs'], 1000);
  });

  it('falls back to the default for a bad value, names it, and keeps the good ones', () => {
    const { settings, problems } = parseProfilingSettings({
      'targets.p99Ms': 'fast',
      'targets.p95Ms': 150,
      'loadTest.connections': 2.5,
      constructor: 1,
      __proto__: { 'targets.p50Ms': 1 },
    });
    assert.equal(settings['targets.p99Ms'], 500);
    assert.equal(settings['targets.p95Ms'], 150);
    assert.equal(settings['targets.p50Ms'], 50, 'inherited values are not settings');
    assert.equal(settings['loadTest.connections'], 10);
    assert.deepEqual(
      problems.map((p) => p.key),
      ['perfAdvisor.profiling.targets.p99Ms', 'perfAdvisor.profiling.loadTest.connections'],
    );
  });
});
