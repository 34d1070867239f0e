// Library knowledge for Prisma Client: every query is a lazy PrismaPromise that runs when awaited; `prisma.<model>` is a delegate.
import type { LibraryInput, MethodSpecInput } from './schema';

const inIds = 'findMany({ where: { id: { in: ids } } })';
const read = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'read', deferred: true, ...extra });
const write = (extra: MethodSpecInput = {}): MethodSpecInput => ({ effect: 'write', deferred: true, ...extra });

export const prisma: LibraryInput = {
  id: 'prisma',
  modules: ['@prisma/client', '@prisma/client/edge'],
  // The generated client's declarations (`prisma.user` is a `Prisma.UserDelegate`), for the type checker.
  declarations: { packages: ['.prisma/client'], patterns: [{ match: '^\\w+Delegate$', type: 'Delegate' }] },
  exports: {
    PrismaClient: { construct: 'PrismaClient', type: 'PrismaClient', instanceType: 'PrismaClient' },
  },
  types: {
    PrismaClient: {
      // Each PrismaClient starts its own query engine and connection pool.
      connection: 'pool',
      anyProperty: 'Delegate',
      methods: {
        $connect: { lifecycle: 'connect' },
        $disconnect: { lifecycle: 'close' },
        $queryRaw: read({
          sqlArg: 0,
          batchForm: 'one `$queryRaw` with `WHERE id = ANY(${ids})` (or `IN (${Prisma.join(ids)})`)',
        }),
        $queryRawUnsafe: read({ sqlArg: 0, batchForm: 'one `$queryRawUnsafe` with `WHERE id = ANY($1)`' }),
        $executeRaw: write({ sqlArg: 0 }),
        $executeRawUnsafe: write({ sqlArg: 0 }),
        $runCommandRaw: { effect: 'write' },
        // The array form sends all its queries in one transaction; it is the batch form for mixed writes.
        $transaction: { effect: 'write', batch: true },
        $extends: { returns: 'ExtendedClient' },
        $on: {},
        $use: {}, // middleware, removed in Prisma 6
      },
    },
    // $extends() wraps the same client: same engine, same pool.
    ExtendedClient: { extends: ['PrismaClient'], anyProperty: 'Delegate' },
    Delegate: {
      description: 'A model delegate, `prisma.user`.',
      methods: {
        findMany: read({ collection: true, bound: { options: ['take'], optionsArg: 0 }, batchForm: inIds }),
        findFirst: read({ single: true, batchForm: inIds }),
        findFirstOrThrow: read({ single: true, batchForm: inIds }),
        // Prisma's dataloader merges findUnique calls made in the same tick (e.g. inside Promise.all) into one query.
        findUnique: read({ single: true, tickBatched: true, batchForm: inIds }),
        findUniqueOrThrow: read({ single: true, tickBatched: true, batchForm: inIds }),
        count: read({ batchForm: "groupBy({ by: ['key'], _count: true })" }),
        aggregate: read({ batchForm: "groupBy({ by: ['key'], _sum: … })" }),
        groupBy: read(),
        create: write({ batchForm: 'createMany({ data: rows })' }),
        createMany: write({ batch: true }),
        createManyAndReturn: write({ batch: true }),
        update: write({ batchForm: 'updateMany({ where: { id: { in: ids } }, data })' }),
        updateMany: write({ batch: true }),
        updateManyAndReturn: write({ batch: true }),
        upsert: write({
          batchForm: 'one `$transaction([...])` of the upserts, or createMany({ skipDuplicates: true }) + updateMany',
        }),
        delete: write({ batchForm: 'deleteMany({ where: { id: { in: ids } } })' }),
        deleteMany: write({ batch: true }),
      },
    },
  },
};
