// The n-plus-one write batch: one write per element becomes one write of all rows. Every rewrite compiles (strict)
// against its library's typings (a Prisma client generated offline); on a real PostgreSQL the pg multi-row VALUES
// (plain, DO NOTHING, DO UPDATE with a key twice) and knex insert leave the same rows as the loop, missing values NULL.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { routeCallers } from './origins';
import { generatePrismaClient } from './prismaClient';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const people = `{ id: number; name: string | null }[]`;
const ORIGINAL: Record<string, string> = {
  pg: `import { Pool } from 'pg';\n\nexport const pool = new Pool({ connectionString: process.env.PA_PG_URL, max: 2 });\n\nexport async function addPeople(people: ${people}) {\n  for (const person of people) {\n    await pool.query('INSERT INTO people (id, name) VALUES ($1, $2)', [person.id, person.name]);\n  }\n}\n\nexport async function upsertPeople(people: ${people}) {\n  for (const person of people)\n    await pool.query('INSERT INTO people (id, name, seen) VALUES ($1, $2, now()) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name', [person.id, person.name]);\n}\n\nexport async function addTags(tags: string[]) {\n  await Promise.all(tags.map((tag) => pool.query("INSERT INTO tags (label) VALUES ($1) ON CONFLICT DO NOTHING", [tag])));\n}\n`,
  knex: `import knex from 'knex';\n\nexport const db = knex({ client: 'pg', connection: process.env.PA_PG_URL, pool: { min: 0, max: 2 } });\n\nexport async function addPeople(people: { id: number; name?: string }[]) {\n  for (const person of people) await db('people').insert({ id: person.id, name: person.name });\n}\n`,
  sequelize: `import { Sequelize, DataTypes, Model } from 'sequelize';\n\nexport const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });\nclass Person extends Model {\n  declare id: number;\n  declare name: string | null;\n}\nPerson.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING }, { sequelize, tableName: 'people', timestamps: false });\n\nexport async function addPeople(people: ${people}) {\n  for (const person of people) await Person.create({ id: person.id, name: person.name });\n}\n`,
  mongoose: `import mongoose from 'mongoose';\n\nconst Review = mongoose.model('Review', new mongoose.Schema({ product: String, stars: Number }));\n\nexport async function addReviews(reviews: { product: string; stars: number }[]) {\n  await Promise.all(reviews.map((review) => Review.create({ product: review.product, stars: review.stars })));\n}\n`,
  mongodb: `import { MongoClient } from 'mongodb';\n\nconst client = new MongoClient(process.env.MONGO_URL!);\nconst events = client.db('shop').collection<{ kind: string; at: Date }>('events');\n\nexport async function record(kinds: string[]) {\n  for (const kind of kinds) await events.insertOne({ kind, at: new Date() });\n}\n`,
  typeorm: `import { DataSource, Entity, PrimaryColumn, Column } from 'typeorm';\n\n@Entity()\nexport class User {\n  @PrimaryColumn() id!: string;\n  @Column() name!: string;\n}\nconst dataSource = new DataSource({ type: 'postgres', entities: [User] });\nconst users = dataSource.getRepository(User);\n\nexport async function addUsers(list: { id: string; name: string }[]) {\n  for (const item of list) await users.insert({ id: item.id, name: item.name });\n}\n\nexport async function saveUsers(list: User[]) {\n  for (const user of list) await users.save(user);\n}\n`,
  prisma: `import { PrismaClient } from './generated/prisma-client';\n\nconst prisma = new PrismaClient();\n\nexport async function addUsers(list: { email: string; name: string }[]) {\n  for (const item of list) {\n    await prisma.user.create({ data: { email: item.email, name: item.name } });\n  }\n}\n`,
};

