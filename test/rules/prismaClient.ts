// A Prisma client generated offline (no engines downloaded) from a small schema, for compiling fixed Prisma code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PRISMA_SCHEMA = `generator client {\n  provider = "prisma-client-js"\n  output   = "../generated/prisma-client"\n}\n\ndatasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  name  String\n  posts Post[]\n}\n\nmodel Post {\n  id       Int    @id @default(autoincrement())\n  title    String\n  authorId Int\n  author   User   @relation(fields: [authorId], references: [id])\n}\n`;

/** Generates the Prisma client of PRISMA_SCHEMA into `dir/generated`, offline (no engines are downloaded). */
export function generatePrismaClient(dir: string): void {
  mkdirSync(join(dir, 'prisma'), { recursive: true });
  writeFileSync(join(dir, 'prisma/schema.prisma'), PRISMA_SCHEMA);
  const repoRoot = join(__dirname, '..', '..');
  const generated = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/prisma/build/index.js'), 'generate', '--schema', 'prisma/schema.prisma'],
    {
      cwd: dir,
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
}
