// How a relation walked per element is loaded with the rows read just before (ORM eager loading), as data.
import { z } from 'zod';

/**
 * How a relation walked per element of rows read just before is loaded with those rows instead (ORM eager loading):
 * the parent read gets `include`/`populate`, the per-element read becomes the loaded value. `$REL` is the relation,
 * `$EL` the element.
 */
export const EagerForm = z.object({
  /** The relation is named by a fluent call after a by-id read of the element (`findUnique(…).posts()`), or by the
   * string argument of a method called on the element (`comment.populate('author')`). */
  relation: z.enum(['fluentCall', 'elementArgument']),
  /** Methods of the parent read (the loop collection's initializer) this form can extend. */
  parents: z.array(z.string()),
  /** How the parent read loads the relation: an entry of an options object, or a call chained after it. */
  load: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('option'), arg: z.number().int(), property: z.string(), entry: z.string() }),
    z.object({ kind: z.literal('chain'), call: z.string() }),
  ]),
  /** Options of the parent read that rule the relation out (`select` picks fields: the relation is not among them). */
  refuseOptions: z.array(z.string()).default([]),
  /** What the per-element read becomes. */
  replacement: z.string(),
});
export type EagerForm = z.infer<typeof EagerForm>;

export const prismaEager: z.input<typeof EagerForm> = {
  relation: 'fluentCall',
  parents: ['findMany'],
  load: { kind: 'option', arg: 0, property: 'include', entry: '$REL: true' },
  refuseOptions: ['select'],
  replacement: '$EL.$REL',
};
