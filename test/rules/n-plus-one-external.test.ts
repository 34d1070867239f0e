// n-plus-one and per-item external work: a query next to a third-party call per element is bound by that call.
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const users = 'const users = await prisma.user.findMany();';

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'a payment API call per element, whose answer the write stores',
      code: dedent`
        ${prisma}
        import Stripe from 'stripe';
        const stripe = new Stripe(process.env.STRIPE_KEY!);
        export async function syncCustomers() {
          ${users}
          for (const user of users) {
            const customer = await stripe.customers.create({ email: user.email });
            await prisma.user.update({ where: { id: user.id }, data: { stripeId: customer.id } });
          }
        }
      `,
    },
    {
      name: 'an HTTP request per element next to the query',
      code: dedent`
        ${prisma}
        export async function refreshAvatars() {
          ${users}
          for (const user of users) {
            const res = await fetch(\`https://avatars.example.com/\${user.login}\`);
            await prisma.user.update({ where: { id: user.id }, data: { avatar: res.url } });
          }
        }
      `,
    },
    {
      name: 'a program run per element (promisified exec)',
      code: dedent`
        ${prisma}
        import { exec } from 'node:child_process';
        import { promisify } from 'node:util';
        const run = promisify(exec);
        export async function restartAll() {
          const services = await prisma.service.findMany();
          for (const service of services) {
            await run(\`docker restart \${service.container}\`);
            await prisma.service.update({ where: { id: service.id }, data: { restartedAt: new Date() } });
          }
        }
      `,
    },
    {
      name: 'an injected client of a third-party package',
      code: dedent`
        ${prisma}
        import { MailerService } from '@nestjs-modules/mailer';
        export class Digest {
          constructor(private readonly mailer: MailerService) {}
          async send() {
            ${users}
            for (const user of users) {
              await this.mailer.sendMail({ to: user.email });
              await prisma.user.update({ where: { id: user.id }, data: { mailedAt: new Date() } });
            }
          }
        }
      `,
    },
    {
      name: 'a project helper that makes the external call',
      code: dedent`
        ${prisma}
        import axios from 'axios';
        async function notify(email: string) {
          await axios.post('https://hooks.example.com/notify', { email });
        }
        export async function notifyAll() {
          ${users}
          for (const user of users) {
            await notify(user.email);
            await prisma.notification.create({ data: { userId: user.id } });
          }
        }
      `,
    },
    {
      name: 'the query runs in the callback of the external call',
      code: dedent`
        ${prisma}
        import Stripe from 'stripe';
        const stripe = new Stripe(process.env.STRIPE_KEY!);
        export async function charge() {
          ${users}
          await Promise.all(
            users.map((user) =>
              stripe.charges.create({ amount: 100, customer: user.stripeId }).then((c) =>
                prisma.payment.create({ data: { userId: user.id, chargeId: c.id } }),
              ),
            ),
          );
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'an in-process utility call is not external work',
      code: dedent`
        ${prisma}
        import _ from 'lodash';
        export async function copyNames() {
          ${users}
          for (const user of users) {
            const name = await Promise.resolve(_.startCase(user.name));
            await prisma.user.update({ where: { id: user.id }, data: { name } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'a Redis command is a round trip the rule judges, not external work',
      code: dedent`
        ${prisma}
        import Redis from 'ioredis';
        const redis = new Redis();
        export async function warm() {
          ${users}
          for (const user of users) {
            await redis.get(\`seen:\${user.id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            await prisma.user.update({ where: { id: user.id }, data: { warmed: true } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: the loop also writes, and a read moved before the loop could miss those writes (see the docs)',
              explanation: '#queries-that-depend-on-each-other',
            },
          ],
        },
        { messageId: 'sequential' },
      ],
    },
    {
      name: 'external work on another branch than the query',
      code: dedent`
        ${prisma}
        import Stripe from 'stripe';
        const stripe = new Stripe(process.env.STRIPE_KEY!);
        export async function tag() {
          ${users}
          for (const user of users) {
            if (user.paying) await stripe.customers.update(user.stripeId, { metadata: { tagged: 'yes' } });
            await prisma.user.update({ where: { id: user.id }, data: { tagged: true } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: "a workspace package is the project's own code",
      code: dedent`
        ${prisma}
        import { audit } from '@acme/audit';
        export async function touchAll() {
          ${users}
          for (const user of users) {
            await audit(user.id);
            await prisma.user.update({ where: { id: user.id }, data: { touched: true } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      files: { '/project/packages/audit/src/index.ts': 'export async function audit(id: string) { void id; }\n' },
      errors: [{ messageId: 'sequential' }],
    },
  ],
});
