// Batch forms of the query-builder family (knex, kysely, drizzle, Objection): the per-element filter call of a chain
// becomes one `IN` call of all keys; calls that make the read per element in a way one read cannot keep are refused.
import type { z } from 'zod';
import type { BatchForm, LibraryBatchForms } from './batchForms';

// Builder chains: calls that make a read per element in a way one `IN` read cannot keep (a per-key limit, grouping,
// a join that nests rows, a lock, an aggregate, an OR that would join other rows to every key).
const chainRefusals = [
  'limit',
  'offset',
  'page',
  'range',
  'groupBy',
  'groupByRaw',
  'distinct',
  'distinctOn',
  'having',
  'havingRaw',
  'union',
  'unionAll',
  'join',
  'innerJoin',
  'leftJoin',
  'leftOuterJoin',
  'rightJoin',
  'fullJoin',
  'fullOuterJoin',
  'crossJoin',
  'joinRelated',
  'forUpdate',
  'forShare',
  'forNoKeyUpdate',
  'forKeyShare',
  'noWait',
  'skipLocked',
  'count',
  'countDistinct',
  'sum',
  'avg',
  'min',
  'max',
  'pluck',
  'orWhere',
  'orWhereIn',
  'orWhereNot',
  'orWhereRaw',
  'modify',
  'clearWhere',
  'throwIfNotFound',
  'executeTakeFirstOrThrow',
  'for',
  'returning',
];
const knexChain = (extra: { byId?: Record<string, string> } = {}) => ({
  key: {
    kind: 'chain' as const,
    inCall: 'whereIn($COL, $KEYS)',
    firstRow: { first: '' },
    refuse: chainRefusals,
    columns: ['select', 'column', 'columns'],
    ...extra,
  },
  rows: 'many' as const,
  // `first()` resolves to undefined when no row matches.
  missing: 'undefined' as const,
});

const kyselyChain: z.input<typeof BatchForm> = {
  types: ['SelectQueryBuilder'],
  key: {
    kind: 'chain',
    inCall: "where($COL, 'in', $KEYS)",
    firstRow: { executeTakeFirst: 'execute' },
    refuse: chainRefusals,
    columns: ['select'],
  },
  rows: 'many',
  missing: 'undefined',
};

/** Per library id, as in BATCH_FORMS (which spreads these in). */
export const BUILDER_BATCH_FORMS: Record<string, LibraryBatchForms> = {
  kysely: {
    batch: { execute: kyselyChain, executeTakeFirst: kyselyChain },
  },
  drizzle: {
    batch: {
      select: {
        key: {
          kind: 'chain',
          equals: ['eq'],
          filters: ['where'],
          inCall: 'where(inArray($COL, $KEYS))',
          refuse: chainRefusals,
          // `select({ … })` picks fields by other names: the key may not be among them.
          columns: ['select'],
        },
        imports: [{ module: 'drizzle-orm', named: ['inArray'] }],
        rows: 'many',
      },
    },
  },
  objection: {
    batch: { query: knexChain({ byId: { findById: 'findByIds($KEYS)' } }) },
  },
  knex: {
    batch: { '()': knexChain(), select: knexChain(), from: knexChain() },
    // An upsert's `merge()` fails on a key twice in one statement, where the loop's later row won: not batched.
    writeBatch: {
      insert: { row: { kind: 'argument', arg: 0 }, call: 'insert($ROWS)', refuseChain: ['merge', 'returning'] },
    },
  },
};
