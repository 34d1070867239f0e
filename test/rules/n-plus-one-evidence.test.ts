// Rule tests for n-plus-one's evidence: where the loop runs (hot or cold) and how big its collection is, each with a look-alike.
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const express = `import express from 'express';\nexport const app = express();\n`;

runRuleTests('n-plus-one', {
  valid: [
    // Start-up code: a warm-up only module scope calls runs once per process
    {
      code: dedent`
        ${prisma}
        async function warmProfiles() {
          const users = await prisma.user.findMany();
          for (const user of users) await prisma.profile.findUnique({ where: { userId: user.id } });
        }
        void warmProfiles();
      `,
    },
    // A timestamp-named migration file runs once per deployment
    {
      filename: '/project/src/db/1718000000000-fill-slugs.ts',
      code: dedent`
        ${prisma}
        export async function fillSlugs() {
          const posts = await prisma.post.findMany();
          for (const post of posts) await prisma.post.update({ where: { id: post.id }, data: { slug: post.title } });
        }
      `,
    },
    // The keys of a constant object imported from another module: a fixed handful
    {
      files: {
        '/project/src/regions.ts': `export const REGIONS = { eu: 'Europe', us: 'Americas', ap: 'Asia' };\n`,
      },
      code: dedent`
        ${prisma}
        import { REGIONS } from './regions';
        ${express}
        app.get('/regions', async (req, res) => {
          const counts = [];
          for (const region of Object.keys(REGIONS)) counts.push(await prisma.shop.count({ where: { region } }));
          res.json(counts);
        });
      `,
    },
    // The values of an enum
    {
      code: dedent`
        ${prisma}
        ${express}
        enum Status { Open = 'open', Closed = 'closed', Held = 'held' }
        app.get('/totals', async (req, res) => {
          const out = await Promise.all(Object.values(Status).map((status) => prisma.ticket.count({ where: { status } })));
          res.json(out);
        });
      `,
    },
    // A React component with state runs in the browser: its requests are the page calling the API
    {
      filename: '/project/src/components/DeleteAll.tsx',
      code: dedent`
        import { useState } from 'react';
        export function DeleteAll({ ids }: { ids: string[] }) {
          const [busy, setBusy] = useState(false);
          const run = async () => {
            setBusy(true);
            for (const id of ids) await fetch('/api/items/' + id, { method: 'DELETE' });
            setBusy(false);
          };
          return <button disabled={busy} onClick={run}>Delete</button>;
        }
      `,
    },
    // Fan-out through a helper: each hook posts to its own URL, so no batch endpoint exists
    {
      code: dedent`
        ${prisma}
        ${express}
        async function deliver(url: string, body: unknown) {
          await fetch(url, { method: 'POST', body: JSON.stringify(body) });
        }
        app.post('/events', async (req, res) => {
          const hooks = await prisma.webhook.findMany();
          for (const hook of hooks) await deliver(hook.url, req.body);
          res.end();
        });
      `,
    },
  ],
  invalid: [
    // Hot and growing: the message names the collection's origin and the route
    {
      code: dedent`
        ${prisma}
        ${express}
        app.get('/orders', async (req, res) => {
          const orders = await prisma.order.findMany();
          for (const order of orders) await prisma.user.findUnique({ where: { id: order.userId } });
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          res.end();
        });
      `,
      errors: [
        {
          messageId: 'sequential',
          messageIncludes: ['every matching row of `prisma.order.findMany`', 'GET /orders'],
        },
      ],
    },
    // The same warm-up, but a route calls it too: it runs per request
    {
      code: dedent`
        ${prisma}
        ${express}
        async function warmProfiles() {
          const users = await prisma.user.findMany();
          for (const user of users) await prisma.profile.findUnique({ where: { userId: user.id } });
                                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
        void warmProfiles();
        app.post('/profiles/refresh', async (req, res) => {
          await warmProfiles();
          res.end();
        });
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['reached from'] }],
    },
    // A request per element to the service's own base URL is one service, not fan-out
    {
      code: dedent`
        ${express}
        async function loadItem(id: string) {
          const res = await fetch(\`\${process.env.ITEMS_URL}/items/\${id}\`);
          return res.json();
        }
        app.post('/basket', async (req, res) => {
          const items = [];
          for (const id of req.body.ids) items.push(await loadItem(id));
                                                          ~~~~~~~~~~~~
          res.json(items);
        });
      `,
      errors: [{ messageId: 'via', messageIncludes: ['what the client sent'] }],
    },
    // Callback-style helper exported as `exports.x = function`, called from an IIFE per element over what a route sent
    {
      files: {
        '/project/src/users.js': dedent`
          const mongoose = require('mongoose');
          const User = mongoose.model('User');
          exports.byId = function (id, callback) {
            User.findOne({ _id: id }, callback);
          };
        `,
        '/project/src/routes.js': dedent`
          const express = require('express');
          const replies = require('./replies');
          const app = express();
          app.post('/replies', (req, res) => replies.withAuthors(req.body.replies, (err, out) => res.json(out)));
        `,
      },
      filename: '/project/src/replies.js',
      code: dedent`
        const users = require('./users');
        exports.withAuthors = function (replies, done) {
          for (let j = 0; j < replies.length; j++) {
            (function (i) {
              users.byId(replies[i].authorId, function (err, author) {
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
                replies[i].author = author;
              });
            })(j);
          }
          done(null, replies);
        };
      `,
      errors: [{ messageId: 'via', messageIncludes: ['`byId`'] }],
    },
  ],
});
