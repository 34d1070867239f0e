// Rule tests for missing-cache: per-request reads of rarely-changing data, and the caches that already cover them.
import { dedent, runRuleTests } from './ruleTester';

const head = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst app = express();\nconst prisma = new PrismaClient();\n`;

runRuleTests('missing-cache', {
  valid: [
    // Per-entity data that changes often
    {
      code: dedent`
        ${head}
        app.get('/orders', async (req, res) => {
          res.json(await prisma.order.findMany({ take: 20 }));
        });
      `,
    },
    // Loaded once at start-up
    {
      code: dedent`
        ${head}
        let settings: unknown;
        export async function bootstrap() {
          settings = await prisma.setting.findMany();
        }
        app.get('/settings', (req, res) => res.json(settings));
      `,
    },
    // An in-process Map cache in front
    {
      code: dedent`
        ${head}
        const cache = new Map<string, unknown>();
        app.get('/flags', async (req, res) => {
          const hit = cache.get('flags');
          if (hit) return res.json(hit);
          const flags = await prisma.featureFlag.findMany();
          cache.set('flags', flags);
          res.json(flags);
        });
      `,
    },
    // Redis cache-aside in the handler, in front of a helper that reads
    {
      code: dedent`
        ${head}
        import Redis from 'ioredis';
        const redis = new Redis();
        async function loadPlans() { return prisma.plan.findMany(); }
        app.get('/plans', async (req, res) => {
          const cached = await redis.get('plans');
          if (cached) return res.json(JSON.parse(cached));
          const plans = await loadPlans();
          await redis.set('plans', JSON.stringify(plans), 'EX', 300);
          res.json(plans);
        });
      `,
    },
    // A hand-rolled cache in a plain object, checked with `in`
    {
      code: dedent`
        ${head}
        const cacheList: Record<string, { value: unknown }> = {};
        export async function getSetting(key: string) {
          if (key in cacheList) return cacheList[key]!.value;
          const row = await prisma.setting.findUnique({ where: { key } });
          cacheList[key] = { value: row };
          return row;
        }
        app.get('/s/:key', async (req, res) => res.json(await getSetting(req.params.key)));
      `,
    },
    // A memoized loader
    {
      code: dedent`
        ${head}
        import memoize from 'memoizee';
        const getRoles = memoize(() => prisma.role.findMany(), { promise: true, maxAge: 60_000 });
        app.get('/roles', async (req, res) => res.json(await getRoles()));
      `,
    },
    // HTTP caching in front of the handler
    {
      code: dedent`
        ${head}
        app.get('/countries', async (req, res) => {
          res.set('Cache-Control', 'public, s-maxage=86400');
          res.json(await prisma.country.findMany());
        });
      `,
    },
    // Not on a request path: a job run by hand
    {
      code: dedent`
        ${head}
        export async function exportSettings() {
          return prisma.setting.findMany();
        }
        exportSettings();
      `,
    },
    // Entities that are core, edited data in some apps (a translation platform): per-request filters are not the same read
    {
      code: dedent`
        ${head}
        app.get('/projects/:id/translations', async (req, res) => {
          res.json(await prisma.translation.findMany({ where: { projectId: req.params.id }, take: 100 }));
        });
      `,
    },
    // A helper no request path reaches
    {
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();
        export async function permissionsFor(role: string) {
          return prisma.permission.findMany({ where: { role } });
        }

      `,
    },
    // External API with a per-request part
    {
      code: dedent`
        import express from 'express';
        import axios from 'axios';
        const app = express();
        app.get('/users/:id/repos', async (req, res) => {
          res.json((await axios.get(\`https://api.github.com/users/\${req.params.id}/repos\`)).data);
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'settings read in middleware on every request',
      code: dedent`
        ${head}
        app.use(async (req, res, next) => {
          const settings = await prisma.setting.findMany();
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~
          res.locals.settings = settings;
          next();
        });
      `,
      errors: [
        {
          messageId: 'perRequest',

          severity: 'info',
          messageIncludes: [
            '`prisma.setting.findMany` reads rarely-changing data (`setting`) on every request (middleware',
          ],
          fixes: [
            {
              output: dedent`
                import express from 'express';
                import { PrismaClient } from '@prisma/client';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const prisma = new PrismaClient();
                app.use(async (req, res, next) => {
                  const settings = await cached('perf-advisor:setting:findMany', 300, () => prisma.setting.findMany());
                  res.locals.settings = settings;
                  next();
                });
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'permissions read by a helper that a route calls on every request',
      files: {
        '/project/src/routes.ts': dedent`
          import express from 'express';
          import { permissionsFor } from './permissions';
          const app = express();
          app.get('/me/permissions', async (req, res) => {
            res.json(await permissionsFor(String(req.query.role)));
          });

        `,
      },
      filename: '/project/src/permissions.ts',
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();
        export async function permissionsFor(role: string) {
          return prisma.permission.findMany({ where: { role } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }

      `,
      errors: [
        {
          messageId: 'perRequest',

          messageIncludes: ['(route `GET /me/permissions handler`)'],
          fixes: [],
        },
      ],
    },
    {
      name: 'the same template read on every request',
      code: dedent`
        ${head}
        app.get('/welcome', async (req, res) => {
          const template = await prisma.emailTemplate.findFirst({ where: { name: 'welcome' } });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.send(template?.body);
        });
      `,
      errors: [
        {
          messageId: 'perRequest',
          fixes: [
            {
              title: 'Cache `emailTemplate` with cache-aside (Redis, 300 s TTL + jitter, stampede lock)',
              output: dedent`
                import express from 'express';
                import { PrismaClient } from '@prisma/client';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const prisma = new PrismaClient();
                app.get('/welcome', async (req, res) => {
                  const template = await cached('perf-advisor:emailTemplate:findFirst', 300, () => prisma.emailTemplate.findFirst({ where: { name: 'welcome' } }));
                  res.send(template?.body);
                });
              `,
            },
          ],
          messageIncludes: ['(`emailTemplate`)'],
        },
      ],
    },
    {
      name: 'an external API with stable answers, fetched per request',
      code: dedent`
        import express from 'express';
        const app = express();
        const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
        app.get('/countries', async (req, res) => {
          const response = await fetch(COUNTRIES_URL);
                                 ~~~~~~~~~~~~~~~~~~~~
          res.json(await response.json());
        });
      `,
      errors: [
        {
          messageId: 'perRequest',
          fixes: [
            {
              title: 'Cache `COUNTRIES_URL` with cache-aside (Redis, 300 s TTL + jitter, stampede lock)',
              output: dedent`
                import express from 'express';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
                app.get('/countries', async (req, res) => {
                  const response = await cached('perf-advisor:COUNTRIES_URL:fetch', 300, () => fetch(COUNTRIES_URL));
                  res.json(await response.json());
                });
              `,
            },
          ],
          messageIncludes: ['`COUNTRIES_URL`', 'request round trips'],
        },
      ],
    },
    {
      name: 'a NestJS guard reading role permissions',
      code: dedent`
        import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
        import { InjectRepository } from '@nestjs/typeorm';
        import { Repository } from 'typeorm';
        class Permission { role!: string }
        @Injectable()
        export class RolesGuard implements CanActivate {
          constructor(@InjectRepository(Permission) private readonly permissions: Repository<Permission>) {}
          async canActivate(context: ExecutionContext) {
            const rows = await this.permissions.find({ where: { role: 'admin' } });
                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            return rows.length > 0;
          }
        }
      `,
      errors: [
        {
          messageId: 'perRequest',
          fixes: [
            {
              title: 'Cache `permissions` with cache-aside (Redis, 300 s TTL + jitter, stampede lock)',
              output: dedent`
                import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
                import { InjectRepository } from '@nestjs/typeorm';
                import { Repository } from 'typeorm';
                import { cached } from './perfAdvisorCache';
                class Permission { role!: string }
                @Injectable()
                export class RolesGuard implements CanActivate {
                  constructor(@InjectRepository(Permission) private readonly permissions: Repository<Permission>) {}
                  async canActivate(context: ExecutionContext) {
                    const rows = await cached('perf-advisor:permissions:find', 300, () => this.permissions.find({ where: { role: 'admin' } }));
                    return rows.length > 0;
                  }
                }
              `,
            },
          ],

          messageIncludes: ['`this.permissions.find`', 'middleware `RolesGuard.canActivate`'],
        },
      ],
    },
    {
      name: 'postgres.js: a sql`...` read of plans in a route handler',
      code: dedent`
        import express from 'express';
        import postgres from 'postgres';
        const app = express();
        const sql = postgres(process.env.DATABASE_URL!);
        app.get('/plans', async (req, res) => {
          res.json(await sql\`select * from plans where active = true limit 20\`);
                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        });
      `,
      errors: [
        {
          messageId: 'perRequest',
          fixes: [
            {
              title: 'Cache `plans` with cache-aside (Redis, 300 s TTL + jitter, stampede lock)',
              output: dedent`
                import express from 'express';
                import postgres from 'postgres';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const sql = postgres(process.env.DATABASE_URL!);
                app.get('/plans', async (req, res) => {
                  res.json(await cached('perf-advisor:plans:read', 300, () => sql\`select * from plans where active = true limit 20\`));
                });
              `,
            },
          ],
          messageIncludes: ['(`plans`)'],
        },
      ],
    },
  ],
});
