// Rule tests for missing-cache: what a read is keyed by, helpers that return rarely-changing data, and rare entries.
import { dedent, runRuleTests } from './ruleTester';

const head = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst app = express();\nconst prisma = new PrismaClient();\n`;

runRuleTests('missing-cache', {
  valid: [
    {
      name: "access control keyed by the request's own group: must be fresh, one answer per key",
      code: dedent`
        ${head}
        app.get('/links/:id', async (req, res) => {
          const rules = await prisma.permissionGroupAccess.findMany({ where: { groupId: req.params.id } });
          res.json(rules);
        });
      `,
    },
    {
      name: 'a reference-data lookup by an id the request sends (property value, not a fixed key)',
      code: dedent`
        ${head}
        app.get('/products', async (req, res) => {
          const category = await prisma.category.findUnique({ where: { id: String(req.query.category) } });
          res.json(category);
        });
      `,
    },
    {
      name: 'an admin-only page reads the settings: a handful of users, not traffic',
      code: dedent`
        ${head}
        app.get('/admin/settings', async (req, res) => {
          res.json(await prisma.setting.findMany());
        });
      `,
    },
    {
      name: 'ensure-exists: the roles are read, then the missing ones written (the read must see the latest rows)',
      code: dedent`
        ${head}
        app.post('/groups', async (req, res) => {
          const all = await prisma.role.findMany();
          await Promise.all(['owner', 'member'].map(async (name) => {
            if (!all.some((role) => role.name === name)) await prisma.role.create({ data: { name } });
          }));
          res.end();
        });
      `,
    },
    {
      name: 'a settings helper keyed by its parameter, called with per-request values',
      files: {
        '/project/src/settings.ts': dedent`
          import { PrismaClient } from '@prisma/client';
          const prisma = new PrismaClient();
          export async function settingValue(name: string) {
            return prisma.systemVariable.findFirst({ where: { name } });
          }
        `,
      },
      filename: '/project/src/routes.ts',
      code: dedent`
        import express from 'express';
        import { settingValue } from './settings';
        const app = express();
        app.get('/value', async (req, res) => {
          res.json(await settingValue(String(req.query.name)));
        });
      `,
    },
    {
      name: 'a row the code calls settings, keyed by the user: one answer per user, not shared',
      code: dedent`
        ${head}
        app.get('/me', async (req, res) => {
          const settings = await prisma.profile.findUnique({ where: { userId: String(req.query.user) } });
          res.json(settings);
        });
      `,
    },
  ],
  invalid: [
    {
      name: "a row the code calls settings, keyed by the tenant (the message's guild), on every message",
      code: dedent`
        import { PrismaClient } from '@prisma/client';
        import { Client } from 'discord.js';
        const prisma = new PrismaClient();
        const client = new Client({ intents: [] });
        client.on('messageCreate', async (message) => {
          const settings = await prisma.guild.findUnique({ where: { id: message.guild.id } });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          if (settings?.autoReply) await message.reply(settings.autoReply);
        });
      `,
      errors: [{ messageId: 'perRequest', messageIncludes: ['(`settings`)'], fixes: [] }],
    },
    {
      name: 'a settings helper keyed by its parameter, called with a fixed name on every request',
      files: {
        '/project/src/settings.ts': dedent`
          import { PrismaClient } from '@prisma/client';
          const prisma = new PrismaClient();
          export async function settingValue(name: string) {
            return prisma.systemVariable.findFirst({ where: { name } });
          }
          export function historyEnabled() {
            return settingValue('HISTORY_ENABLED');
          }
        `,
      },
      filename: '/project/src/routes.ts',
      code: dedent`
        import express from 'express';
        import { historyEnabled } from './settings';
        const app = express();
        app.get('/history', async (req, res) => {
          if (!(await historyEnabled())) return res.status(404).end();
                      ~~~~~~~~~~~~~~~~
          res.json([]);
        });
      `,
      errors: [
        {
          messageId: 'viaHelper',
          messageIncludes: ['(`systemVariable`, in `settingValue`)', '(route `GET /history handler`)'],
          fixes: [],
        },
      ],
    },
  ],
});
