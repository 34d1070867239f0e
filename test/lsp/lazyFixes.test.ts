// Each fix family through the language server over stdio: the code action comes without an edit and gets it on
// codeAction/resolve (built by the worker); fix-all per rule; source.fixAll only applies fixes that keep behaviour.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateFile, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from './harness';
import { makeWorkspace } from './fixtures';

const LOOP = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();
export async function customersOf() {
  const invoices = await prisma.invoice.findMany({ where: { paid: false } });
  const out = [];
  for (const invoice of invoices) {
    out.push(await prisma.customer.findUnique({ where: { id: invoice.customerId } }));
  }
  return out;
}
`;
const PER_REQUEST = `import express from 'express';
import { Client } from 'pg';
const app = express();
app.get('/orders/:id', async (req, res) => {
  const client = new Client();
  await client.connect();
  const result = await client.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  await client.end();
  res.json(result.rows[0]);
});
`;
const CHECKOUTS = `import { Pool } from 'pg';
const pool = new Pool();
export async function ship(id: string) {
  const client = await pool.connect();
  await client.query('UPDATE orders SET status = $1 WHERE id = $2', ['shipped', id]);
  client.release();
}
export async function cancel(id: string) {
  const client = await pool.connect();
  await client.query('UPDATE orders SET status = $1 WHERE id = $2', ['cancelled', id]);
  client.release();
}
`;
const SETTINGS = `import express from 'express';
import { PrismaClient } from '@prisma/client';
const app = express();
const prisma = new PrismaClient();
app.use(async (req, res, next) => {
  res.locals.flags = await prisma.featureFlag.findMany();
  next();
});
`;

describe('lazy fixes over LSP (codeAction/resolve)', () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = makeWorkspace({
      'src/loop.ts': LOOP,
      'src/orders.ts': PER_REQUEST,
      'src/checkouts.ts': CHECKOUTS,
      'src/flags.ts': SETTINGS,
    });
    client = await LspTestClient.start({
      workspace: root,
      resolveSupport: true,
      initializationOptions: { scanOnStartup: false },
      settings: { rules: { 'missing-cache': { options: { ttlSeconds: 60 } } } },
    });
  });

  after(async () => {
    await client?.stop();
  });

  /** Opens a file, pulls its diagnostics of `rule` and asks for code actions on the first one. */
  async function actionsFor(
    file: string,
    text: string,
    rule: string,
  ): Promise<{ uri: string; actions: CodeAction[]; diagnostics: Diagnostic[] }> {
    const uri = client.open(join(root, file), text);
    const diagnostics = (await client.pull(uri)).filter((d) => d.code === rule);
    assert.ok(diagnostics.length > 0, `no ${rule} diagnostic in ${file}`);
    return { uri, actions: await client.codeActions(uri, [diagnostics[0]!]), diagnostics };
  }

  it('n-plus-one: the batch action has no edit until resolved, then rewrites the loop to one query and a map', async () => {
    const { uri, actions } = await actionsFor('src/loop.ts', LOOP, 'n-plus-one');
    const batch = actions.find((a) => a.title.startsWith('Batch'));
    assert.ok(batch, actions.map((a) => a.title).join(' | '));
    assert.equal(batch.edit, undefined, 'the edit is built on resolve, not with the diagnostics');
    const resolved = await client.resolveCodeAction(batch);
    assert.ok(resolved.edit);
    client.applyWorkspaceEdit(resolved.edit);
    const text = client.text(uri);
    assert.match(text, /await prisma\.customer\.findMany\(\{ where: \{ id: \{ in: customerKeys \} \} \}\)/);
    assert.match(text, /out\.push\(customerById\.get\(String\(invoice\.customerId\)\) \?\? null\);/);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'n-plus-one'),
      [],
    );
  });

  it('unpooled-connection: the pooling action rewrites the handler to a module-level Pool', async () => {
    const { uri, actions } = await actionsFor('src/orders.ts', PER_REQUEST, 'unpooled-connection');
    const pool = actions.find((a) => a.title.startsWith('Create one shared `Pool`'));
    assert.ok(pool, actions.map((a) => a.title).join(' | '));
    client.applyWorkspaceEdit((await client.resolveCodeAction(pool)).edit!);
    const text = client.text(uri);
    assert.match(text, /^import \{ Pool \} from 'pg';$/m);
    assert.match(text, /^const pool = new Pool\(\{ max: 20, connectionTimeoutMillis: 30_000/m);
    assert.match(text, /const result = await pool\.query\(/);
    assert.doesNotMatch(text, /client\.(connect|end)/);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'unpooled-connection'),
      [],
    );
  });

  it('source.fixAll.perfAdvisor applies the exact fixes (release in finally) of the whole file, and only those', async () => {
    const uri = client.open(join(root, 'src/checkouts.ts'), CHECKOUTS);
    const before = (await client.pull(uri)).filter((d) => d.code === 'unpooled-connection');
    assert.equal(before.length, 2);
    const onSave = await client.codeActions(uri, [], ['source.fixAll.perfAdvisor']);
    assert.deepEqual(
      onSave.map((a) => a.kind),
      ['source.fixAll.perfAdvisor'],
    );
    client.applyWorkspaceEdit((await client.resolveCodeAction(onSave[0]!)).edit!);
    const text = client.text(uri);
    assert.equal((text.match(/\} finally \{\n    client\.release\(\);\n  \}/g) ?? []).length, 2, text);
    assert.deepEqual(
      (await client.pull(uri)).filter((d) => d.code === 'unpooled-connection'),
      [],
    );
    // Suggestions (batching, pooling, caching) are never part of it.
    const loop = client.open(join(root, 'src/loop2.ts'), LOOP);
    await client.pull(loop);
    const none = await client.codeActions(loop, [], ['source.fixAll.perfAdvisor']);
    assert.equal(none.length, 1);
    const edit = (await client.resolveCodeAction(none[0]!)).edit!;
    assert.deepEqual(edit.changes ?? {}, {});
  });

  it('missing-cache: the four patterns are offered; cache-aside creates the helper with the TTL from the rule options', async () => {
    const { uri, actions } = await actionsFor('src/flags.ts', SETTINGS, 'missing-cache');
    const titles = actions.map((a) => a.title);
    for (const pattern of ['cache-aside', 'write-through', 'write-behind', 'refresh-ahead'])
      assert.ok(
        titles.some((t) => t.includes(`with ${pattern}`)),
        titles.join(' | '),
      );
    // A write pattern with no write to keep in step is refused with a reason, not offered broken.
    const through = actions.find((a) => a.title.includes('with write-through'))!;
    await assert.rejects(client.resolveCodeAction(through), /no write to `prisma\.featureFlag` found/);
    const aside = actions.find((a) => a.title.includes('with cache-aside'))!;
    const edit = (await client.resolveCodeAction(aside)).edit!;
    assert.ok(edit.documentChanges?.some((c) => CreateFile.is(c) && c.uri.endsWith('/src/perfAdvisorCache.ts')));
    client.applyWorkspaceEdit(edit);
    assert.match(
      client.text(uri),
      /await cached\('perf-advisor:featureFlag:findMany', 60, \(\) => prisma\.featureFlag\.findMany\(\)\)/,
    );
  });

  it('"Apply every <rule> fix in this file" applies each finding’s first fix', async () => {
    const uri = client.open(join(root, 'src/checkouts2.ts'), CHECKOUTS);
    const diagnostics = (await client.pull(uri)).filter((d) => d.code === 'unpooled-connection');
    const actions = await client.codeActions(uri, [diagnostics[0]!]);
    const all = actions.find((a) => a.title === 'Apply every unpooled-connection fix in this file');
    assert.ok(all, actions.map((a) => a.title).join(' | '));
    client.applyWorkspaceEdit((await client.resolveCodeAction(all)).edit!);
    assert.equal((client.text(uri).match(/finally/g) ?? []).length, 2);
  });

  it('refuses a fix asked for after the file changed (the facts no longer match the text)', async () => {
    const uri = client.open(join(root, 'src/loop3.ts'), LOOP);
    const diagnostics = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    const batch = (await client.codeActions(uri, diagnostics)).find((a) => a.title.startsWith('Batch'))!;
    client.edit(uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' },
    ]);
    await assert.rejects(client.resolveCodeAction(batch), /changed since this fix was offered/);
  });
});
