// unbounded-read's actions through the language server over stdio: the pagination suggestion gets its edit on
// codeAction/resolve, the SCAN walk comes with its edit, and where no rewrite is safe the action only opens the docs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { SHOW_DOCUMENTATION_COMMAND } from '../../server/protocol';
import { LspTestClient } from './harness';
import { makeWorkspace } from './fixtures';

// A helper a route calls: a request reaches the read, and the helper (not an entry point) can take a page parameter.
const LIST = `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
export async function activeUsers(role: string) {
  return prisma.user.findMany({ where: { role, active: true } });
}
app.get('/users', async (req, res) => {
  res.json(await activeUsers(String(req.query.role)));
});
`;
const ROUTE = `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.get('/orders', async (req, res) => {
  res.json(await prisma.order.findMany({ where: { status: 'open' } }));
});
`;
const MEMBERS = `import Redis from 'ioredis';
const redis = new Redis();
export const online = () => redis.smembers('online-users');
`;

describe('unbounded-read actions over LSP', () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = makeWorkspace({ 'src/list.ts': LIST, 'src/route.ts': ROUTE, 'src/members.ts': MEMBERS });
    client = await LspTestClient.start({
      workspace: root,
      resolveSupport: true,
      initializationOptions: { scanOnStartup: false },
      settings: { rules: { 'unbounded-read': { options: { pageSize: 50 } } } },
    });
  });

  after(async () => {
    await client?.stop();
  });

  async function actionsFor(file: string, text: string): Promise<{ uri: string; actions: CodeAction[] }> {
    const uri = client.open(join(root, file), text);
    const diagnostics: Diagnostic[] = (await client.pull(uri)).filter((d) => d.code === 'unbounded-read');
    assert.equal(diagnostics.length, 1, `one unbounded-read diagnostic in ${file}`);
    return { uri, actions: await client.codeActions(uri, [diagnostics[0]!]) };
  }

  it('paginate: no edit until resolved, then the page parameter and take/skip with the configured page size', async () => {
    const { uri, actions } = await actionsFor('src/list.ts', LIST);
    const paginate = actions.find((a) => a.title.startsWith('Paginate:'));
    assert.ok(paginate, actions.map((a) => a.title).join(' | '));
    assert.equal(paginate.edit, undefined);
    client.applyWorkspaceEdit((await client.resolveCodeAction(paginate)).edit!);
    const text = client.text(uri);
    assert.match(text, /export async function activeUsers\(role: string, page = 0\) \{/);
    assert.match(text, /findMany\(\{ where: \{ role, active: true \}, take: 50, skip: page \* 50 \}\)/);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'unbounded-read'),
      [],
    );
  });

  it('a route handler: the explanation-only action opens the docs section and edits nothing', async () => {
    const { actions } = await actionsFor('src/route.ts', ROUTE);
    const why = actions.find((a) => a.title.startsWith('Why no pagination rewrite'));
    assert.ok(why, actions.map((a) => a.title).join(' | '));
    assert.equal(why.edit, undefined);
    assert.equal(why.data, undefined, 'nothing to resolve');
    assert.equal(why.command?.command, SHOW_DOCUMENTATION_COMMAND);
    assert.match(String(why.command?.arguments?.[0]), /rules\/docs\/unbounded-read\.md#paginating-by-hand$/);
    assert.ok(!actions.some((a) => a.title.startsWith('Paginate:')));
  });

  it('SMEMBERS: the SSCAN walk comes with its edit', async () => {
    const { uri, actions } = await actionsFor('src/members.ts', MEMBERS);
    const scan = actions.find((a) => a.title.startsWith('Walk it with SSCAN'));
    assert.ok(scan?.edit, actions.map((a) => a.title).join(' | '));
    client.applyWorkspaceEdit(scan.edit);
    assert.match(client.text(uri), /redis\.sscanStream\('online-users', \{ count: 1000 \}\)/);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'unbounded-read'),
      [],
    );
  });
});
