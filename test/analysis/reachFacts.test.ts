// Reach facts: services behind DI and singletons, per-parent field resolvers, test-only and admin routes, overrides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedent } from '../rules/ruleTester';
import { functionAt, project } from './project';

const express = `import express from 'express';\nconst app = express();\n`;

function contextOf(files: Record<string, string>, path: string, text: string) {
  const analysis = project(files);
  return analysis.contexts.of(functionAt(analysis, path, text));
}

describe('reach: services behind singletons and static model methods', () => {
  const files = {
    '/app/src/billing.ts': dedent`
      class BillingService {
        async invoices(userId: string) {
          return userId;
        }
        async unused() {
          return 1;
        }
      }
      export default new BillingService();
    `,
    '/app/src/user.model.ts': dedent`
      export class User {
        static async findWithPosts(id: string) {
          return id;
        }
        static async neverCalled() {
          return 0;
        }
      }
    `,
    '/app/src/server.ts': dedent`
      ${express}
      import billing from './billing';
      import { User } from './user.model';
      app.get('/invoices', async (req, res) => {
        res.json([await billing.invoices(req.query.id), await User.findWithPosts(req.query.id)]);
      });
    `,
  };

  it('a method of an exported singleton and a static model method are hot through the route that calls them', () => {
    assert.equal(contextOf(files, '/app/src/billing.ts', 'async invoices').hotEntry?.label, 'GET /invoices');
    assert.equal(contextOf(files, '/app/src/user.model.ts', 'static async findWithPosts').heat, 'hot');
  });

  it('their methods no route calls stay unknown', () => {
    assert.equal(contextOf(files, '/app/src/billing.ts', 'async unused').heat, 'unknown');
    assert.equal(contextOf(files, '/app/src/user.model.ts', 'static async neverCalled').heat, 'unknown');
  });
});

describe('reach: GraphQL field resolvers run once per parent object', () => {
  it('a type field resolver in a resolver map is per parent; a root Query field is not', () => {
    const files = {
      '/app/src/resolvers.ts': dedent`
        export const resolvers = {
          Query: { users: async () => loadUsers() },
          User: { posts: async (parent) => loadPosts(parent.id) },
        };
        function loadUsers() { return []; }
        function loadPosts(id: string) { return [id]; }
      `,
    };
    const posts = contextOf(files, '/app/src/resolvers.ts', 'function loadPosts');
    assert.equal(posts.heat, 'hot');
    assert.equal(posts.perParent?.label, 'resolver `User.posts`');
    const users = contextOf(files, '/app/src/resolvers.ts', 'function loadUsers');
    assert.equal(users.heat, 'hot');
    assert.equal(users.perParent, undefined);
  });

  it('a NestJS @ResolveField method is per parent; a @Query method beside it is not', () => {
    const files = {
      '/app/src/author.resolver.ts': dedent`
        import { Resolver, Query, ResolveField, Parent } from '@nestjs/graphql';
        @Resolver('Author')
        export class AuthorResolver {
          @Query()
          authors() {
            return [];
          }
          @ResolveField()
          books(@Parent() author: { id: string }) {
            return [author.id];
          }
        }
      `,
    };
    assert.ok(contextOf(files, '/app/src/author.resolver.ts', 'books').perParent);
    assert.equal(contextOf(files, '/app/src/author.resolver.ts', 'authors').perParent, undefined);
  });
});

