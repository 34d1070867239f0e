// ORM eager loading for a relation walked per element of rows read just before: Prisma `include` and Mongoose
// `populate`, compiled (strict) against the real typings (the Prisma client generated offline), the rule silent after.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { generatePrismaClient } from './prismaClient';

const ORIGINAL: Record<string, string> = {
  prisma: `import { PrismaClient } from './generated/prisma-client';\n\nconst prisma = new PrismaClient();\n\nexport async function titlesByAuthor() {\n  const users = await prisma.user.findMany({ where: { name: { startsWith: 'A' } } });\n  const out: string[][] = [];\n  for (const user of users) {\n    const posts = await prisma.user.findUnique({ where: { id: user.id } }).posts();\n    out.push((posts ?? []).map((p) => p.title));\n  }\n  return out;\n}\n`,
  mongoose: `import mongoose from 'mongoose';\n\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\nconst Comment = mongoose.model('Comment', new mongoose.Schema({ body: String, author: { type: mongoose.Schema.Types.ObjectId, ref: 'User' } }));\n\nexport async function withAuthors(postId: string) {\n  const comments = await Comment.find({ post: postId }).sort({ _id: 1 });\n  for (const comment of comments) {\n    await comment.populate('author');\n  }\n  return comments;\n}\nvoid User;\n`,
};

describe('n-plus-one eager loading', () => {
  let sandbox: FixSandbox;
  const fixed: Record<string, string> = {};

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL)) fixed[`${name}.ts`] = batchedByRule(code, 'Load');
    sandbox = await startFixSandbox('pa-eager-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    generatePrismaClient(sandbox.dir);
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('the parent read loads the relation and the loop reads what was loaded', () => {
    assert.match(
      fixed['prisma.ts']!,
      /prisma\.user\.findMany\(\{ where: \{ name: \{ startsWith: 'A' \} \}, include: \{ posts: true \} \}\)/,
    );
    assert.match(fixed['prisma.ts']!, /const posts = user\.posts;/);
    assert.match(
      fixed['mongoose.ts']!,
      /Comment\.find\(\{ post: postId \}\)\.populate\('author'\)\.sort\(\{ _id: 1 \}\)/,
    );
    assert.doesNotMatch(fixed['mongoose.ts']!, /comment\.populate/);
  });

  it('every rewritten file compiles under strict TypeScript against the library’s own typings', () => {
    const names = Object.keys(fixed);
    assert.deepEqual(sandbox.compile([...names, ...names.map((f) => f.replace('.ts', 'Loop.ts'))]), []);
  });
});
