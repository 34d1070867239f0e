// The settings ↔ Config mapping: per-leaf fallback, problems named as the user writes the setting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig, RULE_OPTIONS } from '../../server/engine';
import { ruleOptions } from '../../rules/analysis/config';
import { formatSettingProblems, settingsToConfig } from '../../server/protocol';

describe('settingsToConfig', () => {
  it('maps an empty or missing section to the defaults with no problems', () => {
    assert.deepEqual(settingsToConfig(undefined), { config: defaultConfig, problems: [] });
    assert.deepEqual(settingsToConfig({}), { config: defaultConfig, problems: [] });
  });

  it('keeps valid rule and threshold values and ignores settings the engine does not own', () => {
    const { config, problems } = settingsToConfig({
      rules: { 'n-plus-one': { enabled: false, severity: 'error' } },
      thresholds: { exampleCollectionSize: 50 },
      exclude: ['legacy/**'],
      redis: { connections: [] },
      trace: { server: 'off' },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.rules['n-plus-one'], { enabled: false, severity: 'error' });
    assert.equal(config.thresholds.exampleCollectionSize, 50);
    assert.equal(config.thresholds.maxFileSizeKb, defaultConfig.thresholds.maxFileSizeKb);
    assert.deepEqual(config.exclude, ['legacy/**']);
  });

  it('falls back per leaf and names each bad setting in full', () => {
    const { config, problems } = settingsToConfig({
      rules: { 'n-plus-one': { severity: 'loud', enabled: true } },
      thresholds: { maxFileSizeKb: -3, exampleCollectionSize: 50 },
      exclude: 'not-a-list',
    });
    assert.deepEqual(problems.map((p) => p.setting).sort(), [
      'perfAdvisor.exclude',
      'perfAdvisor.rules.n-plus-one.severity',
      'perfAdvisor.thresholds.maxFileSizeKb',
    ]);
    assert.deepEqual(config.rules['n-plus-one'], { enabled: true });
    assert.equal(config.thresholds.maxFileSizeKb, defaultConfig.thresholds.maxFileSizeKb);
    assert.equal(config.thresholds.exampleCollectionSize, 50);
    assert.deepEqual(config.exclude, defaultConfig.exclude);
    const message = formatSettingProblems(problems);
    assert.match(message, /"perfAdvisor\.thresholds\.maxFileSizeKb"/);
    assert.match(message, /using the default/);
  });

  it('takes rule options (perfAdvisor.rules.<id>.options): a bad value falls back alone and is named in full', () => {
    const { config, problems } = settingsToConfig({
      rules: { 'missing-cache': { options: { ttlSeconds: 60, jitterRatio: 7 } } },
    });
    assert.deepEqual(
      problems.map((p) => p.setting),
      ['perfAdvisor.rules.missing-cache.options.jitterRatio'],
    );
    assert.deepEqual(ruleOptions(config, 'missing-cache'), {
      ...(RULE_OPTIONS['missing-cache'].parse({}) as object),
      ttlSeconds: 60,
    });
  });

  it('rejects a section that is not an object', () => {
    const { config, problems } = settingsToConfig(42);
    assert.deepEqual(config, defaultConfig);
    assert.deepEqual(
      problems.map((p) => p.setting),
      ['perfAdvisor'],
    );
  });
});
