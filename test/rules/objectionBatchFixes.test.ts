// The n-plus-one batch rewrite for Objection models (`findByIds`, `whereIn` + a lookup map): compiled (strict) against
// objection's own typings and run on a real PostgreSQL next to the loop it replaces — same answers, missing ids
// undefined, duplicates and order kept, groups in the query's order.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { routeCallers } from './origins';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const ORIGINAL = `import Knex from 'knex';
import { Model } from 'objection';

export const db = Knex({ client: 'pg', connection: process.env.PA_PG_URL, pool: { min: 0, max: 2 } });
Model.knex(db);

export class Customer extends Model {
  static tableName = 'customers';
  id!: number;
  name!: string;
}

export class Shipment extends Model {
  static tableName = 'shipments';
  id!: number;
  order_id!: number;
  carrier!: string;
}

export async function names(ids: number[]) {
  const out: (string | undefined)[] = [];
  for (const id of ids) {
    const customer = await Customer.query().findById(id);
    out.push(customer?.name);
  }
  return out;
}

export async function carriers(orderIds: number[]) {
  const shipments = await Promise.all(
    orderIds.map(async (orderId) => Shipment.query().where('order_id', orderId).orderBy('id')),
  );
  return shipments.map((rows) => rows.map((row) => row.carrier));
}
`;

describe('n-plus-one batch rewrite of Objection model queries', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  let fixed = '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Record<string, unknown>;
  const fn = (name: string, exported: string) => load(name)[exported] as (arg: unknown[]) => Promise<unknown>;

  before(async () => {
    fixed = batchedByRule(ORIGINAL, 'Batch', routeCallers(ORIGINAL));
    sandbox = await startFixSandbox('pa-objection-batch-', { 'objection.ts': fixed, 'objectionLoop.ts': ORIGINAL });
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
      CREATE TABLE shipments (id serial PRIMARY KEY, order_id int NOT NULL, carrier text NOT NULL);
      INSERT INTO shipments (order_id, carrier) VALUES (10, 'DHL'), (11, 'UPS'), (10, 'FedEx'), (12, 'DHL'), (10, 'UPS');
    `);
    await admin.end();
  });

  after(async () => {
    for (const name of ['objection', 'objectionLoop'])
      await (load(name).db as { destroy(): Promise<void> } | undefined)?.destroy();
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('compiles under strict TypeScript against objection’s own typings', () => {
    assert.deepEqual(sandbox.compile(['objection.ts', 'objectionLoop.ts']), []);
  });

  it('writes findByIds for the primary key and whereIn for a column, one query each', () => {
    assert.match(fixed, /await Customer\.query\(\)\.findByIds\(customerKeys\)/);
    assert.match(fixed, /Shipment\.query\(\)\.whereIn\('order_id', shipmentKeys\)\.orderBy\('id'\)/);
    assert.doesNotMatch(fixed, /findById\(id\)/);
  });

  it('gives the loop’s answers: first row or undefined per id, groups in order, missing ids empty', async () => {
    const ids = [3, 1, 4, 1, 2, 99];
    const answers = await fn('objection', 'names')(ids);
    assert.deepEqual(answers, await fn('objectionLoop', 'names')(ids));
    assert.deepEqual(answers, ['Edsger', 'Ada', undefined, 'Ada', 'Grace', undefined]);
    const orderIds = [12, 10, 13, 10, 11];
    const groups = await fn('objection', 'carriers')(orderIds);
    assert.deepEqual(groups, await fn('objectionLoop', 'carriers')(orderIds));
    assert.deepEqual(groups, [['DHL'], ['DHL', 'FedEx', 'UPS'], [], ['DHL', 'FedEx', 'UPS'], ['UPS']]);
    assert.deepEqual(await fn('objection', 'names')([]), []);
  });
});
