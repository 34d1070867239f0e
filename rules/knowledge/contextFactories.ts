// Where GraphQL servers take their per-request context factory, as data: the call, its options argument and the option.
// The DataLoader fix puts its loader there (one per request, created with the request's context) when a file has one.

/** How the call that takes the options is made. */
export type ContextFactoryCall =
  /** `name(…)`, `name` imported from one of `modules`. */
  | { kind: 'function'; name: string }
  /** `new name(…)`, `name` imported from one of `modules`. */
  | { kind: 'construct'; name: string }
  /** `anything.method(plugin, options)`, `plugin` the default export of one of `modules` (fastify's `register`). */
  | { kind: 'plugin'; method: string };

export interface ContextFactory {
  /** For docs and tests. */
  server: string;
  modules: readonly string[];
  call: ContextFactoryCall;
  /** Index of the options object among the call's arguments. */
  optionsArgument: number;
  /** The option holding the factory; its value is a function called once per request that returns the context. */
  option: string;
}

export const CONTEXT_FACTORIES: readonly ContextFactory[] = [
  {
    server: 'Apollo Server 4 (standalone)',
    modules: ['@apollo/server/standalone'],
    call: { kind: 'function', name: 'startStandaloneServer' },
    optionsArgument: 1,
    option: 'context',
  },
  {
    server: 'Apollo Server 4 (Express)',
    modules: ['@apollo/server/express4', '@as-integrations/express4', '@as-integrations/express5'],
    call: { kind: 'function', name: 'expressMiddleware' },
    optionsArgument: 1,
    option: 'context',
  },
  {
    server: 'Apollo Server 2–3',
    modules: [
      'apollo-server',
      'apollo-server-express',
      'apollo-server-fastify',
      'apollo-server-koa',
      'apollo-server-hapi',
      'apollo-server-lambda',
      'apollo-server-micro',
    ],
    call: { kind: 'construct', name: 'ApolloServer' },
    optionsArgument: 0,
    option: 'context',
  },
  {
    server: 'graphql-yoga',
    modules: ['graphql-yoga'],
    call: { kind: 'function', name: 'createYoga' },
    optionsArgument: 0,
    option: 'context',
  },
  {
    server: 'mercurius',
    modules: ['mercurius'],
    call: { kind: 'plugin', method: 'register' },
    optionsArgument: 1,
    option: 'context',
  },
];
