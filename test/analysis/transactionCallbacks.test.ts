// Queries inside a transaction callback run on the handle the library hands the callback (TypeORM, MikroORM, drizzle, Kysely).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileOf, project } from './project';

function tripsIn(text: string): string[] {
  const analysis = project({ '/p/src/job.ts': text });
  return analysis.roundTrips.inFile(fileOf(analysis, '/p/src/job.ts')).map((t) => `${t.library.id}:${t.method}`);
}

test('TypeORM: the manager a DataSource transaction hands its callback runs the queries', () => {
  const trips = tripsIn(`import { DataSource } from 'typeorm';
import { User } from './entity';
export async function run(con: DataSource, ids: string[]) {
  await con.transaction(async (manager) => {
    for (const id of ids) await manager.getRepository(User).findOne({ where: { id } });
  });
  await con.manager.transaction('SERIALIZABLE', async (inner) => inner.getRepository(User).delete({ id: ids[0] }));
}
`);
  assert.deepEqual(trips, ['typeorm:findOne', 'typeorm:delete']);
});

test('MikroORM: the forked manager of em.transactional runs the queries', () => {
  const trips = tripsIn(`import { EntityManager } from '@mikro-orm/core';
export async function run(em: EntityManager, ids: number[]) {
  await em.transactional(async (tx) => {
    for (const id of ids) await tx.findOne('Book', { id });
  });
}
`);
  assert.deepEqual(trips, ['mikro-orm:findOne']);
});

test('drizzle and Kysely: the transaction handle queries like the database', () => {
  const drizzle = tripsIn(`import { drizzle } from 'drizzle-orm/node-postgres';
import { users } from './schema';
const db = drizzle(process.env.DATABASE_URL!);
export async function run() {
  await db.transaction(async (tx) => {
    await tx.select().from(users);
  });
}
`);
  assert.equal(drizzle.length, 1);
  assert.match(drizzle[0]!, /^drizzle/);
  const kysely = tripsIn(`import { Kysely } from 'kysely';
export async function run(db: Kysely<any>) {
  await db.transaction().execute(async (trx) => {
    await trx.selectFrom('person').selectAll().execute();
  });
}
`);
  assert.deepEqual(kysely, ['kysely:execute']);
});
