// The CLI's strict config loading: default file names, --config, and errors that name the file and the field.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { defaultConfig } from '../../server/engine';
import { loadConfigFile, parseConfigStrict, unknownKeys } from '../../server/cli/configFile';
import { Config } from '../../server/engine';
import { tempProject } from './cliProcess';

const dirs: string[] = [];
const project = (files: Record<string, string>) => {
  const dir = tempProject(files);
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const messageOf = (loaded: ReturnType<typeof loadConfigFile>) => {
  assert.equal(loaded.ok, false);
  return (loaded as { message: string }).message;
};

test('no config file means the defaults', () => {
  assert.deepEqual(loadConfigFile(undefined, project({})), { ok: true, config: defaultConfig });
});

test('finds perf-advisor.config.json, then .perf-advisorrc.json, in the directory', () => {
  const both = project({
    'perf-advisor.config.json': '{"exclude":["a/"]}',
    '.perf-advisorrc.json': '{"exclude":["b/"]}',
  });
  const first = loadConfigFile(undefined, both);
  assert.ok(first.ok);
  assert.deepEqual(first.config.exclude, ['a/']);
  const rcOnly = project({ '.perf-advisorrc.json': '{"thresholds":{"maxFileSizeKb":64}}' });
  const second = loadConfigFile(undefined, rcOnly);
  assert.ok(second.ok);
  assert.equal(second.config.thresholds.maxFileSizeKb, 64);
  assert.equal(second.config.thresholds.minifiedLineLength, defaultConfig.thresholds.minifiedLineLength);
});

test('--config names a file relative to the directory', () => {
  const dir = project({ 'cfg/custom.json': '{"uniqueKeys":["id","sku"]}' });
  const loaded = loadConfigFile('cfg/custom.json', dir);
  assert.ok(loaded.ok);
  assert.deepEqual(loaded.config.uniqueKeys, ['id', 'sku']);
  assert.equal(messageOf(loadConfigFile('missing.json', dir)), 'config file not found: missing.json');
});

test('bad JSON, a non-object and wrong types are errors naming the field', () => {
  const dir = project({
    'broken.json': '{ "exclude": [',
    'array.json': '[]',
    'types.json': '{"thresholds":{"maxFileSizeKb":0},"exclude":"dist"}',
  });
  assert.match(messageOf(loadConfigFile('broken.json', dir)), /^broken\.json: invalid JSON \(/);
  assert.equal(messageOf(loadConfigFile('array.json', dir)), 'array.json: the configuration must be a JSON object');
  const typeErrors = messageOf(loadConfigFile('types.json', dir));
  assert.match(typeErrors, /^types\.json: invalid configuration/);
  assert.match(typeErrors, /thresholds\.maxFileSizeKb: /);
  assert.match(typeErrors, /\n {2}exclude: /);
});

test('unknown keys are errors at any depth, where zod alone would drop them', () => {
  assert.deepEqual(
    unknownKeys(Config, { exclud: [], thresholds: { maxFileSizeKB: 1 }, rules: { 'n-plus-one': { enable: true } } }),
    ['exclud', 'thresholds.maxFileSizeKB', 'rules.n-plus-one.enable'],
  );
  const result = parseConfigStrict({ exclud: ['x'] }, 'perf-advisor.config.json');
  assert.deepEqual(result, { ok: false, message: 'perf-advisor.config.json: unknown setting "exclud"' });
});

test('unknown keys inside user library tables are found too', () => {
  const library = {
    id: 'acme-db',
    modules: ['@acme/db'],
    exports: { Db: { construct: 'Db', constrcut: 'x' } },
    types: { Db: { connection: 'pool', methods: { all: { effect: 'read', colection: true } } } },
  };
  assert.deepEqual(unknownKeys(Config, { libraries: [library] }), [
    'libraries.0.exports.Db.constrcut',
    'libraries.0.types.Db.methods.all.colection',
  ]);
});

test('user libraries are checked like the built-in tables (references to unknown types)', () => {
  const library = {
    id: 'acme-db',
    modules: ['@acme/db'],
    exports: { Db: { construct: 'Dbb' } },
    types: { Db: { connection: 'pool' } },
  };
  const result = parseConfigStrict({ libraries: [library] }, 'perf-advisor.config.json');
  assert.equal(result.ok, false);
  assert.match(
    (result as { message: string }).message,
    /^perf-advisor\.config\.json: libraries: library "acme-db" is invalid: .*unknown type "Dbb"/,
  );
  const fine = parseConfigStrict(
    { libraries: [{ ...library, exports: { Db: { construct: 'Db' } } }] },
    'perf-advisor.config.json',
  );
  assert.equal(fine.ok, true);
});

test('rule options are checked against the rule: a known one is kept, an unknown key or a bad value names the field', () => {
  const good = parseConfigStrict({ rules: { 'unbounded-read': { options: { pageSize: 50 } } } }, 'c.json');
  assert.ok(good.ok);
  assert.deepEqual(good.config.rules['unbounded-read']?.options, { pageSize: 50 });
  assert.match(
    (parseConfigStrict({ rules: { 'unbounded-read': { options: { pagesize: 50 } } } }, 'c.json') as { message: string })
      .message,
    /c\.json: rules\.unbounded-read\.options\.pagesize: unknown option "pagesize"/,
  );
  assert.match(
    (parseConfigStrict({ rules: { 'missing-cache': { options: { ttlSeconds: 0 } } } }, 'c.json') as { message: string })
      .message,
    /rules\.missing-cache\.options\.ttlSeconds: .*>=1/,
  );
});
