// Spec tests for the evidence unbounded-read needs before it reports: a kind that grows with use or a whole-table read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseCase, dedent } from './ruleTester';

const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const mongoose =
  "'use server';\nimport mongoose from 'mongoose';\nconst Group = mongoose.model('Group', new mongoose.Schema({}));\nconst Message = mongoose.model('Message', new mongoose.Schema({}));\nconst Profile = mongoose.model('Profile', new mongoose.Schema({}));\n";
const mongodb =
  "'use server';\nimport { MongoClient } from 'mongodb';\nconst db = new MongoClient('mongodb://db').db('shop');\n";
const drizzle =
  "'use server';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { and, eq } from 'drizzle-orm';\nconst db = drizzle(process.env.DATABASE_URL!);\ndeclare const machines: any;\ndeclare const CLOUD: boolean;\n";
const objection =
  "'use server';\nimport { Model } from 'objection';\nclass Account extends Model { static tableName = 'account'; }\n";
const typeorm =
  "'use server';\nimport { DataSource } from 'typeorm';\nconst db = new DataSource({ type: 'postgres' });\n";
const knex = "'use server';\nimport knex from 'knex';\nconst db = knex({ client: 'pg' });\n";
const pg = "'use server';\nimport { Pool } from 'pg';\nconst pool = new Pool();\n";
const expressMongoose =
  "import express from 'express';\nimport mongoose from 'mongoose';\nconst Message = mongoose.model('Message', new mongoose.Schema({}));\nconst router = express.Router();\n";

/** The unbounded-read messages a piece of code gets. */
function reported(code: string): string[] {
  return analyseCase({ code }, 'unbounded-read').map((f) => f.message);
}

describe('unbounded-read: a read pinned to one entity reports only rows that grow with use', () => {
  const silent: [string, string][] = [
    [
      "a project's groups, keyed by a lower-case id held in a `var` filled in later",
      dedent`
        ${mongoose}
        export function groups(req: { projectid: string; member?: string }) {
          var query: any = { id_project: req.projectid, trashed: false };
          if (req.member) query.members = { $in: [req.member] };
          return Group.find(query);
        }
      `,
    ],
    [
      "a product's variants, by an id in a column not named like a key",
      dedent`
        ${mongodb}
        export const variants = (product: { _id: string }) =>
          db.collection('Products').find({ ancestors: product._id, type: 'variant' }).toArray();
      `,
    ],
    [
      "a product's variants, by an id converted to an ObjectId",
      dedent`
        ${mongodb}
        import { ObjectId } from 'mongodb';
        export const variants = (productId: string) =>
          db.collection('Products').find({ ancestors: new ObjectId(productId), type: 'variant' }).toArray();
      `,
    ],
    [
      "an org's machines, in either branch of a conditional filter",
      dedent`
        ${drizzle}
        export const list = (orgId: string) =>
          db.query.machines.findMany({
            where: CLOUD ? and(eq(machines.orgId, orgId), eq(machines.status, 'on')) : eq(machines.orgId, orgId),
          });
      `,
    ],
    [
      'schedules of one service, by a condition picked from a table of them',
      dedent`
        ${drizzle}
        export function list(input: { id: string; kind: 'app' | 'server' }) {
          const where = { app: eq(machines.appId, input.id), server: eq(machines.serverId, input.id) };
          return db.query.machines.findMany({ where: where[input.kind] });
        }
      `,
    ],
    [
      "a user's organizations, by a callback condition",
      dedent`
        ${drizzle}
        export const mine = (user: { id: string }) =>
          db.query.machines.findMany({ where: (m: any) => and(eq(m.ownerRef, user.id), eq(m.status, 'on')) });
      `,
    ],
    [
      "a project's agents, by a filter assigned in either branch",
      dedent`
        ${mongoose}
        export function agents(req: { projectid: string; role?: string[] }) {
          var query: any;
          if (req.role) query = { id_project: req.projectid, role: { $in: req.role } };
          else query = { id_project: req.projectid, kind: 'agent' };
          return Group.find(query);
        }
      `,
    ],
  ];
  for (const [name, code] of silent) it(`silent: ${name}`, () => assert.deepEqual(reported(code), []));

  it('silent: rows an INSERT in a WITH returns', () => {
    assert.deepEqual(
      reported(dedent`
        ${pg}
        export const add = (values: unknown[]) =>
          pool.query('WITH ins AS (INSERT INTO notes (body) SELECT unnest($1::text[]) RETURNING *) SELECT * FROM ins', [values]);
      `),
      [],
    );
  });

  it('silent: the child monitors of one monitor, by an SQL placeholder given an id', () => {
    assert.deepEqual(
      reported(dedent`
        ${pg}
        export const children = (monitorId: number) => pool.query('SELECT * FROM monitor WHERE parent = $1', [monitorId]);
      `),
      [],
    );
  });

  it('reports an SQL read filtered by a flag placeholder', () => {
    const messages = reported(dedent`
      ${pg}
      export const open = (available: boolean) => pool.query('SELECT * FROM pools WHERE available = $1', [available]);
    `);
    assert.equal(messages.length, 1);
  });

  it('reports the messages of one conversation, named by an id value', () => {
    const messages = reported(dedent`
      ${mongoose}
      export const thread = (requestId: string) => Message.find({ recipient: requestId });
    `);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /reads every matching row/);
  });

  it('reports one user’s notifications (a kind that piles up)', () => {
    const messages = reported(dedent`
      ${prisma}
      export const inbox = (userId: string) => prisma.notification.findMany({ where: { userId } });
    `);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /pile up with use/);
  });

  it('still reports a whole-table read of an admin-managed kind, filtered only by a flag', () => {
    const messages = reported(dedent`
      ${prisma}
      export const open = () => prisma.pool.findMany({ where: { available: true } });
    `);
    assert.equal(messages.length, 1);
  });
});

