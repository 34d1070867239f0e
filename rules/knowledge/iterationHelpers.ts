// Library knowledge for helpers that call a callback once per element: async, neo-async, bluebird, p-map and friends.
import type { ExportSpecInput, LibraryInput } from './schema';

type Iteration = { collectionArg: number; callbackArg: number; concurrent: boolean };
const iterator = (iterates: Iteration): ExportSpecInput => ({ call: { iterates } });
const series = (callbackArg = 1) => iterator({ collectionArg: 0, callbackArg, concurrent: false });
const parallel = (callbackArg = 1) => iterator({ collectionArg: 0, callbackArg, concurrent: true });

/** async's collection helpers: `x(coll, fn)`, `xSeries(coll, fn)`, `xLimit(coll, limit, fn)`. */
function asyncHelpers(): Record<string, ExportSpecInput> {
  const helpers: Record<string, ExportSpecInput> = {};
  const families = [
    'each',
    'forEach',
    'eachOf',
    'forEachOf',
    'map',
    'mapValues',
    'filter',
    'select',
    'reject',
    'concat',
    'flatMap',
    'detect',
    'find',
    'some',
    'any',
    'every',
    'all',
    'groupBy',
  ];
  for (const name of families) {
    helpers[name] = parallel(1);
    helpers[`${name}Series`] = series(1);
    helpers[`${name}Limit`] = parallel(2);
  }
  helpers.sortBy = parallel(1);
  // reduce(coll, memo, fn) runs one element at a time.
  helpers.reduce = series(2);
  helpers.foldl = series(2);
  helpers.reduceRight = series(2);
  helpers.foldr = series(2);
  helpers.transform = series(2);
  return helpers;
}

const asyncExports = asyncHelpers();

export const asyncLib: LibraryInput = {
  id: 'async',
  modules: ['async', 'async-es', 'neo-async'],
  exports: { ...asyncExports, default: { members: asyncExports } },
};

const bluebirdStatics: Record<string, ExportSpecInput> = {
  map: parallel(1),
  filter: parallel(1),
  mapSeries: series(1),
  each: series(1),
  reduce: series(1),
};

export const bluebird: LibraryInput = {
  id: 'bluebird',
  modules: ['bluebird'],
  exports: {
    // `Promise.map(items, fn, { concurrency })` etc. live on the class, the CommonJS export.
    default: { members: bluebirdStatics },
    '*': { members: bluebirdStatics },
  },
};

export const pMap: LibraryInput = {
  id: 'p-map',
  modules: ['p-map'],
  exports: { default: parallel(1), '*': parallel(1), pMapIterable: parallel(1) },
};

export const pMapSeries: LibraryInput = {
  id: 'p-map-series',
  modules: ['p-map-series', 'p-each-series'],
  exports: { default: series(1), '*': series(1) },
};

export const pFilter: LibraryInput = {
  id: 'p-filter',
  modules: ['p-filter'],
  exports: { default: parallel(1), '*': parallel(1) },
};
