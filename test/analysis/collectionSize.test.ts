// How big a collection can be, from its origin: reads and their bounds, requests, literals, configuration, callers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedent } from '../rules/ruleTester';
import { expressionAt, fileOf, project } from './project';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const express = `import express from 'express';\nconst app = express();\n`;

function sizeOf(files: Record<string, string>, path: string, text: string) {
  const analysis = project(files);
  return analysis.sizeOf(fileOf(analysis, path), expressionAt(analysis, path, text));
}

describe('collection size: from reads', () => {
  const files = {
    '/app/src/orders.ts': dedent`
      ${prisma}
      export async function f(userId: string) {
        const all = await prisma.order.findMany({ where: { status: 'open' } });
        const page = await prisma.order.findMany({ take: 20 });
        const mine = await prisma.order.findMany({ where: { userId } });
        const one = await prisma.user.findUnique({ where: { id: userId }, include: { posts: true } });
        return [all, page, mine, one, one.posts, all.map((o) => o.id), all[0], all.find((o) => o.id)];
      }
    `,
  };
  const at = (text: string) => sizeOf(files, '/app/src/orders.ts', text);

  it('every matching row of a read with no bound grows, and says which read', () => {
    const size = at('all');
    assert.equal(size.kind, 'grows');
    assert.match(size.reason, /every matching row of `prisma\.order\.findMany` \(no limit\)/);
  });
  it('a read with take is a page of at most that many', () => {
    assert.deepEqual([at('page').kind, at('page').max], ['page', 20]);
  });
  it("one parent's rows grow with that parent", () => {
    assert.equal(at('mine').kind, 'grows');
    assert.match(at('mine').reason, /rows of one parent/);
  });
  it('a unique-key read is one row, and its relations are its children', () => {
    assert.equal(at('one').kind, 'one');
    assert.equal(at('one.posts').kind, 'grows');
  });
  it('map keeps the size; [0] and find take one element', () => {
    assert.equal(at('all.map((o) => o.id)').kind, 'grows');
    assert.equal(at('all[0]').kind, 'one');
    assert.equal(at('all.find((o) => o.id)').kind, 'one');
  });
  it('SQL rows: LIMIT is a page, no LIMIT grows, a primary-key filter is one row', () => {
    const sql = {
      '/app/src/db.ts': dedent`
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function f(id: string) {
          const { rows: latest } = await pool.query('SELECT * FROM events ORDER BY at DESC LIMIT 50');
          const { rows: every } = await pool.query('SELECT * FROM events');
          const byId = await pool.query('SELECT * FROM events WHERE id = $1', [id]);
          return [latest, every, byId.rows];
        }
      `,
    };
    assert.deepEqual(
      [sizeOf(sql, '/app/src/db.ts', 'latest').kind, sizeOf(sql, '/app/src/db.ts', 'latest').max],
      ['page', 50],
    );
    assert.equal(sizeOf(sql, '/app/src/db.ts', 'every').kind, 'grows');
    assert.equal(sizeOf(sql, '/app/src/db.ts', 'byId.rows').kind, 'one');
  });
});

