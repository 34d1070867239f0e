// The findings summary (perfAdvisor/findingsSummary) names each rule with its catalog description and docs, though the LSP thread never loads the rules.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ruleCatalog } from '../../server/engine';
import { LspTestClient } from './harness';
import { makeWorkspace, N_PLUS_ONE } from './fixtures';

describe('findings summary', () => {
  let client: LspTestClient;
  let root: string;
  before(async () => {
    root = makeWorkspace({});
    client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  it('lists each rule found with the description and documentation link of the rule catalog', async () => {
    const uri = client.open(join(root, 'src/posts.ts'), N_PLUS_ONE);
    assert.ok((await client.pull(uri)).some((d) => d.code === 'n-plus-one'));
    const summary = await client.summary();
    const entry = summary.rules.find((r) => r.ruleId === 'n-plus-one');
    const catalog = ruleCatalog.find((r) => r.id === 'n-plus-one')!;
    assert.deepEqual(entry && { description: entry.description, docsUrl: entry.docsUrl }, { description: catalog.description, docsUrl: catalog.docsUrl });
    assert.ok(catalog.description.length > 20);
  });
});
