// Built-in iteration: array methods that run a callback per element, and the Promise combinators that await them.

/** Array methods whose first argument runs once per element; `sequential` where iterations chain (reduce). */
export const ARRAY_ITERATION_METHODS: Record<string, { sequential?: boolean }> = {
  forEach: {},
  map: {},
  flatMap: {},
  filter: {},
  some: {},
  every: {},
  find: {},
  findIndex: {},
  findLast: {},
  reduce: { sequential: true },
  reduceRight: { sequential: true },
};

/** `Promise.<name>(...)` awaits many operations at once. */
export const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
