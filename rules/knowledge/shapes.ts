// Call shapes: when a receiver cannot be traced (a parameter, a context object, an untyped wrapper), the
// call's own arguments can still prove what it is — SQL text, a Prisma `where`, a MongoDB `_id`/`$set`.
// Each shape names the library type whose method specs then apply, so messages and batch forms stay the same.

export interface CallShape {
  /** What the evidence is, for documentation and tests. */
  name: string;
  /** The library and handle type whose `methods[method]` spec the call gets. */
  library: string;
  typeName: string;
  /** Method names this shape can apply to (they must exist on the type). */
  methods: string[];
  /** The evidence required in the call's arguments and receiver. */
  evidence:
    | { kind: 'sqlText'; arg: number }
    | { kind: 'optionKeys'; arg: number; keys: string[]; receiverIsProperty: boolean }
    | { kind: 'mongoOperators'; args: number[] }
    /** The result is consumed by a method only this library has (`find(…).toArray()`). */
    | { kind: 'followedBy'; methods: string[] };
}

export const CALL_SHAPES: CallShape[] = [
  {
    name: 'SQL text as the first argument',
    library: 'sql',
    typeName: 'Client',
    methods: [
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
    ],
    evidence: { kind: 'sqlText', arg: 0 },
  },
  {
    name: 'a Prisma model delegate call (`x.<model>.findMany({ where })`)',
    library: 'prisma',
    typeName: 'Delegate',
    methods: [
      'findMany',
      'findFirst',
      'findFirstOrThrow',
      'findUnique',
      'findUniqueOrThrow',
      'count',
      'aggregate',
      'groupBy',
      'create',
      'createMany',
      'update',
      'updateMany',
      'upsert',
      'delete',
      'deleteMany',
    ],
    evidence: {
      kind: 'optionKeys',
      arg: 0,
      keys: ['where', 'data', 'include', 'select', 'orderBy', 'cursor', 'distinct', 'by'],
      receiverIsProperty: true,
    },
  },
  {
    name: 'a MongoDB filter or update with `_id` or `$` operators',
    library: 'mongodb',
    typeName: 'Collection',
    methods: [
      'find',
      'findOne',
      'updateOne',
      'updateMany',
      'deleteOne',
      'deleteMany',
      'insertOne',
      'replaceOne',
      'findOneAndUpdate',
      'findOneAndDelete',
      'findOneAndReplace',
      'countDocuments',
      'distinct',
    ],
    evidence: { kind: 'mongoOperators', args: [0, 1] },
  },
  {
    name: 'a MongoDB cursor drained with `.toArray()`',
    library: 'mongodb',
    typeName: 'Collection',
    methods: ['find', 'aggregate'],
    evidence: { kind: 'followedBy', methods: ['toArray'] },
  },
];
