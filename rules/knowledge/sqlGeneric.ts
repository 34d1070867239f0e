// A driver-neutral SQL client, used by call shapes for calls that carry SQL text on an untraceable receiver.
import type { LibraryInput } from './schema';

const statement = {
  effect: 'read',
  sqlArg: 0,
  batchForm: 'one statement for all of them (`WHERE id = ANY($1)` / `IN (…)`, or multi-row VALUES)',
} as const;

export const sqlGeneric: LibraryInput = {
  id: 'sql',
  // Never imported: reached only through call shapes.
  modules: [],
  types: {
    Client: {
      methods: Object.fromEntries(
        [
          'query',
          'execute',
          'exec',
          'raw',
          'all',
          'get',
          'run',
          'one',
          'many',
          'any',
          'none',
          'oneOrNone',
          'manyOrNone',
          'getAll',
          'getRow',
          'getCell',
        ].map((name) => [name, statement]),
      ),
    },
  },
};
