// unbounded-read's Prisma fixes (first page, paginate, count) compile strict against a Prisma client generated here
// (offline) from a small schema: the inserted `take`/`skip`, the added `page` parameter and `count` fit its types.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyseCaseInSession, applyFix, editsOf } from './ruleTester';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';

const FILE = '/project/src/case.ts';
const SCHEMA = `generator client {
  provider = "prisma-client-js"
  output   = "../generated/prisma-client"
}

datasource db {
  provider = "postgresql"
}

model User {
  id     Int     @id
  name   String
  role   String
  active Boolean
}
`;

const prisma = "import { PrismaClient } from '@prisma/client';\n\nconst prisma = new PrismaClient();\n\n";
/** A Request handler making `call`: unbounded-read reports only reads a request reaches. */
const handler = (call: string) =>
  `export const handleRequest = (${call.includes('request') ? 'request' : '_request'}: Request) => ${call};\n`;
const CASES: Record<string, { code: string; title: RegExp }> = {
  firstPage: {
    code: `${prisma}export const admins = () => prisma.user.findMany({ where: { role: 'admin' } });\n${handler('admins()')}`,
    title: /^Add `take/,
  },
  paginate: {
    code: `${prisma}export async function byRole(role: string) {\n  return prisma.user.findMany({ where: { role }, orderBy: { id: 'asc' } });\n}\n${handler('byRole(request.url)')}`,
    title: /^Paginate:/,
  },
  paginateOptional: {
    code: `${prisma}export const search = (opts: { name: string; page?: number }) => prisma.user.findMany({ where: { name: opts.name } });\n${handler('search({ name: request.url })')}`,
    title: /^Paginate:/,
  },
  count: {
    code: `${prisma}export async function activeCount(active: boolean): Promise<number> {\n  const users = await prisma.user.findMany({ where: { active } });\n  return users.length;\n}\n${handler("activeCount(request.url !== '')")}`,
    title: /^Count on the server/,
  },
};

function applied(code: string, title: RegExp): string {
  const { session, findings } = analyseCaseInSession({ code }, 'unbounded-read');
  assert.equal(findings.length, 1, code);
  const fix = findings[0]!.fixes.find((f) => title.test(f.title));
  assert.ok(fix, `${title} in ${findings[0]!.fixes.map((f) => f.title).join(' | ')}`);
  return applyFix(code, editsOf(session, FILE, fix), FILE);
}

describe('unbounded-read Prisma fixes compile against a generated client', () => {
  let sandbox: FixSandbox;
  const fixed: Record<string, string> = {};

  before(async () => {
    for (const [name, { code, title }] of Object.entries(CASES)) fixed[`${name}.ts`] = applied(code, title);
    sandbox = await startFixSandbox('pa-prisma-unbounded-', fixed);
    mkdirSync(join(sandbox.dir, 'prisma'));
    writeFileSync(join(sandbox.dir, 'prisma/schema.prisma'), SCHEMA);
    const generated = spawnSync(
      process.execPath,
      [join(sandbox.dir, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'prisma/schema.prisma'],
      {
        cwd: sandbox.dir,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
          PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      },
    );
    assert.equal(generated.status, 0, `prisma generate failed: ${generated.stderr}${generated.stdout}`);
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('inserts the forms', () => {
    assert.match(fixed['paginate.ts']!, /byRole\(role: string, page = 0\)/);
    assert.match(fixed['paginate.ts']!, /orderBy: \{ id: 'asc' \}, take: 100, skip: page \* 100 \}/);
    assert.match(fixed['paginateOptional.ts']!, /take: 100, skip: \(opts\.page \?\? 0\) \* 100 \}/);
    assert.match(
      fixed['count.ts']!,
      /const usersCount = await prisma\.user\.count\(\{ where: \{ active \} \}\);\n  return usersCount;/,
    );
  });

  it('compiles (strict) with zero errors', () => {
    const options = {
      ...STRICT_COMMONJS,
      noEmit: true,
      baseUrl: sandbox.dir,
      paths: { '@prisma/client': ['generated/prisma-client'] },
    };
    assert.deepEqual(sandbox.compile(Object.keys(fixed), options), []);
  });
});
