// Source texts for the LSP tests, written into temporary workspaces (never into the repository).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { LspTestClient } from './harness';

/**
 * One query per user, over every row of an unbounded read: an N+1 the engine reports by default, at warning (the query
 * inside the loop is on line 7, 0-based). Nothing reaches the function, so the read itself is not an unbounded-read.
 */
export const N_PLUS_ONE = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function postsByUser() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const out = [];
  for (const u of users) {
    out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  }
  return out;
}
`;
/** 0-based line of the query inside the loop in N_PLUS_ONE. */
export const N_PLUS_ONE_LINE = 7;

/**
 * A loop over a parameter that no caller in the project fills, in code no entry point reaches: no n-plus-one by
 * default; `perfAdvisor.rules.n-plus-one.options.untracedParameters: 'possible'` reports it at info severity.
 */
export const UNTRACED_PARAMETER = `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export async function postsByUser(users: { id: number }[]) {
  const out = [];
  for (const u of users) {
    out.push(await prisma.post.findMany({ where: { authorId: u.id } }));
  }
  return out;
}
`;

/** Same service, batched: one query for all users. */
export const BATCHED = `import { PrismaClient } from '@prisma/client';
const prisma = new PrismaClient();

export async function postsByUser() {
  const users = await prisma.user.findMany({ where: { active: true } });
  return prisma.post.findMany({ where: { authorId: { in: users.map((u) => u.id) } }, take: 1000 });
}
`;

/**
 * A read of a whole table in a helper a route calls (unbounded-read reports only reads a request reaches): a
 * "take" suggestion.
 */
export const UNBOUNDED = `import express from 'express';
import { PrismaClient } from '@prisma/client';

const app = express();
const prisma = new PrismaClient();

export async function allPosts() {
  return prisma.post.findMany();
}

app.get('/posts', async (req, res) => {
  res.json(await allPosts());
});
`;

/** No round trips at all. */
export const CLEAN = `export function total(values: number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}
`;

/** Cross-file: the loop over the rows of an unbounded read is here, the query is in repo.ts (an N+1 "via" findPosts). */
export const VIA_LOOP = `import { PrismaClient } from '@prisma/client';
import { findPosts } from './repo';

const prisma = new PrismaClient();

export async function feed() {
  const users = await prisma.user.findMany({ where: { active: true } });
  const all = [];
  for (const user of users) {
    all.push(await findPosts(user.id));
  }
  return all;
}
`;
export const VIA_REPO = `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();

export function findPosts(authorId: number) {
  return prisma.post.findMany({ where: { authorId }, take: 20 });
}
`;
export const VIA_REPO_NO_QUERY = `export function findPosts(authorId: number) {
  return Promise.resolve([{ authorId }]);
}
`;

/** Writes files into a fresh temporary workspace and returns its path. */
export function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pa-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/**
 * Many service files, each with `functions` N+1 functions, for scan progress and cancellation (big enough that a scan
 * takes a while).
 */
export function manyFiles(count: number, functions = 25): Record<string, string> {
  const files: Record<string, string> = {};
  const body = N_PLUS_ONE.slice(N_PLUS_ONE.indexOf('export async function'));
  for (let i = 0; i < count; i++) {
    const parts = Array.from({ length: functions }, (_, f) => body.replace('postsByUser', `postsByUser${i}_${f}`));
    files[`src/service${i}.ts`] =
      `import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n\n${parts.join('\n')}`;
  }
  return files;
}

/**
 * For a describe block: a server over stdio on a fresh workspace holding `files`, without the start-up scan; started
 * before the block's tests, stopped (exit code 0 asserted) after them.
 */
export function serverForSuite(files: Record<string, string> = {}): {
  readonly client: LspTestClient;
  readonly root: string;
} {
  const suite = {} as { client: LspTestClient; root: string };
  before(async () => {
    suite.root = makeWorkspace(files);
    suite.client = await LspTestClient.start({
      workspace: suite.root,
      initializationOptions: { scanOnStartup: false },
    });
  });
  after(async () => {
    assert.equal(await suite.client.stop(), 0);
  });
  return suite;
}