describe('unbounded-read: filters that pick one row or a few', () => {
  it('a pipeline that matches configured usernames and samples one', () => {
    assert.deepEqual(
      reported(dedent`
        ${mongoose}
        export const random = (usernames: string[]) =>
          Profile.aggregate([{ $match: { username: { $in: usernames } } }, { $sample: { size: 1 } }]);
      `),
      [],
    );
  });

  it('a pipeline whose $match names a unique key', () => {
    assert.deepEqual(
      reported(dedent`
        ${mongoose}
        export const one = (username: string) =>
          Profile.aggregate([{ $match: { username } }, { $project: { events: 1 } }, { $unwind: '$events' }]);
      `),
      [],
    );
  });

  it("a where on the model's own primary key column", () => {
    assert.deepEqual(
      reported(dedent`
        ${objection}
        export const me = (uid: string) => Account.query().where(Account.idColumn, uid).returning('*');
      `),
      [],
    );
  });

  it('a lookup by a token column', () => {
    assert.deepEqual(
      reported(dedent`
        ${prisma}
        export const byToken = (token: string) => prisma.server.findMany({ where: { metricsToken: token } });
      `),
      [],
    );
  });

  it('an IN over quoted columns and a spread parameter list', () => {
    assert.deepEqual(
      reported(dedent`
        ${typeorm}
        export const worlds = (userIds: string[]) =>
          db.createQueryBuilder().from('world', 'w').andWhere('w."userId" IN (:...userIds)', { userIds }).getRawMany();
      `),
      [],
    );
  });
});

