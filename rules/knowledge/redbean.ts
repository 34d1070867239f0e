// Library knowledge for redbean-node (`const { R } = require('redbean-node')`): a static facade whose calls are queries.
import type { LibraryInput } from './schema';

const batchForm = 'one query for all of them (`R.find(table, "id IN (…)")`, or one `R.exec` with `IN (…)`)';

export const redbeanNode: LibraryInput = {
  id: 'redbean-node',
  modules: ['redbean-node'],
  exports: {
    R: { value: 'R' },
  },
  types: {
    R: {
      methods: {
        findOne: { effect: 'read', single: true, batchForm },
        load: { effect: 'read', single: true, batchForm },
        find: { effect: 'read', batchForm },
        getAll: { effect: 'read', sqlArg: 0, batchForm },
        getRow: { effect: 'read', sqlArg: 0, batchForm },
        getCell: { effect: 'read', sqlArg: 0, batchForm },
        getCol: { effect: 'read', sqlArg: 0, batchForm },
        count: { effect: 'read', batchForm },
        exec: { effect: 'write', sqlArg: 0, batchForm },
        store: { effect: 'write', batchForm: 'one multi-row INSERT/UPDATE through `R.exec`' },
        trash: { effect: 'write', batchForm },
        dispense: {},
      },
    },
  },
};
