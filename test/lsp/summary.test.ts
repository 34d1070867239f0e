// The findings summary (perfAdvisor/findingsSummary) names each rule with its catalog description and docs, though the LSP thread never loads the rules.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ruleCatalog } from '../../server/engine';
import { serverForSuite, N_PLUS_ONE } from './fixtures';

describe('findings summary', () => {
  const server = serverForSuite();

  it('lists each rule found with the description and documentation link of the rule catalog', async () => {
    const uri = server.client.open(join(server.root, 'src/posts.ts'), N_PLUS_ONE);
    assert.ok((await server.client.pull(uri)).some((d) => d.code === 'n-plus-one'));
    const summary = await server.client.summary();
    const entry = summary.rules.find((r) => r.ruleId === 'n-plus-one');
    const catalog = ruleCatalog.find((r) => r.id === 'n-plus-one')!;
    assert.deepEqual(entry && { description: entry.description, docsUrl: entry.docsUrl }, {
      description: catalog.description,
      docsUrl: catalog.docsUrl,
    });
    assert.ok(catalog.description.length > 20);
  });
});