describe('n-plus-one write batches', () => {
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
    sandbox = await startFixSandbox('pa-write-batch-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    generatePrismaClient(sandbox.dir);
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE people (id int PRIMARY KEY, name text, city text DEFAULT 'unknown', seen timestamptz);
      CREATE TABLE tags (label text PRIMARY KEY);
    `);
  });

  after(async () => {
    for (const name of ['pg', 'pgLoop']) await (load(name).pool as Pool | undefined)?.end();
    for (const name of ['knex', 'knexLoop'])
      await (load(name).db as { destroy(): Promise<void> } | undefined)?.destroy();
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

  it('writes each library’s batch write', () => {
    assert.match(
      fixed['prisma.ts']!,
      /if \(userRows\.length > 0\) await prisma\.user\.createMany\(\{ data: userRows \}\);/,
    );
    assert.match(
      fixed['sequelize.ts']!,
      /await Person\.bulkCreate\(personRows, \{ validate: true, individualHooks: true \}\)/,
    );
    assert.match(
      fixed['mongoose.ts']!,
      /const reviewRows = reviews\.map\(\(review\) => \(\{ product: review\.product, stars: review\.stars \}\)\);/,
    );
    assert.match(fixed['mongoose.ts']!, /await Review\.insertMany\(reviewRows\)/);
    assert.match(fixed['mongodb.ts']!, /await events\.insertMany\(eventRows\)/);
    assert.match(fixed['typeorm.ts']!, /await users\.insert\(userRows\)/);
    assert.match(
      fixed['typeorm.ts']!,
      /const userRows2 = Array\.from\(list\);\n\s+if \(userRows2\.length > 0\) await users\.save\(userRows2\);/,
    );
    assert.match(fixed['knex.ts']!, /await db\('people'\)\.insert\(peopleRows\)/);
    assert.match(
      fixed['pg.ts']!,
      /VALUES \$\{chunk\.map\(\(_, r\) => `\(\$\$\{r \* 2 \+ 1\}, \$\$\{r \* 2 \+ 2\}\)`\)\.join\(', '\)\}`, chunk\.flat\(\)\)/,
    );
    assert.match(fixed['pg.ts']!, /ON CONFLICT \(id\) DO UPDATE SET name = EXCLUDED\.name`/);
    assert.match(
      fixed['pg.ts']!,
      /new Map\(Array\.from\(people, \(person\) => \[JSON\.stringify\(\[person\.id\]\), \[person\.id, person\.name\]\] as const\)\)/,
    );
  });

  async function rowsAfter(run: () => Promise<unknown>, table = 'people'): Promise<unknown[]> {
    await admin.query(`TRUNCATE ${table}`);
    await run();
    const order = table === 'people' ? 'id' : 'label';
    const columns = table === 'people' ? 'id, name, city, seen IS NOT NULL AS seen' : 'label';
    return (await admin.query(`SELECT ${columns} FROM ${table} ORDER BY ${order}`)).rows;
  }

  it('pg: the multi-row INSERT leaves the same rows as the loop, a null value stays NULL, over several chunks', async () => {
    const list = Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, name: i % 7 === 0 ? null : `p${i}` }));
    const batched = await rowsAfter(() => fn('pg', 'addPeople')(list));
    assert.deepEqual(batched, await rowsAfter(() => fn('pgLoop', 'addPeople')(list)));
    assert.equal(batched.length, 2500);
    assert.deepEqual(batched[0], { id: 1, name: null, city: 'unknown', seen: false });
    assert.deepEqual(await rowsAfter(() => fn('pg', 'addPeople')([])), []);
  });

  it('pg: an upsert with a key twice keeps the last row, as the loop did', async () => {
    const list = [
      { id: 1, name: 'Ada' },
      { id: 2, name: null },
      { id: 1, name: 'Ada L.' },
      { id: 3, name: 'Edsger' },
    ];
    const seed = () => admin.query("INSERT INTO people (id, name) VALUES (3, 'old')");
    const batched = await rowsAfter(async () => (await seed(), fn('pg', 'upsertPeople')(list)));
    assert.deepEqual(batched, await rowsAfter(async () => (await seed(), fn('pgLoop', 'upsertPeople')(list))));
    assert.deepEqual(
      batched.map((r) => (r as { name: string | null }).name),
      ['Ada L.', null, 'Edsger'],
    );
  });

  it('pg: ON CONFLICT DO NOTHING with duplicates inserts each label once, as the loop did', async () => {
    const tags = ['b', 'a', 'b', 'c', 'a'];
    const batched = await rowsAfter(() => fn('pg', 'addTags')(tags), 'tags');
    assert.deepEqual(batched, await rowsAfter(() => fn('pgLoop', 'addTags')(tags), 'tags'));
    assert.equal(batched.length, 3);
  });

  it('knex: one insert of all rows leaves the same rows as the loop, a missing value stays NULL', async () => {
    const list = [{ id: 5, name: 'Grace' }, { id: 6 }, { id: 7, name: 'Alan' }];
    const batched = await rowsAfter(() => fn('knex', 'addPeople')(list));
    assert.deepEqual(batched, await rowsAfter(() => fn('knexLoop', 'addPeople')(list)));
    assert.deepEqual(batched[1], { id: 6, name: null, city: 'unknown', seen: false });
  });

  it('Sequelize: bulkCreate leaves the same rows as the loop', async () => {
    const list = [
      { id: 9, name: 'Barbara' },
      { id: 8, name: null },
    ];
    const batched = await rowsAfter(() => fn('sequelize', 'addPeople')(list));
    assert.deepEqual(batched, await rowsAfter(() => fn('sequelizeLoop', 'addPeople')(list)));
    assert.equal(batched.length, 2);
  });
});
