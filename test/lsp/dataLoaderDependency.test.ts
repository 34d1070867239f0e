// The DataLoader fix over LSP: the resolved workspace edit also adds `dataloader` to package.json, a file the server
// never analysed, with ranges in that file's own lines (read from disk).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspTestClient } from './harness';
import { makeWorkspace } from './fixtures';

const RESOLVERS = `const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();

module.exports.resolvers = {
  Query: { posts: () => prisma.post.findMany({ take: 20 }) },
  Post: {
    author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
  },
};
`;
const MANIFEST = `{
  "name": "api",
  "dependencies": {
    "@prisma/client": "^5.0.0",
    "graphql": "^16.8.0"
  }
}
`;

describe('DataLoader fix over LSP: the dependency edit', () => {
  let root: string;
  let client: LspTestClient;

  before(async () => {
    root = makeWorkspace({ 'package.json': MANIFEST, 'src/resolvers.js': RESOLVERS });
    client = await LspTestClient.start({
      workspace: root,
      resolveSupport: true,
      initializationOptions: { scanOnStartup: false },
    });
  });

  after(async () => {
    await client?.stop();
  });

  it('the resolved edit adds dataloader to package.json in name order', async () => {
    const uri = client.open(join(root, 'src/resolvers.js'), RESOLVERS);
    const diagnostics = (await client.pull(uri)).filter((d) => d.code === 'n-plus-one');
    const actions = await client.codeActions(uri, diagnostics.slice(0, 1));
    const batch = actions.find((a) => a.title.startsWith('Batch'));
    assert.ok(batch, actions.map((a) => a.title).join(' | '));
    const { edit } = await client.resolveCodeAction(batch);
    const manifestUri = pathToFileURL(join(root, 'package.json')).href;
    const edits = [
      ...Object.entries(edit?.changes ?? {}).flatMap(([u, e]) => (u === manifestUri ? e : [])),
      ...(edit?.documentChanges ?? []).flatMap((c) =>
        'textDocument' in c && c.textDocument.uri === manifestUri
          ? c.edits.map((e) => ({ range: e.range, newText: 'newText' in e ? e.newText : '' }))
          : [],
      ),
    ];
    assert.ok(edits.length > 0, `no package.json edit in ${JSON.stringify(edit)}`);
    const document = TextDocument.create(manifestUri, 'json', 1, readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(
      TextDocument.applyEdits(document, edits),
      MANIFEST.replace('"^5.0.0",\n', '"^5.0.0",\n    "dataloader": "^2.2.3",\n'),
    );
  });
});
