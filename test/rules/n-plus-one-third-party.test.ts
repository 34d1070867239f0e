// n-plus-one and HTTP calls per element: someone else's API (no bulk endpoint of ours) is fan-out; our own service is not.
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const devices = 'const devices = await prisma.device.findMany();';

runRuleTests('n-plus-one', {
  valid: [
    {
      name: 'a push service at a public host',
      code: dedent`
        ${prisma}
        export async function pushAll() {
          ${devices}
          for (const device of devices) {
            await fetch('https://api.pushover.net/1/messages.json', { method: 'POST', body: device.token });
          }
        }
      `,
    },
    {
      name: 'a configured base that defaults to a public API',
      code: dedent`
        ${prisma}
        const PUSH_API = process.env.PUSH_API ?? 'https://api.pushover.net';
        export async function pushAll() {
          ${devices}
          for (const device of devices) {
            await fetch(\`\${PUSH_API}/1/messages.json\`, { method: 'POST', body: device.token });
          }
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'our own service on loopback',
      code: dedent`
        ${prisma}
        export async function statuses() {
          ${devices}
          for (const device of devices) {
            await fetch(\`http://localhost:3000/devices/\${device.id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'a neighbour service by its cluster name',
      code: dedent`
        ${prisma}
        export async function statuses() {
          ${devices}
          for (const device of devices) {
            await fetch(\`http://device-service/devices/\${device.id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'a configured base with no public default',
      code: dedent`
        ${prisma}
        export async function statuses() {
          ${devices}
          for (const device of devices) {
            await fetch(\`\${process.env.DEVICE_API}/devices/\${device.id}\`);
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
  ],
});
