// Built-in iteration: array methods that run a callback per element, and the Promise combinators that await them.

/**
 * Array methods whose first argument runs once per element; `sequential` where iterations chain (reduce), and
 * `elementParameter` where the element is not the callback's first parameter (reduce's is the accumulator).
 */
export const ARRAY_ITERATION_METHODS: Record<string, { sequential?: boolean; elementParameter?: number }> = {
  forEach: {},
  map: {},
  flatMap: {},
  filter: {},
  some: {},
  every: {},
  find: {},
  findIndex: {},
  findLast: {},
  reduce: { sequential: true, elementParameter: 1 },
  reduceRight: { sequential: true, elementParameter: 1 },
};

/** `Promise.<name>(...)` awaits many operations at once. */
export const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
