// The n-plus-one update batch on real code: every rewrite compiles (strict) against its library's typings (a Prisma
// client generated offline, pg, Sequelize, Mongoose, TypeORM), and on a real PostgreSQL the pg and Sequelize batches
// leave the same rows as the loop — per-row values with a key twice (the last wins), missing ids, NULLs, timestamps.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from '../rules/fixSandbox';
import { batchedByRule } from '../rules/batchedByRule';
import { routeCallers } from '../rules/origins';
import { generatePrismaClient } from '../rules/prismaClient';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const people = `{ id: number; name: string | null; score: number }[]`;
const ORIGINAL: Record<string, string> = {
  pg: `import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.PA_PG_URL, max: 2 });\n\nexport async function rename(people: ${people}) {\n  for (const person of people) {\n    await pool.query('UPDATE people SET name = $1, score = $2, seen = now() WHERE id = $3', [person.name, person.score, person.id]);\n  }\n}\n\nexport async function retire(ids: number[]) {\n  await Promise.all(ids.map((id) => pool.query('UPDATE people SET score = $1 WHERE id = $2', [0, id])));\n}\n`,
  sequelize: `import { Sequelize, DataTypes, Model } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });\nclass Person extends Model {\n  declare id: number;\n  declare name: string | null;\n  declare score: number;\n}\nPerson.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING, score: DataTypes.INTEGER }, { sequelize, tableName: 'people', timestamps: false });\n\nexport async function retire(people: { id: number }[]) {\n  for (const person of people) await Person.update({ score: -1 }, { where: { id: person.id } });\n}\n`,
  prisma: `import { PrismaClient } from './generated/prisma-client';\n\nconst prisma = new PrismaClient();\n\nexport async function retitle(posts: { id: number; title: string }[]) {\n  await Promise.all(posts.map((post, i) => prisma.post.update({ where: { id: post.id }, data: { title: \`\${i}. \${post.title}\` } })));\n}\n\nexport async function rename(ids: number[]) {\n  for (const id of ids) await prisma.user.update({ where: { id }, data: { name: 'anonymous' } });\n}\n`,
  mongoose: `import mongoose from 'mongoose';\n\nconst Review = mongoose.model('Review', new mongoose.Schema({ stars: Number }));\n\nexport async function rate(reviews: { id: string; stars: number }[]) {\n  for (const review of reviews) await Review.updateOne({ _id: review.id }, { stars: review.stars });\n}\n`,
  typeorm: `import { DataSource, Entity, PrimaryColumn, Column } from 'typeorm';\n\n@Entity()\nexport class User {\n  @PrimaryColumn() id!: string;\n  @Column() active!: boolean;\n}\nconst dataSource = new DataSource({ type: 'postgres', entities: [User] });\nconst users = dataSource.getRepository(User);\n\nexport async function activate(list: { id: string }[]) {\n  for (const item of list) await users.update({ id: item.id }, { active: true });\n}\n`,
};

describe('n-plus-one update batches', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  let admin: Pool;
  const fixed: Record<string, string> = {};
  type Loaded = Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Loaded;
  const fn = (name: string, exported: string) => load(name)[exported] as (arg: unknown[]) => Promise<unknown>;

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL))
      fixed[`${name}.ts`] = batchedByRule(code, 'Batch', routeCallers(code));
    sandbox = await startFixSandbox('pa-update-batch-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    generatePrismaClient(sandbox.dir);
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    admin = new Pool({ connectionString: postgres.url });
    await admin.query(`CREATE TABLE people (id int PRIMARY KEY, name text, score int, seen timestamptz)`);
  });

  after(async () => {
    for (const name of ['pg', 'pgLoop']) await (load(name).pool as Pool | undefined)?.end();
    for (const name of ['sequelize', 'sequelizeLoop'])
      await (load(name).sequelize as { close(): Promise<void> } | undefined)?.close();
    await admin?.end();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('every rewritten file compiles under strict TypeScript against the library’s own typings', () => {
    const names = Object.keys(fixed);
    const files = [...names, ...names.map((f) => f.replace('.ts', 'Loop.ts'))];
    assert.deepEqual(sandbox.compile(files, { ...STRICT_COMMONJS, experimentalDecorators: true }), []);
  });

  it('per-row data is never sent as one updateMany; the same data is', () => {
    assert.doesNotMatch(fixed['prisma.ts']!, /post\.updateMany/);
    assert.match(fixed['prisma.ts']!, /await prisma\.\$transaction\(postUpdates\);/);
    assert.match(
      fixed['prisma.ts']!,
      /prisma\.user\.updateMany\(\{ where: \{ id: \{ in: userIds \} \}, data: \{ name: 'anonymous' \} \}\)/,
    );
    assert.match(fixed['mongoose.ts']!, /await Review\.bulkWrite\(reviewUpdates\);/);
    assert.match(fixed['typeorm.ts']!, /await users\.update\(\{ id: In\(userIds\) \}, \{ active: true \}\);/);
  });

  async function rowsAfter(run: () => Promise<unknown>): Promise<unknown[]> {
    await admin.query(`TRUNCATE people`);
    await admin.query(`INSERT INTO people (id, name, score) SELECT i, 'p' || i, i FROM generate_series(1, 5) AS i`);
    await run();
    return (await admin.query(`SELECT id, name, score, seen IS NOT NULL AS seen FROM people ORDER BY id`)).rows;
  }

  it('pg: one UPDATE … FROM leaves the same rows as the loop: a key twice (last wins), a missing id, a NULL', async () => {
    const list = [
      { id: 2, name: 'Ada', score: 10 },
      { id: 9, name: 'nobody', score: 1 },
      { id: 4, name: null, score: 7 },
      { id: 2, name: 'Ada L.', score: 11 },
    ];
    const batched = await rowsAfter(() => fn('pg', 'rename')(list));
    assert.deepEqual(batched, await rowsAfter(() => fn('pgLoop', 'rename')(list)));
    assert.deepEqual(batched[1], { id: 2, name: 'Ada L.', score: 11, seen: true });
    assert.deepEqual(batched[3], { id: 4, name: null, score: 7, seen: true });
    assert.deepEqual(await rowsAfter(() => fn('pg', 'rename')([])), await rowsAfter(async () => undefined));
  });

  it('pg: the same values for every key → one ANY($2) update, duplicates and missing ids as in the loop', async () => {
    const ids = [3, 1, 3, 42];
    const batched = await rowsAfter(() => fn('pg', 'retire')(ids));
    assert.deepEqual(batched, await rowsAfter(() => fn('pgLoop', 'retire')(ids)));
    assert.deepEqual(
      batched.map((r) => (r as { score: number }).score),
      [0, 2, 0, 4, 5],
    );
  });

  it('Sequelize: one update with Op.in leaves the same rows as the loop', async () => {
    const list = [{ id: 5 }, { id: 1 }, { id: 5 }, { id: 77 }];
    const batched = await rowsAfter(() => fn('sequelize', 'retire')(list));
    assert.deepEqual(batched, await rowsAfter(() => fn('sequelizeLoop', 'retire')(list)));
    assert.deepEqual(
      batched.map((r) => (r as { score: number }).score),
      [-1, 2, 3, 4, -1],
    );
  });
});
