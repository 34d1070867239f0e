// Rule tests for missing-cache: failure branches, query-level caches, request-derived URLs and lookup-list endpoints.
import { dedent, runRuleTests } from './ruleTester';

const head = `import express from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst app = express();\nconst prisma = new PrismaClient();\n`;
const bot = `import { PrismaClient } from '@prisma/client';\nimport { Client } from 'discord.js';\nconst prisma = new PrismaClient();\nconst client = new Client({ intents: [] });\n`;

/** The products page after a cache pattern's helper (`cached`, `cachedRefreshAhead`) wraps the categories read. */
function categoriesCached(helper: string): string {
  return dedent`
    import express from 'express';
    import { PrismaClient } from '@prisma/client';
    import { ${helper} } from './perfAdvisorCache';
    const app = express();
    const prisma = new PrismaClient();
    app.get('/products', async (req, res) => {
      const products = await prisma.product.findMany({ take: 20 });
      const categories = await ${helper}('perf-advisor:productCategory:findMany', 300, () => prisma.productCategory.findMany());
      res.json({ products, categories });
    });
  `;
}

runRuleTests('missing-cache', {
  valid: [
    {
      name: 'the guild settings read only on the not-found branch that replies with an error and returns',
      code: dedent`
        ${bot}
        client.on('messageCreate', async (message) => {
          const ticket = await prisma.ticket.findUnique({ where: { id: message.channel.id } });
          if (!ticket) {
            const settings = await prisma.guild.findUnique({ where: { id: message.guild.id } });
            return message.reply(settings?.errorText ?? 'no ticket');
          }
          await message.reply(ticket.topic);
        });
      `,
    },
    {
      name: 'the guild settings read only in a catch block',
      code: dedent`
        ${bot}
        client.on('messageCreate', async (message) => {
          try {
            await message.react('ok');
          } catch (error) {
            const settings = await prisma.guild.findUnique({ where: { id: message.guild.id } });
            await message.reply(settings?.errorText ?? String(error));
          }
        });
      `,
    },
    {
      name: 'a Mongoose query given to a query-cache plugin on its variable (cachegoose: q.cache(ttl, key))',
      code: dedent`
        import express from 'express';
        import mongoose from 'mongoose';
        const Setting = mongoose.model('Setting', new mongoose.Schema({ name: String }));
        const app = express();
        app.get('/flags', async (req, res) => {
          const q = Setting.findOne({ name: 'flags' });
          if (process.env.CACHE) (q as any).cache(60, 'flags');
          res.json(await q.exec());
        });
      `,
    },
    {
      name: "a TypeORM read with the find option cache: its result is kept by TypeORM's query cache",
      code: dedent`
        import express from 'express';
        import { DataSource } from 'typeorm';
        import { Setting } from './entities';
        const dataSource = new DataSource({ type: 'postgres' });
        const app = express();
        app.get('/settings', async (req, res) => {
          const settings = await dataSource.getRepository(Setting).find({ where: { scope: 'public' }, cache: 60000 });
          res.json(settings.map((s) => s.value));
        });
      `,
    },
    {
      name: 'an external URL built from what the user typed (interaction.options): a different answer per call',
      code: dedent`
        ${bot}
        client.on('interactionCreate', async (interaction: any) => {
          const url = interaction.options.getString('url', true);
          const res = await fetch(\`https://is.gd/create.php?format=simple&url=\${encodeURIComponent(url)}\`);
          await interaction.reply(await res.text());
        });
      `,
    },
    {
      name: 'a locale keyed by the project and the locale code the request names: the product data of a translation service',
      code: dedent`
        ${head}
        app.get('/projects/:projectId/exports', async (req, res) => {
          const projectLocale = await prisma.projectLocale.findFirst({
            where: { projectId: req.params.projectId, locale: { code: String(req.query.locale) } },
          });
          res.json(projectLocale);
        });
      `,
    },
    {
      name: 'a GET endpoint whose whole answer is a lookup list (categories): the client fetches it once per page',
      code: dedent`
        ${head}
        app.get('/product-categories', async (req, res) => {
          const categories = await prisma.productCategory.findMany();
          res.json(categories);
        });
      `,
    },
  ],
  invalid: [
    {
      name: 'the guild settings read on the main path of every message (the not-found branch is elsewhere)',
      code: dedent`
        ${bot}
        client.on('messageCreate', async (message) => {
          const ticket = await prisma.ticket.findUnique({ where: { id: message.channel.id } });
          if (!ticket) return;
          const settings = await prisma.guild.findUnique({ where: { id: message.guild.id } });
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          await message.reply(settings?.footer ?? ticket.topic);
        });
      `,
      errors: [{ messageId: 'perRequest', messageIncludes: ['(`settings`)'], fixes: [] }],
    },
    {
      name: 'the categories read on every product page, next to the page’s own query',
      code: dedent`
        ${head}
        app.get('/products', async (req, res) => {
          const products = await prisma.product.findMany({ take: 20 });
          const categories = await prisma.productCategory.findMany();
                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.json({ products, categories });
        });
      `,
      errors: [
        {
          messageId: 'perRequest',
          messageIncludes: ['(`productCategory`)'],
          fixes: [
            { output: categoriesCached('cached') },
            { error: /no write to `prisma.productCategory` found in the project/ },
            { error: /no write to `prisma.productCategory` found in the project/ },
            { output: categoriesCached('cachedRefreshAhead') },
          ],
        },
      ],
    },
  ],
});