describe('reach: test-only routes are one-off, admin routes rare', () => {
  it('a route under /_e2e or registered under a NODE_ENV test check is cold; a production route is hot', () => {
    const files = {
      '/app/src/server.ts': dedent`
        ${express}
        app.post('/_e2e/reset', async function resetAll(req, res) { res.end(); });
        if (process.env.NODE_ENV === 'test') {
          app.post('/seed', async function seedAll(req, res) { res.end(); });
        }
        if (process.env.NODE_ENV === 'production') {
          app.get('/orders', async function listOrders(req, res) { res.end(); });
        }
      `,
    };
    const reset = contextOf(files, '/app/src/server.ts', 'async function resetAll');
    assert.equal(reset.heat, 'cold');
    assert.equal(reset.entry?.label, 'test-only route POST /_e2e/reset');
    assert.equal(contextOf(files, '/app/src/server.ts', 'async function seedAll').heat, 'cold');
    assert.equal(contextOf(files, '/app/src/server.ts', 'async function listOrders').heat, 'hot');
  });

  it('an /admin route or one behind admin middleware is hot and rare; a user route is hot and not rare', () => {
    const files = {
      '/app/src/server.ts': dedent`
        ${express}
        app.get('/admin/users', async function listAllUsers(req, res) { res.end(); });
        app.get('/reports', requireAdmin, async function reports(req, res) { res.end(); });
        app.get('/me', authenticate, async function me(req, res) { res.end(); });
      `,
    };
    const admin = contextOf(files, '/app/src/server.ts', 'async function listAllUsers');
    assert.equal(admin.heat, 'hot');
    assert.equal(admin.rare, true);
    assert.equal(contextOf(files, '/app/src/server.ts', 'async function reports').rare, true);
    const me = contextOf(files, '/app/src/server.ts', 'async function me');
    assert.equal(me.heat, 'hot');
    assert.equal(me.rare, false);
  });

  it("NestJS: a handler with @Roles('admin') is rare; one with @Roles('user') is not", () => {
    const files = {
      '/app/src/stats.controller.ts': dedent`
        import { Controller, Get } from '@nestjs/common';
        @Controller('stats')
        export class StatsController {
          @Get('all')
          @Roles('admin')
          all() {
            return [];
          }
          @Get('mine')
          @Roles('user')
          mine() {
            return [];
          }
        }
      `,
    };
    assert.equal(contextOf(files, '/app/src/stats.controller.ts', 'all()').rare, true);
    assert.equal(contextOf(files, '/app/src/stats.controller.ts', 'mine()').rare, false);
  });
});

describe('reach: options objects, overrides and command registries', () => {
  it('a function in an options object passed to a call runs where the call runs; one only stored is unknown', () => {
    const files = {
      '/app/src/server.ts': dedent`
        ${express}
        function runQuery(branches: Record<string, () => unknown>) { return branches.pg(); }
        function relational(id: string) { return id; }
        function stored(id: string) { return id; }
        export const table = { pg: () => stored('x') };
        app.get('/events', async (req, res) => {
          res.json(await runQuery({ pg: () => relational(req.query.id) }));
        });
      `,
    };
    assert.equal(contextOf(files, '/app/src/server.ts', 'function relational').heat, 'hot');
    assert.equal(contextOf(files, '/app/src/server.ts', 'function stored').heat, 'unknown');
  });

  it("a call of a base class's method reaches the subclass override; an unrelated class's method is not reached", () => {
    const files = {
      '/app/src/lists.ts': dedent`
        export abstract class Shelf {
          abstract size(): Promise<number>;
        }
        export class SmartShelf extends Shelf {
          async size() { return 1; }
        }
        export class Unrelated {
          async size() { return 2; }
        }
      `,
      '/app/src/server.ts': dedent`
        ${express}
        import { Shelf } from './lists';
        app.get('/shelves', async (req, res) => {
          const shelves: Shelf[] = [];
          res.json(await Promise.all(shelves.map((shelf: Shelf) => shelf.size())));
        });
      `,
    };
    const analysis = project(files);
    const smart = analysis.contexts.of(functionAt(analysis, '/app/src/lists.ts', 'async size() { return 1'));
    assert.equal(smart.heat, 'hot');
    const other = analysis.contexts.of(functionAt(analysis, '/app/src/lists.ts', 'async size() { return 2'));
    assert.equal(other.heat, 'unknown');
  });

  it("a hand-rolled command registry (`addInboxCommand('logs', …, handler)`) makes a per-message entry", () => {
    const files = {
      '/app/src/logs.ts': dedent`
        export default ({ commands }) => {
          const logsCmd = async (msg, args) => msg;
          commands.addInboxCommand('logs', '<userId>', logsCmd);
          const helper = async (msg) => msg;
          commands.addCommand(helper);
        };
      `,
    };
    const logs = contextOf(files, '/app/src/logs.ts', 'async (msg, args)');
    assert.equal(logs.heat, 'hot');
    assert.equal(logs.hotEntry?.label, 'command `logs`');
    assert.equal(contextOf(files, '/app/src/logs.ts', 'async (msg) => msg').heat, 'unknown');
  });
});