describe('unbounded-read: filters that leave a handful of rows', () => {
  const silent: [string, string][] = [
    [
      'the notification channels of one monitor (not a person’s inbox)',
      dedent`
        ${prisma}
        export const channels = (monitorId: string) => prisma.notification.findMany({ where: { monitorId } });
      `,
    ],
    [
      'an alias looked up by its own name column',
      dedent`
        ${knex}
        export const used = (alias: string) => db('aliases').select('alias').where('alias', alias);
      `,
    ],
    [
      'the administrators of a growing users table',
      dedent`
        ${prisma}
        export const admins = () => prisma.user.findMany({ where: { isAdmin: true } });
      `,
    ],
    [
      "a filter made from the caller's filter",
      dedent`
        ${knex}
        declare function normalize(match: object): object;
        export const links = (match: object) => db('links').select('*').where(normalize(match));
      `,
    ],
  ];
  for (const [name, code] of silent) it(`silent: ${name}`, () => assert.deepEqual(reported(code), []));

  it('still reports every user of the table, filtered by a flag that is not admin', () => {
    assert.equal(
      reported(dedent`
        ${prisma}
        export const active = () => prisma.user.findMany({ where: { isActive: true } });
      `).length,
      1,
    );
  });
});

describe('unbounded-read: caps and caches upstream', () => {
  it('a builder made by a local helper that applies the limit', () => {
    assert.deepEqual(
      reported(dedent`
        ${typeorm}
        const SITEMAP_LIMIT = 500;
        const sitemapQuery = (source: DataSource) =>
          source.createQueryBuilder().select('p.slug', 'slug').from('post', 'p').limit(SITEMAP_LIMIT);
        export const sitemap = () => sitemapQuery(db).getRawMany();
      `),
      [],
    );
  });

  it('the same builder without the helper’s limit is reported', () => {
    const messages = reported(dedent`
      ${typeorm}
      const sitemapQuery = (source: DataSource) => source.createQueryBuilder().select('p.slug', 'slug').from('post', 'p');
      export const sitemap = () => sitemapQuery(db).getRawMany();
    `);
    assert.equal(messages.length, 1);
  });

  it('a whole read behind an in-process Map cache runs on a miss only', () => {
    assert.deepEqual(
      reported(dedent`
        ${prisma}
        const cache = new Map<string, unknown>();
        export async function posts() {
          const hit = cache.get('posts');
          if (hit) return hit;
          const rows = await prisma.post.findMany();
          cache.set('posts', rows);
          return rows;
        }
      `),
      [],
    );
  });

  it('a whole read behind a module-level cached value with an early return', () => {
    assert.deepEqual(
      reported(dedent`
        ${prisma}
        let cached: { at: number; rows: unknown[] } | undefined;
        export async function names() {
          if (cached && Date.now() - cached.at < 60_000) return cached.rows;
          const rows = await prisma.post.findMany({ select: { title: true } });
          cached = { at: Date.now(), rows };
          return rows;
        }
      `),
      [],
    );
  });

  it('a lookup table by its name (a reference kind)', () => {
    assert.deepEqual(
      reported(dedent`
        ${prisma}
        export const methods = () => prisma.soilAmendmentMethod.findMany();
      `),
      [],
    );
  });
});

describe('unbounded-read: documents that need every row of one thing', () => {
  it('a PDF transcript of one conversation is silent', () => {
    assert.deepEqual(
      reported(dedent`
        ${expressMongoose}
        router.get('/:requestid/messages.pdf', async (req, res) => {
          const messages = await Message.find({ recipient: req.params.requestid }).sort({ createdAt: 'asc' }).exec();
          res.json(messages);
        });
      `),
      [],
    );
  });

  it('a plain-text transcript served as a file is silent', () => {
    assert.deepEqual(
      reported(dedent`
        ${expressMongoose}
        router.get('/:requestid/messages.txt', async (req, res) => {
          const messages = await Message.find({ recipient: req.params.requestid }).exec();
          res.send(messages.map((m: any) => m.text).join('\\n'));
        });
      `),
      [],
    );
  });

  it('the same messages served as JSON are reported', () => {
    const messages = reported(dedent`
      ${expressMongoose}
      router.get('/:requestid/messages', async (req, res) => {
        const messages = await Message.find({ recipient: req.params.requestid }).sort({ createdAt: 'asc' }).exec();
        res.json(messages);
      });
    `);
    assert.equal(messages.length, 1);
  });
});
