// package.json matches the engine: a setting per rule with the catalog's default severity, thresholds with the config's defaults, every command declared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig, ruleCatalog, RULE_OPTIONS } from '../../server/engine';

interface Property {
  default?: unknown;
  markdownDescription?: string;
  enum?: string[];
  scope?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
/** Ids of the command table in client/commands.ts (read as text: that module needs the vscode API). */
const commandFactoriesIds = [
  ...readFileSync(join(__dirname, '../../client/commands.ts'), 'utf8').matchAll(/^  '(perfAdvisor\.[\w.]+)':\s*\(/gm),
].map((m) => m[1]!);
const properties: Record<string, Property> = Object.assign(
  {},
  ...manifest.contributes.configuration.map((section: { properties: object }) => section.properties),
);

describe('package.json manifest', () => {
  it('declares enable and severity settings for every rule, with the catalog default', () => {
    for (const rule of ruleCatalog) {
      assert.equal(properties[`perfAdvisor.rules.${rule.id}.enabled`]?.default, true, rule.id);
      const severity = properties[`perfAdvisor.rules.${rule.id}.severity`];
      assert.equal(severity?.default, rule.defaultSeverity, rule.id);
      assert.deepEqual(severity?.enum, ['error', 'warning', 'info', 'hint', 'off']);
    }
  });

  it('declares every rule option as perfAdvisor.rules.<id>.options with the schema defaults', () => {
    for (const [id, schema] of Object.entries(RULE_OPTIONS)) {
      const defaults = schema.parse({}) as Record<string, unknown>;
      const setting = properties[`perfAdvisor.rules.${id}.options`] as Property & { properties?: object };
      if (Object.keys(defaults).length === 0) {
        assert.equal(setting, undefined, id);
        continue;
      }
      assert.deepEqual(setting?.default, defaults, id);
      assert.deepEqual(Object.keys(setting?.properties ?? {}).sort(), Object.keys(defaults).sort(), id);
    }
  });

  it('declares every threshold and list setting with the engine default', () => {
    for (const [key, value] of Object.entries(defaultConfig.thresholds))
      assert.equal(properties[`perfAdvisor.thresholds.${key}`]?.default, value, key);
    for (const key of ['exclude', 'uniqueKeys', 'libraries'] as const)
      assert.deepEqual(properties[`perfAdvisor.${key}`]?.default, defaultConfig[key], key);
  });

  it('lets every analysis setting be set per workspace folder (scope "resource"); the server reads them per folder', () => {
    const analysis = Object.keys(properties).filter(
      (key) =>
        /^perfAdvisor\.(rules|thresholds)\./.test(key) ||
        ['perfAdvisor.exclude', 'perfAdvisor.uniqueKeys', 'perfAdvisor.libraries'].includes(key),
    );
    const withOptions = ruleCatalog.filter((rule) => properties[`perfAdvisor.rules.${rule.id}.options`]).length;
    assert.equal(
      analysis.length,
      ruleCatalog.length * 2 + withOptions + Object.keys(defaultConfig.thresholds).length + 3,
    );
    assert.deepEqual(
      analysis.filter((key) => properties[key]!.scope !== 'resource'),
      [],
    );
  });

  it('gives every perfAdvisor setting a markdownDescription', () => {
    const missing = Object.entries(properties)
      .filter(([key, p]) => key.startsWith('perfAdvisor.') && !p.markdownDescription)
      .map(([key]) => key);
    assert.deepEqual(missing, []);
  });

  it('declares every command of the command table, with activation events', () => {
    assert.equal(commandFactoriesIds.length, 9);
    const declared = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    for (const id of commandFactoriesIds) {
      assert.ok(declared.has(id), `${id} is in contributes.commands`);
      assert.ok(manifest.activationEvents.includes(`onCommand:${id}`), `${id} activates the extension`);
    }
    for (const language of ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'])
      assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`));
  });

  it('supports untrusted workspaces in limited mode', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });
});

describe('workspace trust', () => {
  /** Command ids whose handler (a function in client/profiling) starts with `requireTrust(…)`. */
  function commandsThatRunCode(): string[] {
    const table = readFileSync(join(__dirname, '../../client/commands.ts'), 'utf8');
    const gatedFunctions = new Set<string>();
    for (const file of ['commands.ts', 'diagnoseCommand.ts']) {
      const text = readFileSync(join(__dirname, '../../client/profiling', file), 'utf8');
      for (const m of text.matchAll(
        /export async function (\w+)\([^)]*\)[^{]*\{\s*(?:const [^;]+;\s*)?requireTrust\(/g,
      ))
        gatedFunctions.add(m[1]!);
    }
    return [...table.matchAll(/^  '(perfAdvisor\.[\w.]+)':[^\n]*(?:\n(?!  ')[^\n]*)*/gm)]
      .filter((m) => [...gatedFunctions].some((name) => m[0].includes(`${name}(`)))
      .map((m) => m[1]!);
  }

  it('disables every command that runs or loads workspace code until the workspace is trusted', () => {
    const gated = commandsThatRunCode().sort();
    assert.deepEqual(gated, [
      'perfAdvisor.attachProfiler',
      'perfAdvisor.diagnose',
      'perfAdvisor.loadTest',
      'perfAdvisor.profileScript',
    ]);
    for (const id of gated) {
      const command = manifest.contributes.commands.find((c: { command: string }) => c.command === id);
      assert.equal(command?.enablement, 'isWorkspaceTrusted', id);
    }
  });
});
