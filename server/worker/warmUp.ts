// Warms the analysis worker up at start: parsing and analysing a small built-in service compiles the parser's and the
// rules' code before the first real file arrives (the first parse of a large file is otherwise ~1.5x slower).
import type { AnalysisSession } from '../engine';

/** Outside any workspace: never a real file, removed again at once. */
const WARM_UP_PATH = '/__perf-advisor-warm-up__/service.ts';

function serviceModule(copy: number): string {
  return `
export class Orders${copy} {
  constructor(private readonly db: Pool) {}
  async totals(ids: string[]): Promise<number[]> {
    const out: number[] = [];
    for (const id of ids) {
      const { rows } = await this.db.query('SELECT sum(amount) AS total FROM orders WHERE user_id = $1', [id]);
      out.push(Number(rows[0]?.total ?? 0));
    }
    return out;
  }
}
export async function feed${copy}(users: { id: number }[]) {
  const cached = await redis.get(\`feed:\${users.length}\`);
  if (cached) return JSON.parse(cached) as unknown;
  const posts = await Promise.all(users.map((user) => prisma.post.findMany({ where: { authorId: user.id } })));
  await redis.set(\`feed:\${users.length}\`, JSON.stringify(posts));
  const all = await prisma.user.findMany();
  return { posts, all, size: all.length > 10 ? 'large' : 'small' };
}
app.get('/feed/${copy}', async (req, res) => res.json(await feed${copy}(req.body.users)));
`;
}

const SOURCE = `import { Pool } from 'pg';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';
import express from 'express';
const pool = new Pool({ max: 20 });
const redis = new Redis();
const prisma = new PrismaClient();
const app = express();
${[0, 1, 2, 3].map(serviceModule).join('')}
export { pool };
`;

/**
 * Parses, re-parses after an edit and analyses the built-in service, then forgets it. Call before any real file is
 * loaded.
 */
export function warmUpSession(session: AnalysisSession): void {
  session.upsertFile(WARM_UP_PATH, SOURCE);
  session.analyzeFile(WARM_UP_PATH);
  session.upsertFile(WARM_UP_PATH, SOURCE.replace('max: 20', 'max: 21'));
  session.analyzeFile(WARM_UP_PATH);
  session.removeFile(WARM_UP_PATH);
}
