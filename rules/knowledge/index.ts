// The built-in library knowledge base and `loadKnowledge`, which merges it with the user's `libraries` setting.
import type { LibraryInput } from './schema';
import { sqlGeneric } from './sqlGeneric';
import { redbeanNode } from './redbean';
import { buildKnowledge, type Knowledge } from './loader';
import { pg } from './pg';
import { mysql } from './mysql';
import { mysql2, mysql2Promise } from './mysql2';
import { betterSqlite3 } from './betterSqlite3';
import { pgPromise, postgresJs } from './postgres';
import { mongodb } from './mongodb';
import { mongoose } from './mongoose';
import { prisma } from './prisma';
import { typeorm } from './typeorm';
import { sequelize } from './sequelize';
import { knex } from './knex';
import { drizzle, drizzleEmbedded } from './drizzle';
import { mikroOrm } from './mikroOrm';
import { objection } from './objection';
import { kysely } from './kysely';
import { ioredis } from './ioredis';
import { redis } from './redis';
import { upstashRedis } from './upstashRedis';
import { axios, fetchGlobal, got, nestAxios, nodeFetch, openidClient, requestPromise, undici } from './http';
import { asyncLib, bluebird, pFilter, pMap, pMapSeries } from './iterationHelpers';
import { cacheManager, dataloader, keyv, lruCache, memoizers, nodeCache } from './caching';

export { KnowledgeError, typeReferences, type Knowledge, type ResolvedType, type TypeReference } from './loader';

/** Every built-in table, in the order their modules are registered. */
export const builtinLibraries: LibraryInput[] = [
  pg,
  postgresJs,
  pgPromise,
  mysql,
  mysql2,
  mysql2Promise,
  betterSqlite3,
  mongodb,
  mongoose,
  prisma,
  typeorm,
  sequelize,
  knex,
  drizzle,
  drizzleEmbedded,
  mikroOrm,
  objection,
  kysely,
  ioredis,
  redis,
  upstashRedis,
  fetchGlobal,
  undici,
  nodeFetch,
  axios,
  got,
  nestAxios,
  requestPromise,
  openidClient,
  asyncLib,
  bluebird,
  pMap,
  pMapSeries,
  pFilter,
  dataloader,
  ...memoizers,
  lruCache,
  nodeCache,
  keyv,
  cacheManager,
  sqlGeneric,
  redbeanNode,
];

/**
 * Parses every built-in table plus `extra` (the `libraries` setting) into one knowledge base.
 * Throws a KnowledgeError naming the library and field of the first bad table or type reference.
 */
export function loadKnowledge(extra: LibraryInput[] = []): Knowledge {
  return buildKnowledge(builtinLibraries, extra);
}