describe('collection size: from the program', () => {
  it('literals, enums, constant objects and configuration are fixed', () => {
    const files = {
      '/app/src/config.ts': `export const regions = ['eu', 'us'];\nexport default { providers: ['a', 'b', 'c'] };\n`,
      '/app/src/f.ts': dedent`
        import config, { regions } from './config';
        enum Role { Admin, User }
        const LIMITS = { free: 1, pro: 2, team: 3 };
        export function f() {
          return [['a', 'b', 'c'], Object.values(Role), Object.keys(LIMITS), regions, config.providers, process.env.HOSTS];
        }
      `,
    };
    const at = (text: string) => sizeOf(files, '/app/src/f.ts', text);
    assert.deepEqual([at("['a', 'b', 'c']").kind, at("['a', 'b', 'c']").max], ['fixed', 3]);
    assert.deepEqual([at('Object.values(Role)').kind, at('Object.values(Role)').max], ['fixed', 2]);
    assert.deepEqual([at('Object.keys(LIMITS)').kind, at('Object.keys(LIMITS)').max], ['fixed', 3]);
    assert.equal(at('regions').kind, 'fixed');
    assert.equal(at('config.providers').kind, 'fixed');
    assert.equal(at('process.env.HOSTS').kind, 'fixed');
  });

  it('what the client sent grows: req.body, tRPC input, NestJS @Body()', () => {
    const files = {
      '/app/src/server.ts': `${express}app.post('/import', async (req, res) => {\n  const { rows } = req.body;\n  res.json([req.body.items, rows]);\n});\n`,
      '/app/src/router.ts': `export const r = router({ add: publicProcedure.mutation(async ({ input }) => input.ids) });\n`,
      '/app/src/users.controller.ts': dedent`
        import { Body, Controller, Post } from '@nestjs/common';
        @Controller('users')
        export class UsersController {
          @Post('bulk')
          create(@Body() dto: { users: string[] }) {
            return dto.users;
          }
        }
      `,
    };
    const items = sizeOf(files, '/app/src/server.ts', 'req.body.items');
    assert.equal(items.kind, 'grows');
    assert.match(items.reason, /what the client sent \(`req\.body\.items`\)/);
    assert.equal(sizeOf(files, '/app/src/server.ts', 'rows').kind, 'grows');
    assert.equal(sizeOf(files, '/app/src/router.ts', 'input.ids').kind, 'grows');
    assert.equal(sizeOf(files, '/app/src/users.controller.ts', 'dto.users').kind, 'grows');
  });

  it('a parameter has the sizes its callers pass, across files; a collection built in a loop has the loop’s', () => {
    const files = {
      '/app/src/notify.ts': dedent`
        export async function notifyAll(ids: string[]) {
          const out: string[] = [];
          for (const id of ids) out.push(id);
          return out;
        }
      `,
      '/app/src/a.ts': `${prisma}import { notifyAll } from './notify';\nexport async function a() {\n  const users = await prisma.user.findMany();\n  return notifyAll(users.map((u) => u.id));\n}\n`,
      '/app/src/fixed.ts': dedent`
        export function fixedOnly(channels: string[]) {
          return channels;
        }
        export const both = () => [fixedOnly(['mail', 'sms']), fixedOnly(['push'])];
      `,
    };
    assert.equal(sizeOf(files, '/app/src/notify.ts', 'ids').kind, 'grows');
    assert.equal(sizeOf(files, '/app/src/notify.ts', 'out').kind, 'grows');
    const channels = sizeOf(files, '/app/src/fixed.ts', 'channels');
    assert.deepEqual([channels.kind, channels.max], ['fixed', 2]);
  });

  it('what a helper returns, across files; unknown when nothing says', () => {
    const files = {
      '/app/src/repo.ts': `${prisma}export function allUsers() {\n  return prisma.user.findMany();\n}\n`,
      '/app/src/use.ts': `import { allUsers } from './repo';\nexport async function f(list: string[]) {\n  return [await allUsers(), list];\n}\n`,
    };
    assert.equal(sizeOf(files, '/app/src/use.ts', 'await allUsers()').kind, 'grows');
    assert.equal(sizeOf(files, '/app/src/use.ts', 'list').kind, 'unknown');
  });
});

describe('collection size: Redis range reads', () => {
  const files = {
    '/app/src/jobs.ts': dedent`
      import Redis from 'ioredis';
      const redis = new Redis();
      export async function f(key: string, limit: number) {
        const whole = await redis.zrange(key, 0, -1);
        const slice = await redis.zrange(key, 0, 19);
        const page = await redis.zrange(key, 0, limit - 1);
        return [whole, slice, page];
      }
    `,
  };
  const at = (text: string) => sizeOf(files, '/app/src/jobs.ts', text);

  it('ZRANGE 0 -1 is the whole sorted set: it grows', () => {
    assert.equal(at('whole').kind, 'grows');
    assert.match(at('whole').reason, /a whole Redis collection/);
  });
  it('a slice with literal indexes holds at most stop - start + 1', () => {
    assert.deepEqual([at('slice').kind, at('slice').max], ['page', 20]);
  });
  it('a slice up to a computed stop is a page of unknown size, not the whole set', () => {
    assert.deepEqual([at('page').kind, at('page').max], ['page', undefined]);
    assert.match(at('page').reason, /a slice of `redis\.zrange`/);
  });
});
