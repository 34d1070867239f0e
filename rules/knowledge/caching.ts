// Library knowledge for memoizers, DataLoader and in-process/Keyv cache stores: what already caches or batches a read.
import type { ExportSpecInput, HandleTypeInput, LibraryInput } from './schema';

const memoizer: ExportSpecInput = { call: { memoizes: { fnArg: 0 } } };
/** A library whose default export (and CommonJS value) memoizes its first argument. */
const memoizerLibrary = (id: string, modules: string[], extra: Record<string, ExportSpecInput> = {}): LibraryInput => ({
  id,
  modules,
  exports: { default: memoizer, '*': memoizer, ...extra },
});

export const memoizers: LibraryInput[] = [
  memoizerLibrary('memoizee', ['memoizee']),
  memoizerLibrary('p-memoize', ['p-memoize'], { pMemoizeDecorator: {} }),
  // sindresorhus' `mem` was renamed `memoize`; same API.
  memoizerLibrary('mem', ['mem', 'memoize'], { memDecorator: {}, memoizeDecorator: {} }),
  memoizerLibrary('lodash-memoize', ['lodash.memoize', 'lodash/memoize']),
  memoizerLibrary('fast-memoize', ['fast-memoize']),
  memoizerLibrary('micro-memoize', ['micro-memoize']),
  memoizerLibrary('memoize-one', ['memoize-one']),
  {
    id: 'moize',
    modules: ['moize'],
    exports: {
      default: { ...memoizer, members: { promise: memoizer, infinite: memoizer, deep: memoizer, shallow: memoizer } },
      '*': { ...memoizer, members: { promise: memoizer, infinite: memoizer, deep: memoizer, shallow: memoizer } },
    },
  },
  {
    id: 'lodash',
    modules: ['lodash', 'lodash-es'],
    // `_.memoize(fn)`: the default export and the CommonJS value are the `_` namespace.
    exports: { memoize: memoizer, default: { members: { memoize: memoizer } } },
  },
];

export const dataloader: LibraryInput = {
  id: 'dataloader',
  modules: ['dataloader'],
  exports: {
    // The batch function passed to the constructor gets all keys of one tick at once.
    default: { construct: 'DataLoader', constructCall: { memoizes: { fnArg: 0 } }, type: 'DataLoader' },
    '*': { construct: 'DataLoader', constructCall: { memoizes: { fnArg: 0 } }, type: 'DataLoader' },
  },
  types: {
    DataLoader: {
      description: 'load/loadMany are the batch form themselves: calls in one tick become one batch function call.',
      methods: {
        load: {},
        loadMany: {},
        clear: { returns: 'DataLoader' },
        clearAll: { returns: 'DataLoader' },
        prime: { returns: 'DataLoader' },
      },
    },
  },
};

const storeMethods = (names: string[]): NonNullable<HandleTypeInput['methods']> =>
  Object.fromEntries(names.map((name) => [name, {}]));

export const lruCache: LibraryInput = {
  id: 'lru-cache',
  modules: ['lru-cache'],
  exports: {
    LRUCache: { construct: 'LRUCache', type: 'LRUCache' },
    // v7–v9 default export; v6 and older `module.exports = LRUCache`.
    default: { construct: 'LRUCache', type: 'LRUCache' },
    '*': {
      construct: 'LRUCache',
      type: 'LRUCache',
      members: { LRUCache: { construct: 'LRUCache', type: 'LRUCache' } },
    },
  },
  types: {
    LRUCache: {
      cacheStore: true,
      // del and reset are the v6 names of delete and clear.
      methods: storeMethods([
        'get',
        'set',
        'has',
        'delete',
        'del',
        'peek',
        'clear',
        'reset',
        'fetch',
        'memo',
        'forEach',
        'keys',
        'values',
      ]),
    },
  },
};

export const nodeCache: LibraryInput = {
  id: 'node-cache',
  modules: ['node-cache'],
  exports: {
    default: { construct: 'NodeCache', type: 'NodeCache' },
    '*': { construct: 'NodeCache', type: 'NodeCache' },
  },
  types: {
    NodeCache: {
      cacheStore: true,
      methods: storeMethods([
        'get',
        'set',
        'mget',
        'mset',
        'del',
        'has',
        'take',
        'ttl',
        'getTtl',
        'keys',
        'flushAll',
        'close',
      ]),
    },
  },
};

export const keyv: LibraryInput = {
  id: 'keyv',
  modules: ['keyv'],
  exports: {
    default: { construct: 'Keyv', type: 'Keyv' },
    Keyv: { construct: 'Keyv', type: 'Keyv' },
    '*': { construct: 'Keyv', type: 'Keyv', members: { Keyv: { construct: 'Keyv', type: 'Keyv' } } },
  },
  types: {
    // Keyv may sit on Redis, but it is the cache layer itself: its get/set are not reads to cache.
    Keyv: {
      cacheStore: true,
      methods: storeMethods(['get', 'set', 'delete', 'has', 'clear', 'getMany', 'setMany', 'deleteMany', 'disconnect']),
    },
  },
};

export const cacheManager: LibraryInput = {
  id: 'cache-manager',
  modules: ['cache-manager'],
  exports: {
    createCache: { call: { returns: 'Cache' } },
    // v5: `await caching('memory', options)`.
    caching: { call: { resolves: 'Cache' } },
    multiCaching: { call: { returns: 'Cache' } },
    Cache: { type: 'Cache' },
  },
  types: {
    Cache: {
      cacheStore: true,
      methods: {
        ...storeMethods(['get', 'set', 'del', 'mget', 'mset', 'mdel', 'clear', 'reset', 'ttl']),
        // wrap(key, fn, ttl) calls fn only on a miss.
        wrap: { memoizes: { fnArg: 1 } },
      },
    },
  },
};
