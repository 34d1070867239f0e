// Generates a multi-file service whose N+1s cross files: route → service (the loop) → store → repository (the query).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `modules` feature modules, each with a repository (the Prisma read), a store that wraps it, a service that calls the
 * store once per element and a router that registers the service as a request handler; every third service batches
 * correctly (no finding), and every fifth is reached only from a cron job, so the findings differ by caller.
 */
export function crossFileProject(modules: number): Record<string, string> {
  const files: Record<string, string> = {
    'src/db.ts': `import { PrismaClient } from '@prisma/client';\n\nexport const prisma = new PrismaClient();\n`,
  };
  const routes: string[] = [`import express from 'express';`];
  const registrations: string[] = [];
  for (let i = 0; i < modules; i++) {
    files[`src/m${i}/repository.ts`] = `import { prisma } from '../db';

export async function findOwner${i}(id: string) {
  return prisma.user.findUnique({ where: { id } });
}

export async function findOwners${i}(ids: string[]) {
  return prisma.user.findMany({ where: { id: { in: ids } } });
}
`;
    files[`src/m${i}/store.ts`] = `import { findOwner${i}, findOwners${i} } from './repository';

export class OwnerStore${i} {
  async get(id: string) {
    return findOwner${i}(id);
  }

  async getMany(ids: string[]) {
    return findOwners${i}(ids);
  }
}

export const owners${i} = new OwnerStore${i}();
`;
    const body =
      i % 3 === 2
        ? `  return owners${i}.getMany(orders.map((order) => order.ownerId));`
        : `  const result = [];\n  for (const order of orders) {\n    result.push(await owners${i}.get(order.ownerId));\n  }\n  return result;`;
    files[`src/m${i}/service.ts`] = `import { owners${i} } from './store';

export async function ownersOf${i}(orders: { ownerId: string }[]) {
${body}
}
`;
    routes.push(`import { ownersOf${i} } from './m${i}/service';`);
    if (i % 5 === 4) {
      files[`src/m${i}/job.ts`] = `import cron from 'node-cron';
import { ownersOf${i} } from './service';

cron.schedule('0 * * * *', async () => {
  await ownersOf${i}([{ ownerId: 'a' }]);
});
`;
    } else
      registrations.push(
        `app.post('/m${i}/owners', async (req, res) => {\n  res.json(await ownersOf${i}(req.body.orders));\n});`,
      );
  }
  files['src/routes.ts'] = `${routes.join('\n')}\n\nexport const app = express();\n\n${registrations.join('\n\n')}\n`;
  return files;
}

/** Writes `files` under a fresh temporary folder and returns it. */
export function writeProject(files: Record<string, string>, prefix = 'perf-advisor-scan-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
