// How N updates of one row each become one round trip, per library, as data (n-plus-one's update batch,
// rules/fixes/updateBatch.ts). Data the same for every row: one update of all keys; data per row: a form that keeps
// each row's own values (a batch transaction, a bulkWrite, `UPDATE … FROM` a typed record set), or none.
import { z } from 'zod';

const Place = z.object({ arg: z.number().int(), path: z.array(z.string()).default([]) });

export const UpdateBatchForm = z.object({
  /** Receiver types (of this library) the form applies to; empty: any. */
  types: z.array(z.string()).default([]),
  /**
   * Where the update's parts sit: a filter and data in the call's arguments (`update({ where, data })`,
   * `update(data, { where })`); `argument`: the filter argument is the key itself (`update(id, data)`); `sql`: an
   * `UPDATE t SET c = $1 WHERE id = $2` with its values in the parameter array.
   */
  shape: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('filter'), filter: Place, data: Place }),
    z.object({ kind: z.literal('argument'), filterArg: z.number().int(), data: Place }),
    z.object({ kind: z.literal('sql') }),
  ]),
  /**
   * Data the same for every row: the key's value becomes `inValue` over all keys (`$KEYS`), the method `method` when
   * given (`update` → `updateMany`). Prisma's `update` throws on a missing row where `updateMany` skips it.
   */
  sameData: z
    .object({
      method: z.string().optional(),
      inValue: z.string(),
      imports: z.array(z.object({ module: z.string(), named: z.array(z.string()) })).default([]),
    })
    .optional(),
  /**
   * Data that differs per row: `transaction` sends the per-row calls as one batch transaction of the client the call
   * starts from (`$ROOT.$transaction($CALLS)`; not inside an interactive transaction); `bulk` sends one bulk call
   * whose operations are `op` with `$FILTER` and `$DATA` of each row; `sql`: `UPDATE … FROM json_populate_recordset`;
   * `none`: no one-round-trip form keeps each row's own data (the action explains the options instead).
   */
  perRow: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('transaction'), call: z.string() }),
    z.object({ kind: z.literal('bulk'), call: z.string(), op: z.string() }),
    z.object({ kind: z.literal('sql') }),
    z.object({ kind: z.literal('none') }),
  ]),
  maxArgs: z.number().int().default(9),
});
export type UpdateBatchForm = z.infer<typeof UpdateBatchForm>;

type FormInput = z.input<typeof UpdateBatchForm>;

const mongooseBulk = {
  kind: 'bulk' as const,
  call: 'bulkWrite($OPS)',
  op: '{ updateOne: { filter: $FILTER, update: $DATA } }',
};
const mongooseFilter = (method: string): FormInput => ({
  shape: { kind: 'filter', filter: { arg: 0 }, data: { arg: 1 } },
  sameData: { method, inValue: '{ $in: $KEYS }' },
  perRow: mongooseBulk,
  maxArgs: 2,
});
const typeormSameData = { inValue: 'In($KEYS)', imports: [{ module: 'typeorm', named: ['In'] }] };

const UPDATE_FORMS: Record<string, Record<string, FormInput>> = {
  prisma: {
    update: {
      shape: { kind: 'filter', filter: { arg: 0, path: ['where'] }, data: { arg: 0, path: ['data'] } },
      sameData: { method: 'updateMany', inValue: '{ in: $KEYS }' },
      perRow: { kind: 'transaction', call: '$transaction($CALLS)' },
      maxArgs: 1,
    },
  },
  mongoose: {
    updateOne: mongooseFilter('updateMany'),
    findOneAndUpdate: mongooseFilter('updateMany'),
    findByIdAndUpdate: {
      shape: { kind: 'argument', filterArg: 0, data: { arg: 1 } },
      perRow: { ...mongooseBulk, op: '{ updateOne: { filter: { _id: $FILTER }, update: $DATA } }' },
      maxArgs: 2,
    },
  },
  // TypeORM's `update(criteria, data)` takes a list of ids as criteria too; per row it has no one-statement form.
  typeorm: {
    update: {
      types: ['Repository', 'BaseEntityStatic'],
      shape: { kind: 'filter', filter: { arg: 0 }, data: { arg: 1 } },
      sameData: typeormSameData,
      perRow: { kind: 'none' },
      maxArgs: 2,
    },
  },
  sequelize: {
    update: {
      shape: { kind: 'filter', filter: { arg: 1, path: ['where'] }, data: { arg: 0 } },
      sameData: { inValue: '{ [Op.in]: $KEYS }', imports: [{ module: 'sequelize', named: ['Op'] }] },
      perRow: { kind: 'none' },
      maxArgs: 2,
    },
  },
  pg: { query: { shape: { kind: 'sql' }, perRow: { kind: 'sql' }, maxArgs: 2 } },
};

const PARSED = new Map(
  Object.entries(UPDATE_FORMS).map(([library, forms]) => [
    library,
    new Map(Object.entries(forms).map(([method, form]) => [method, UpdateBatchForm.parse(form)])),
  ]),
);

/** The update batch form of a library's write method, if it has one. */
export function updateFormOf(library: string, method: string): UpdateBatchForm | undefined {
  return PARSED.get(library)?.get(method);
}
