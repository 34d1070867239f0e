// unbounded-read: a Redis buffer drained on flush (read whole, then its key deleted) must be read whole; other whole reads stay reported.
import { dedent, runRuleTests } from './ruleTester';

const ioredis = "'use server';\nimport Redis from 'ioredis';\nconst redis = new Redis();\n";

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'a list read whole, then deleted: the flush takes what piled up since the last one',
      code: dedent`
        ${ioredis}
        export async function flush(ids: string[]) {
          const out: Record<string, string[]> = {};
          for (const id of ids) {
            const key = \`buffer:\${id}\`;
            const items = await redis.lrange(key, 0, -1);
            await redis.del(key);
            out[id] = items;
          }
          return out;
        }
      `,
    },
    {
      name: 'a set read whole, then unlinked',
      code: dedent`
        ${ioredis}
        export async function takePending() {
          const ids = await redis.smembers('pending');
          await redis.unlink('pending');
          return ids;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'a list read whole and kept',
      code: dedent`
        ${ioredis}
        export async function flush(id: string) {
          const key = \`buffer:\${id}\`;
          const items = await redis.lrange(key, 0, -1);
                              ~~~~~~~~~~~~~~~~~~~~~~~~
          return items;
        }
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
    {
      name: 'another key deleted after the read',
      code: dedent`
        ${ioredis}
        export async function flush(id: string) {
          const items = await redis.lrange(\`buffer:\${id}\`, 0, -1);
                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          await redis.del(\`lock:\${id}\`);
          return items;
        }
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
    {
      name: 'a key deleted before the read',
      code: dedent`
        ${ioredis}
        export async function rebuild(id: string) {
          const key = \`buffer:\${id}\`;
          await redis.del(key);
          return redis.lrange(key, 0, -1);
                 ~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
  ],
});
