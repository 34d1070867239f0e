// Rule tests for missing-cache: per-request reads of rarely-changing data, and the caches that already cover them.
import { runRuleTests } from './ruleTester';

const head = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst app = express();\nconst prisma = new PrismaClient();\n`;

runRuleTests('missing-cache', {
  valid: [
    // Per-entity data that changes often
    {
      code: `${head}app.get('/orders', async (req, res) => {\n  res.json(await prisma.order.findMany({ take: 20 }));\n});`,
    },
    // Loaded once at start-up
    {
      code: `${head}let settings: unknown;\nexport async function bootstrap() {\n  settings = await prisma.setting.findMany();\n}\napp.get('/settings', (req, res) => res.json(settings));`,
    },
    // An in-process Map cache in front
    {
      code: `${head}const cache = new Map<string, unknown>();\napp.get('/flags', async (req, res) => {\n  const hit = cache.get('flags');\n  if (hit) return res.json(hit);\n  const flags = await prisma.featureFlag.findMany();\n  cache.set('flags', flags);\n  res.json(flags);\n});`,
    },
    // Redis cache-aside in the handler, in front of a helper that reads
    {
      code: `${head}import Redis from 'ioredis';\nconst redis = new Redis();\nasync function loadPlans() { return prisma.plan.findMany(); }\napp.get('/plans', async (req, res) => {\n  const cached = await redis.get('plans');\n  if (cached) return res.json(JSON.parse(cached));\n  const plans = await loadPlans();\n  await redis.set('plans', JSON.stringify(plans), 'EX', 300);\n  res.json(plans);\n});`,
    },
    // A hand-rolled cache in a plain object, checked with `in`
    {
      code: `${head}const cacheList: Record<string, { value: unknown }> = {};\nexport async function getSetting(key: string) {\n  if (key in cacheList) return cacheList[key]!.value;\n  const row = await prisma.setting.findUnique({ where: { key } });\n  cacheList[key] = { value: row };\n  return row;\n}\napp.get('/s/:key', async (req, res) => res.json(await getSetting(req.params.key)));`,
    },
    // A memoized loader
    {
      code: `${head}import memoize from 'memoizee';\nconst getRoles = memoize(() => prisma.role.findMany(), { promise: true, maxAge: 60_000 });\napp.get('/roles', async (req, res) => res.json(await getRoles()));`,
    },
    // HTTP caching in front of the handler
    {
      code: `${head}app.get('/countries', async (req, res) => {\n  res.set('Cache-Control', 'public, s-maxage=86400');\n  res.json(await prisma.country.findMany());\n});`,
    },
    // Not on a request path: a job run by hand
    {
      code: `${head}export async function exportSettings() {\n  return prisma.setting.findMany();\n}\nexportSettings();`,
    },
    // Entities that are core, edited data in some apps (a translation platform): per-request filters are not the same read
    {
      code: `${head}app.get('/projects/:id/translations', async (req, res) => {\n  res.json(await prisma.translation.findMany({ where: { projectId: req.params.id }, take: 100 }));\n});`,
    },
    // A helper no request path reaches
    {
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function permissionsFor(role: string) {\n  return prisma.permission.findMany({ where: { role } });\n}\n`,
    },
    // External API with a per-request part
    {
      code: `import express from 'express';\nimport axios from 'axios';\nconst app = express();\napp.get('/users/:id/repos', async (req, res) => {\n  res.json((await axios.get(\`https://api.github.com/users/\${req.params.id}/repos\`)).data);\n});`,
    },
  ],
  invalid: [
    {
      name: 'settings read in middleware on every request',
      code: `${head}app.use(async (req, res, next) => {\n  const settings = await prisma.setting.findMany();\n  res.locals.settings = settings;\n  next();\n});`,
      errors: [
        {
          messageId: 'perRequest',
          line: 6,
          column: 26,
          severity: 'info',
          messageIncludes: [
            '`prisma.setting.findMany` reads rarely-changing data (`setting`) on every request (middleware',
          ],
          fixes: [
            {
              output: `${head.replace('const app', "import { cached } from './perfAdvisorCache';\nconst app")}app.use(async (req, res, next) => {\n  const settings = await cached('perf-advisor:setting:findMany', 300, () => prisma.setting.findMany());\n  res.locals.settings = settings;\n  next();\n});`,
            },
          ],
        },
      ],
    },
    {
      name: 'permissions read by a helper that a route calls on every request',
      files: {
        '/project/src/routes.ts': `import express from 'express';\nimport { permissionsFor } from './permissions';\nconst app = express();\napp.get('/me/permissions', async (req, res) => {\n  res.json(await permissionsFor(String(req.query.role)));\n});\n`,
      },
      filename: '/project/src/permissions.ts',
      code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function permissionsFor(role: string) {\n  return prisma.permission.findMany({ where: { role } });\n}\n`,
      errors: [
        {
          messageId: 'perRequest',
          line: 4,
          column: 10,
          messageIncludes: ['(route `GET /me/permissions handler`)'],
          fixes: [],
        },
      ],
    },
    {
      name: 'the same template read on every request',
      code: `${head}app.get('/welcome', async (req, res) => {\n  const template = await prisma.emailTemplate.findFirst({ where: { name: 'welcome' } });\n  res.send(template?.body);\n});`,
      errors: [{ messageId: 'perRequest', line: 6, messageIncludes: ['(`emailTemplate`)'] }],
    },
    {
      name: 'an external API with stable answers, fetched per request',
      code: `import express from 'express';\nconst app = express();\nconst COUNTRIES_URL = 'https://restcountries.example/v3.1/all';\napp.get('/countries', async (req, res) => {\n  const response = await fetch(COUNTRIES_URL);\n  res.json(await response.json());\n});`,
      errors: [{ messageId: 'perRequest', line: 5, messageIncludes: ['`COUNTRIES_URL`', 'request round trips'] }],
    },
    {
      name: 'a NestJS guard reading role permissions',
      code: `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';\nimport { InjectRepository } from '@nestjs/typeorm';\nimport { Repository } from 'typeorm';\nclass Permission { role!: string }\n@Injectable()\nexport class RolesGuard implements CanActivate {\n  constructor(@InjectRepository(Permission) private readonly permissions: Repository<Permission>) {}\n  async canActivate(context: ExecutionContext) {\n    const rows = await this.permissions.find({ where: { role: 'admin' } });\n    return rows.length > 0;\n  }\n}`,
      errors: [
        {
          messageId: 'perRequest',
          line: 9,
          messageIncludes: ['`this.permissions.find`', 'middleware `RolesGuard.canActivate`'],
        },
      ],
    },
    {
      name: 'postgres.js: a sql`...` read of plans in a route handler',
      code: `import express from 'express';\nimport postgres from 'postgres';\nconst app = express();\nconst sql = postgres(process.env.DATABASE_URL!);\napp.get('/plans', async (req, res) => {\n  res.json(await sql\`select * from plans where active = true limit 20\`);\n});`,
      errors: [{ messageId: 'perRequest', line: 6, messageIncludes: ['(`plans`)'] }],
    },
  ],
});
