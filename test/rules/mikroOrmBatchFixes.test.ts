// The n-plus-one batch rewrite for MikroORM (`em.find(Entity, { key: { $in } })` + a lookup map): compiled (strict)
// against MikroORM 6's own typings and run on a real PostgreSQL next to the loop it replaces — same answers, missing
// ids null as `findOne` gave, duplicates and order kept, groups per key (sorted: neither form orders them); an
// `orderBy` option stays on the batched find, so `findOne`'s first row and each group's order are the loop's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { routeCallers } from './origins';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const ORIGINAL = `import { EntitySchema, MikroORM } from '@mikro-orm/postgresql';

export interface Customer {
  id: number;
  name: string;
}
export const CustomerSchema = new EntitySchema<Customer>({
  name: 'Customer',
  tableName: 'customers',
  properties: { id: { type: 'number', primary: true }, name: { type: 'string' } },
});

export interface Shipment {
  id: number;
  orderId: number;
  carrier: string;
}
export const ShipmentSchema = new EntitySchema<Shipment>({
  name: 'Shipment',
  tableName: 'shipments',
  properties: {
    id: { type: 'number', primary: true },
    orderId: { type: 'number', fieldName: 'order_id' },
    carrier: { type: 'string' },
  },
});

export const orm = MikroORM.init({
  clientUrl: process.env.PA_PG_URL,
  entities: [CustomerSchema, ShipmentSchema],
  pool: { min: 0, max: 2 },
  discovery: { warnWhenNoEntities: false },
});

export async function names(ids: number[]) {
  const em = (await orm).em.fork();
  const out: (string | undefined)[] = [];
  for (const id of ids) {
    const customer = await em.findOne(CustomerSchema, { id });
    out.push(customer?.name);
  }
  return out;
}

export async function carriers(orderIds: number[]) {
  const em = (await orm).em.fork();
  const out: string[][] = [];
  for (const orderId of orderIds) {
    const rows = await em.find(ShipmentSchema, { orderId });
    out.push(rows.map((row) => row.carrier).sort());
  }
  return out;
}

export async function latestCarriers(orderIds: number[]) {
  const em = (await orm).em.fork();
  const out: (string | undefined)[] = [];
  for (const orderId of orderIds) {
    const latest = await em.findOne(ShipmentSchema, { orderId }, { orderBy: { id: 'desc' } });
    out.push(latest?.carrier);
  }
  return out;
}

export async function carriersByName(orderIds: number[]) {
  const em = (await orm).em.fork();
  const out: string[][] = [];
  for (const orderId of orderIds) {
    const rows = await em.find(ShipmentSchema, { orderId }, { orderBy: { carrier: 'desc' } });
    out.push(rows.map((row) => row.carrier));
  }
  return out;
}
`;

describe('n-plus-one batch rewrite of MikroORM entity manager reads', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  let fixed = '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
  const load = (name: string) => require(join(sandbox.dir, `${name}.js`)) as Record<string, unknown>;
  const fn = (name: string, exported: string) => load(name)[exported] as (arg: unknown[]) => Promise<unknown>;

  before(async () => {
    fixed = batchedByRule(ORIGINAL, 'Batch', routeCallers(ORIGINAL));
    sandbox = await startFixSandbox('pa-mikro-batch-', { 'mikro.ts': fixed, 'mikroLoop.ts': ORIGINAL });
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
    for (const name of ['mikro', 'mikroLoop']) {
      const orm = load(name).orm as Promise<{ close(force?: boolean): Promise<void> }> | undefined;
      await (await orm)?.close(true);
    }
    await sandbox?.stop();
    await postgres?.stop();
  });

  it('compiles under strict TypeScript against MikroORM’s own typings', () => {
    assert.deepEqual(sandbox.compile(['mikro.ts', 'mikroLoop.ts']), []);
  });

  it('writes one $in read per loop', () => {
    assert.match(fixed, /await em\.find\(CustomerSchema, \{ id: \{ \$in: customerSchemaKeys \} \}\)/);
    assert.match(fixed, /em\.find\(ShipmentSchema, \{ orderId: \{ \$in: shipmentSchemaKeys \} \}/);
    assert.doesNotMatch(fixed, /findOne\(CustomerSchema, \{ id \}\)/);
    assert.match(fixed, /\$in: shipmentSchemaKeys2 \} \}, \{ orderBy: \{ id: 'desc' \} \}\)/);
  });

  it('keeps an orderBy option: findOne’s first row per key and each key’s rows in that order', async () => {
    const orderIds = [12, 10, 13, 10, 11];
    const latest = await fn('mikro', 'latestCarriers')(orderIds);
    assert.deepEqual(latest, await fn('mikroLoop', 'latestCarriers')(orderIds));
    assert.deepEqual(latest, ['DHL', 'UPS', undefined, 'UPS', 'UPS']);
    const byName = await fn('mikro', 'carriersByName')(orderIds);
    assert.deepEqual(byName, await fn('mikroLoop', 'carriersByName')(orderIds));
    assert.deepEqual(byName, [['DHL'], ['UPS', 'FedEx', 'DHL'], [], ['UPS', 'FedEx', 'DHL'], ['UPS']]);
  });

  it('gives the loop’s answers: null for a missing id, duplicates and order kept, groups per key', async () => {
    const ids = [3, 1, 4, 1, 2, 99];
    const answers = await fn('mikro', 'names')(ids);
    assert.deepEqual(answers, await fn('mikroLoop', 'names')(ids));
    assert.deepEqual(answers, ['Edsger', 'Ada', undefined, 'Ada', 'Grace', undefined]);
    const orderIds = [12, 10, 13, 10, 11];
    const groups = await fn('mikro', 'carriers')(orderIds);
    assert.deepEqual(groups, await fn('mikroLoop', 'carriers')(orderIds));
    assert.deepEqual(groups, [['DHL'], ['DHL', 'FedEx', 'UPS'], [], ['DHL', 'FedEx', 'UPS'], ['UPS']]);
  });
});
