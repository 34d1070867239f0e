// The missing-cache suggestion through the server: it creates the helper module once and rewrites the read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateFile, TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient } from './harness';
import { makeWorkspace } from './fixtures';

const MIDDLEWARE = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst app = express();\nconst prisma = new PrismaClient();\napp.use(async (req, res, next) => {\n  res.locals.flags = await prisma.featureFlag.findMany();\n  next();\n});\n`;

const textOf = (edit: TextDocumentEdit['edits'][number]): string => ('newText' in edit ? edit.newText : '');

async function cacheAction(root: string): Promise<WorkspaceEdit> {
  const client = await LspTestClient.start({ workspace: root, initializationOptions: { scanOnStartup: false } });
  try {
    const uri = client.open(join(root, 'src/app.ts'), MIDDLEWARE);
    const diagnostics = (await client.pull(uri)).filter((d) => d.code === 'missing-cache');
    assert.equal(diagnostics.length, 1);
    const action = (await client.codeActions(uri, diagnostics)).find((a) => a.title.startsWith('Cache'));
    assert.ok(action?.edit, 'no cache-aside action');
    return action.edit;
  } finally {
    await client.stop();
  }
}

describe('cache-aside suggestion over LSP', () => {
  it('creates src/perfAdvisorCache.ts when the project lacks it, and rewrites the read to use it', async () => {
    const root = makeWorkspace({ 'src/app.ts': MIDDLEWARE });
    const edit = await cacheAction(root);
    const changes = edit.documentChanges ?? [];
    const helperUri = fileUri(join(root, 'src/perfAdvisorCache.ts'));
    assert.ok(
      changes.some((c) => CreateFile.is(c) && c.uri === helperUri),
      JSON.stringify(changes),
    );
    const helperText =
      changes
        .find((c): c is TextDocumentEdit => TextDocumentEdit.is(c) && c.textDocument.uri === helperUri)
        ?.edits.map(textOf)[0] ?? '';
    assert.match(helperText, /export async function cached<T>/);
    const appEdits =
      changes.find(
        (c): c is TextDocumentEdit =>
          TextDocumentEdit.is(c) && c.textDocument.uri === fileUri(join(root, 'src/app.ts')),
      )?.edits ?? [];
    assert.ok(
      appEdits
        .map(textOf)
        .some((t) =>
          t.includes("cached('perf-advisor:featureFlag:findMany', 300, () => prisma.featureFlag.findMany())"),
        ),
    );
    assert.ok(appEdits.map(textOf).some((t) => t.includes("import { cached } from './perfAdvisorCache';")));
  });

  it('reuses the helper when it already exists', async () => {
    const root = makeWorkspace({ 'src/app.ts': MIDDLEWARE });
    writeFileSync(join(root, 'src/perfAdvisorCache.ts'), '// existing helper\n');
    const edit = await cacheAction(root);
    const changes = edit.documentChanges ?? [];
    assert.ok(!changes.some((c) => CreateFile.is(c)), 'must not create the helper again');
    assert.ok(!changes.some((c) => TextDocumentEdit.is(c) && c.textDocument.uri.endsWith('perfAdvisorCache.ts')));
  });
});
