// The cache-aside helper module the missing-cache fix adds to a project once, as TypeScript or JavaScript source.

export const CACHE_HELPER_BASENAME = 'perfAdvisorCache';

const BODY = `let client__TYPE__;

/** One shared Redis connection (REDIS_URL), created on first use. */
function redis()__RET__ {
  client ??= new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 3 });
  return client;
}

/** Use an existing client instead of the one created from REDIS_URL. */
export function setCacheClient(existing__PARAM__)__VOID__ {
  client = existing;
}

const wait = (ms__NUM__) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cache-aside: returns the cached value for \`key\`, or loads it, stores it as JSON with the TTL plus
 * up to 10 % jitter (so entries written together do not expire together) and returns it. A short
 * lock (SET NX PX) lets one caller refill a missing entry while the others wait for it, which
 * keeps a cache stampede off the database.
 */
export async function cached__GENERIC__(key__STR__, ttlSeconds__NUM__, load__LOADER__)__PROMISE__ {
  const r = redis();
  const hit = await r.get(key);
  if (hit !== null) return JSON.parse(hit);
  const lockKey = \`\${key}:lock\`;
  const locked = (await r.set(lockKey, '1', 'PX', 10_000, 'NX')) === 'OK';
  if (!locked) {
    for (let attempt = 0; attempt < 20; attempt++) {
      await wait(50);
      const filled = await r.get(key);
      if (filled !== null) return JSON.parse(filled);
    }
  }
  try {
    const value = await load();
    if (value !== undefined) {
      const jitter = Math.floor(ttlSeconds * 0.1 * Math.random());
      await r.set(key, JSON.stringify(value), 'EX', ttlSeconds + jitter);
    }
    return value;
  } finally {
    if (locked) await r.del(lockKey);
  }
}
`;

const TS_TYPES: Record<string, string> = {
  __TYPE__: ': Redis | undefined',
  __RET__: ': Redis',
  __PARAM__: ': Redis',
  __VOID__: ': void',
  __NUM__: ': number',
  __STR__: ': string',
  __GENERIC__: '<T>',
  __LOADER__: ': () => Promise<T>',
  __PROMISE__: ': Promise<T>',
};

/** The helper's source: TypeScript for .ts projects, ES modules or CommonJS JavaScript otherwise. */
export function cacheHelperSource(language: 'ts' | 'esm' | 'cjs'): string {
  const header = '// Cache-aside helper added by Perf Advisor: Redis with TTL + jitter and a lock against stampedes.\n';
  let body = BODY.replace(/__[A-Z]+__/g, (token) => (language === 'ts' ? (TS_TYPES[token] ?? '') : ''));
  if (language === 'ts') {
    body = body
      .replace('if (hit !== null) return JSON.parse(hit);', 'if (hit !== null) return JSON.parse(hit) as T;')
      .replace(
        'if (filled !== null) return JSON.parse(filled);',
        'if (filled !== null) return JSON.parse(filled) as T;',
      );
  }
  if (language === 'cjs') {
    body = body.replace(
      /^export (async )?function (\w+)/gm,
      (_m, isAsync: string | undefined, name: string) => `${isAsync ?? ''}function ${name}`,
    );
    return `${header}const Redis = require('ioredis');\n\n${body}\nmodule.exports = { cached, setCacheClient };\n`;
  }
  return `${header}import Redis from 'ioredis';\n\n${body}`;
}
