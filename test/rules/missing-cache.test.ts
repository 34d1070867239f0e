// Rule tests for missing-cache: per-request reads of rarely-changing data, and the caches that already cover them.
import { dedent, runRuleTests } from './ruleTester';

/** The four pattern suggestions of a database read: cache-aside, the two write patterns, refresh-ahead. */
function patterns(
  cacheAside: string,
  subject: string,
  writes?: { throughOutput: string; behindOutput: string; files: Record<string, Record<string, string>> },
) {
  const refreshAhead = cacheAside
    .replace('{ cached }', '{ cachedRefreshAhead }')
    .replace('cached(', 'cachedRefreshAhead(');
  const noWrite = (extra = '') => ({ error: new RegExp(`no write to \`${subject}\` found in the project${extra}`) });
  return [
    { output: cacheAside },
    writes ? { output: writes.throughOutput, files: writes.files.through } : noWrite(),
    writes ? { output: writes.behindOutput, files: writes.files.behind } : noWrite(' whose result is unused'),
    { output: refreshAhead },
  ];
}

/** The two suggestions of an HTTP read: cache-aside and refresh-ahead. */
function httpPatterns(cacheAside: string) {
  return [
    { output: cacheAside },
    { output: cacheAside.replace('{ cached }', '{ cachedRefreshAhead }').replace('cached(', 'cachedRefreshAhead(') },
  ];
}

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
    // Entities that are core, edited data in some apps (a translation platform): per-request filters are not the same
    // read
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
    // A request whose URL carries the caller's input: a different answer per caller
    {
      code: dedent`
        import { HttpService } from '@nestjs/axios';
        import { Controller, Get, Injectable, Param } from '@nestjs/common';
        @Injectable()
        export class ProfileService {
          constructor(private readonly http: HttpService) {}
          async profile(login: string) {
            return (await this.http.axiosRef.get(\`https://code.example/users/\${login}\`)).data;
          }
        }
        @Controller('profiles')
        export class ProfileController {
          constructor(private readonly profiles: ProfileService) {}
          @Get(':login')
          show(@Param('login') login: string) { return this.profiles.profile(login); }
        }
      `,
    },
    // A fixed URL, but a write (POST): nothing to cache
    {
      code: dedent`
        import express from 'express';
        const app = express();
        const AUDIT_URL = 'https://audit.example/events';
        app.post('/ping', async (req, res) => {
          await fetch(AUDIT_URL, { method: 'POST', body: '{}' });
          res.end();
        });
      `,
    },
    // A setting looked up by the request's own key on a write request (POST): the edit path, not the hot read path
    {
      code: dedent`
        ${head}
        app.post('/admin/settings', async (req, res) => {
          const current = await prisma.setting.findUnique({ where: { key: req.body.key } });
          await prisma.setting.update({ where: { key: req.body.key }, data: { value: req.body.value } });
          res.json(current);
        });
      `,
    },
    // A NestJS @Put handler reading role permissions before changing them
    {
      code: dedent`
        import { Body, Controller, Injectable, Put } from '@nestjs/common';
        import { InjectRepository } from '@nestjs/typeorm';
        import { Repository } from 'typeorm';
        class Permission { role!: string }
        @Controller('permissions')
        export class PermissionController {
          constructor(@InjectRepository(Permission) private readonly permissions: Repository<Permission>) {}
          @Put()
          async replace(@Body() body: { role: string }) {
            const rows = await this.permissions.find({ where: { role: body.role } });
            return { before: rows, role: body.role };
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a NestJS HttpService read built only from configuration, on every request',
      code: dedent`
        import { HttpService } from '@nestjs/axios';
        import { ConfigService } from '@nestjs/config';
        import { Controller, Get, Injectable } from '@nestjs/common';
        @Injectable()
        export class MembersService {
          constructor(private readonly http: HttpService, private readonly configService: ConfigService) {}
          async members() {
            const team = this.configService.getOrThrow('TEAM_ID');
            const token = this.configService.getOrThrow('API_TOKEN');
            const response = await this.http.axiosRef.get(\`https://chat.example/api/teams/\${team}/members\`, {
                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
              headers: { Authorization: \`Bearer \${token}\` },
            });
            return response.data;
          }
        }
        @Controller('members')
        export class MembersController {
          constructor(private readonly service: MembersService) {}
          @Get()
          list() { return this.service.members(); }
        }
      `,
      errors: [
        {
          messageId: 'sameRequest',
          messageIncludes: ['`this.http.axiosRef.get` requests', 'fixed inputs', 'route `MembersController.list`'],
        },
      ],
    },
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
          fixes: patterns(
            dedent`
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
            'prisma.setting',
          ),
        },
      ],
    },
    {
      name: "a shop's settings read by a helper that a route calls on every request (keyed by the tenant)",
      files: {
        '/project/src/routes.ts': dedent`
          import express from 'express';
          import { settingsFor } from './settings';
          const app = express();
          app.get('/shops/:shopId/checkout', async (req, res) => {
            res.json(await settingsFor(req.params.shopId));
          });

        `,
      },
      filename: '/project/src/settings.ts',
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        const prisma = new PrismaClient();
        export async function settingsFor(shopId: string) {
          return prisma.shopSetting.findMany({ where: { shopId } });
                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }

      `,
      errors: [
        {
          messageId: 'perRequest',

          messageIncludes: ['(route `GET /shops/:shopId/checkout handler`)'],
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
          fixes: patterns(
            dedent`
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
            'prisma.emailTemplate',
          ),
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
          messageId: 'sameRequest',
          fixes: httpPatterns(dedent`
                import express from 'express';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
                app.get('/countries', async (req, res) => {
                  const responseBody = await cached('perf-advisor:COUNTRIES_URL:fetch', 300, async () => (await fetch(COUNTRIES_URL)).json());
                  res.json(responseBody);
                });
              `),
          messageIncludes: ['`fetch` requests `COUNTRIES_URL` with fixed inputs', 'the same answer'],
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
          fixes: patterns(
            dedent`
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
            'this.permissions',
          ),

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
          fixes: patterns(
            dedent`
                import express from 'express';
                import postgres from 'postgres';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const sql = postgres(process.env.DATABASE_URL!);
                app.get('/plans', async (req, res) => {
                  res.json(await cached('perf-advisor:plans:read', 300, () => sql\`select * from plans where active = true limit 20\`));
                });
              `,
            'plans',
          ),
          messageIncludes: ['(`plans`)'],
        },
      ],
    },
    {
      name: 'fetch with a status check: the request, the check and the body read become the cached loader',
      code: dedent`
        import express from 'express';
        const app = express();
        const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
        app.get('/countries', async (req, res) => {
          const r = await fetch(COUNTRIES_URL);
                          ~~~~~~~~~~~~~~~~~~~~
          if (!r.ok) throw new Error(\`countries: \${r.status}\`);
          const countries = (await r.json()) as { name: string }[];
          res.json(countries);
        });
      `,
      errors: [
        {
          messageId: 'sameRequest',
          fixes: httpPatterns(dedent`
            import express from 'express';
            import { cached } from './perfAdvisorCache';
            const app = express();
            const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
            app.get('/countries', async (req, res) => {
              const countries = await cached('perf-advisor:COUNTRIES_URL:fetch', 300, async () => {
                const r = await fetch(COUNTRIES_URL);
                if (!r.ok) throw new Error(\`countries: \${r.status}\`);
                return (await r.json()) as { name: string }[];
              });
              res.json(countries);
            });
          `),
        },
      ],
    },
    {
      name: 'axios: the cached value is the body (`res.data`), never the response object',
      code: dedent`
        import express from 'express';
        import axios from 'axios';
        const app = express();
        const RATES_URL = 'https://rates.example/latest';
        app.get('/rates', async (req, res) => {
          const response = await axios.get<{ rates: Record<string, number> }>(RATES_URL, { timeout: 2000 });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.json(response.data.rates);
        });
      `,
      errors: [
        {
          messageId: 'sameRequest',
          fixes: httpPatterns(dedent`
            import express from 'express';
            import axios from 'axios';
            import { cached } from './perfAdvisorCache';
            const app = express();
            const RATES_URL = 'https://rates.example/latest';
            app.get('/rates', async (req, res) => {
              const response = { data: await cached('perf-advisor:RATES_URL:get', 300, async () => (await axios.get<{ rates: Record<string, number> }>(RATES_URL, { timeout: 2000 })).data) };
              res.json(response.data.rates);
            });
          `),
        },
      ],
    },
    {
      name: 'axios read inline: `(await axios.get(url)).data` is wrapped as a whole',
      code: dedent`
        import express from 'express';
        import axios from 'axios';
        const app = express();
        const RATES_URL = 'https://rates.example/latest';
        app.get('/currencies', async (req, res) => {
          res.json(Object.keys((await axios.get<{ rates: Record<string, number> }>(RATES_URL)).data.rates));
                                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        });
      `,
      errors: [
        {
          messageId: 'sameRequest',
          fixes: httpPatterns(dedent`
            import express from 'express';
            import axios from 'axios';
            import { cached } from './perfAdvisorCache';
            const app = express();
            const RATES_URL = 'https://rates.example/latest';
            app.get('/currencies', async (req, res) => {
              res.json(Object.keys((await cached('perf-advisor:RATES_URL:get', 300, async () => (await axios.get<{ rates: Record<string, number> }>(RATES_URL)).data)).rates));
            });
          `),
        },
      ],
    },
    {
      name: 'a response used beyond its body (headers): no rewrite, a Response cannot be cached',
      code: dedent`
        import express from 'express';
        const app = express();
        const COUNTRIES_URL = 'https://restcountries.example/v3.1/all';
        app.get('/countries', async (req, res) => {
          const response = await fetch(COUNTRIES_URL);
                                 ~~~~~~~~~~~~~~~~~~~~
          res.set('etag', response.headers.get('etag') ?? '');
          res.json(await response.json());
        });
      `,
      errors: [{ messageId: 'sameRequest' }],
    },
    {
      name: 'write-through and write-behind also wrap the writes to the cached data elsewhere in the project',
      files: {
        '/project/src/admin.ts': dedent`
          import { PrismaClient } from '@prisma/client';
          const prisma = new PrismaClient();
          export async function renamePlan(id: string, name: string) {
            await prisma.plan.update({ where: { id }, data: { name } });
          }
          export async function addPlan(name: string) {
            return prisma.plan.create({ data: { name } });
          }

        `,
      },
      code: dedent`
        ${head}
        app.get('/plans', async (req, res) => {
          res.json(await prisma.plan.findMany({ where: { public: true } }));
                         ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        });
      `,
      errors: [
        {
          messageId: 'perRequest',
          fixes: patterns(
            dedent`
              import express from 'express';
              import { PrismaClient } from '@prisma/client';
              import { cached } from './perfAdvisorCache';
              const app = express();
              const prisma = new PrismaClient();
              app.get('/plans', async (req, res) => {
                res.json(await cached('perf-advisor:plan:findMany', 300, () => prisma.plan.findMany({ where: { public: true } })));
              });
            `,
            'prisma.plan',
            {
              throughOutput: dedent`
                import express from 'express';
                import { PrismaClient } from '@prisma/client';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const prisma = new PrismaClient();
                app.get('/plans', async (req, res) => {
                  res.json(await cached('perf-advisor:plan:findMany', 300, () => prisma.plan.findMany({ where: { public: true } })));
                });
              `,
              behindOutput: dedent`
                import express from 'express';
                import { PrismaClient } from '@prisma/client';
                import { cached } from './perfAdvisorCache';
                const app = express();
                const prisma = new PrismaClient();
                app.get('/plans', async (req, res) => {
                  res.json(await cached('perf-advisor:plan:findMany', 300, () => prisma.plan.findMany({ where: { public: true } })));
                });
              `,
              files: {
                through: {
                  '/project/src/admin.ts': dedent`
                    import { PrismaClient } from '@prisma/client';
                    import { writeThrough } from './perfAdvisorCache';
                    const prisma = new PrismaClient();
                    export async function renamePlan(id: string, name: string) {
                      await writeThrough(['perf-advisor:plan:findMany'], () => prisma.plan.update({ where: { id }, data: { name } }));
                    }
                    export async function addPlan(name: string) {
                      return writeThrough(['perf-advisor:plan:findMany'], () => prisma.plan.create({ data: { name } }));
                    }

                  `,
                },
                behind: {
                  '/project/src/admin.ts': dedent`
                    import { PrismaClient } from '@prisma/client';
                    import { writeBehind } from './perfAdvisorCache';
                    const prisma = new PrismaClient();
                    export async function renamePlan(id: string, name: string) {
                      await writeBehind(['perf-advisor:plan:findMany'], () => prisma.plan.update({ where: { id }, data: { name } }));
                    }
                    export async function addPlan(name: string) {
                      return prisma.plan.create({ data: { name } });
                    }

                  `,
                },
              },
            },
          ),
        },
      ],
    },
  ],
});
