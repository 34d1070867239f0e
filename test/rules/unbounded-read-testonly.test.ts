// unbounded-read: a function its own comment keeps for tests ("Used for testing") is one-off code; other comments change nothing.
import { dedent, runRuleTests } from './ruleTester';

const ioredis = "import Redis from 'ioredis';\n";

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'KEYS in a method documented as used for testing',
      code: dedent`
        ${ioredis}
        export class RedisCache {
          constructor(private client: Redis) {}
          // Used for testing
          getAllKeys() {
            return this.client.keys('*');
          }
        }
      `,
    },
    {
      name: 'a method documented as used for testing',
      code: dedent`
        ${ioredis}
        export class RedisCache {
          constructor(private client: Redis) {}
          // Used for testing
          jobs(id: string) {
            return this.client.lrange(\`queue:\${id}\`, 0, -1);
          }
        }
      `,
    },
    {
      name: 'a function documented as test-only',
      code: dedent`
        ${ioredis}
        const redis = new Redis();
        /** Test-only helper: lists every queued job so a test can assert on them. */
        export const jobs = (id: string) => redis.lrange(\`queue:\${id}\`, 0, -1);
      `,
    },
  ],
  invalid: [
    {
      name: 'the same method without the comment',
      code: dedent`
        ${ioredis}
        export class RedisCache {
          constructor(private client: Redis) {}
          jobs(id: string) {
            return this.client.lrange(\`queue:\${id}\`, 0, -1);
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
    {
      name: 'a comment that mentions tests without keeping the function for them',
      code: dedent`
        ${ioredis}
        export class RedisCache {
          constructor(private client: Redis) {}
          // Lists every queued job (see the tests for the expected shape)
          jobs(id: string) {
            return this.client.lrange(\`queue:\${id}\`, 0, -1);
                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'wholeRange' }],
    },
  ],
});
