// The DataLoader fix adds `dataloader` to the nearest package.json's dependencies in the same workspace edit: in name
// order, only when no dependency list has it, never from above the workspace folder, and without a workspace only
// from the file's own directory chain up to the first package.json.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AnalysisSession } from '../../server/engine/session';
import { Config } from '../../rules/analysis/config';
import { applyFix } from '../rules/ruleTester';
import type { TextEdit } from '../../rules/analysis/types';

const RESOLVERS = `const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();

module.exports.resolvers = {
  Query: { posts: () => prisma.post.findMany({ take: 20 }) },
  Post: {
    author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
  },
};
`;

const manifest = (value: object, indent: string | number = 2) => `${JSON.stringify(value, null, indent)}\n`;

describe('n-plus-one DataLoader fix: the dataloader dependency', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pa-dependency-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The DataLoader fix's edits for `file` (written with RESOLVERS), in a session whose workspace folder is `root`. */
  function fixEdits(file: string, root: string | undefined): TextEdit[] {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, RESOLVERS);
    const config = Config.parse({});
    const session = new AnalysisSession(config);
    if (root) session.setConfig(config, [{ root, config }]);
    session.upsertFile(file, RESOLVERS);
    const finding = session.analyzeFile(file).findings.find((f) => f.ruleId === 'n-plus-one');
    const fix = finding?.fixes.find((f) => f.title.startsWith('Batch'));
    assert.ok(fix?.lazy, 'the DataLoader fix is offered');
    return session.resolveFix(file, fix.lazy);
  }

  const applied = (path: string, edits: TextEdit[]) => applyFix(readFileSync(path, 'utf8'), edits, path);

  it('adds dataloader in name order to the nearest package.json (the package’s, not the workspace’s)', () => {
    const root = join(dir, 'mono');
    writeFileSync(join(dir, 'package.json'), manifest({ name: 'outside' }));
    mkdirSync(join(root, 'packages', 'api'), { recursive: true });
    writeFileSync(join(root, 'package.json'), manifest({ name: 'mono', private: true }));
    const api = join(root, 'packages', 'api', 'package.json');
    writeFileSync(
      api,
      manifest({ name: 'api', version: '1.0.0', dependencies: { '@prisma/client': '^5.0.0', graphql: '^16.8.0' } }),
    );
    const edits = fixEdits(join(root, 'packages', 'api', 'src', 'resolvers.js'), root);
    assert.deepEqual(
      edits.filter((e) => e.file.endsWith('package.json')).map((e) => e.file),
      [api],
    );
    assert.equal(
      applied(api, edits),
      `{
  "name": "api",
  "version": "1.0.0",
  "dependencies": {
    "@prisma/client": "^5.0.0",
    "dataloader": "^2.2.3",
    "graphql": "^16.8.0"
  }
}
`,
    );
  });

  it('a package.json without dependencies gets the list at its end, in its own indentation', () => {
    const root = join(dir, 'tabs');
    mkdirSync(root, { recursive: true });
    const path = join(root, 'package.json');
    writeFileSync(path, manifest({ name: 'tabs', scripts: { start: 'node src/server.js' } }, '\t'));
    const edits = fixEdits(join(root, 'src', 'resolvers.js'), root);
    assert.equal(
      applied(path, edits),
      '{\n\t"name": "tabs",\n\t"scripts": {\n\t\t"start": "node src/server.js"\n\t},\n\t"dependencies": {\n\t\t"dataloader": "^2.2.3"\n\t}\n}\n',
    );
  });

  it('no edit when any dependency list has it already, or the file is not in the layout npm writes', () => {
    const root = join(dir, 'has');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), manifest({ name: 'has', devDependencies: { dataloader: '^2.0.0' } }));
    assert.deepEqual(
      fixEdits(join(root, 'src', 'resolvers.js'), root).filter((e) => e.file.endsWith('package.json')),
      [],
    );
    const odd = join(dir, 'odd');
    mkdirSync(odd, { recursive: true });
    writeFileSync(join(odd, 'package.json'), '{ "name": "odd", "dependencies": { "pg": "^8.0.0" } }\n');
    assert.deepEqual(
      fixEdits(join(odd, 'src', 'resolvers.js'), odd).filter((e) => e.file.endsWith('package.json')),
      [],
    );
  });

  it('never above the workspace folder; without a workspace, the first package.json up the file’s directories', () => {
    const parent = join(dir, 'parent');
    const root = join(parent, 'workspace');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(parent, 'package.json'), manifest({ name: 'parent' }));
    const file = join(root, 'src', 'resolvers.js');
    const inWorkspace = fixEdits(file, root);
    assert.deepEqual(
      inWorkspace.filter((e) => e.file.endsWith('package.json')),
      [],
    );
    assert.ok(
      inWorkspace.some((e) => e.file === file),
      'the code is still fixed',
    );
    const noWorkspace = fixEdits(file, undefined);
    assert.deepEqual(
      noWorkspace.filter((e) => e.file.endsWith('package.json')).map((e) => e.file),
      [join(parent, 'package.json')],
    );
  });
});
