// Library knowledge for Sequelize (and sequelize-typescript): Model statics query at the call; instances carry association accessors.
import type { LibraryInput, MethodSpecInput } from './schema';

// An array value in a where clause is an IN list in Sequelize.
const inIds = 'findAll({ where: { id: ids } })';
const write = (batchForm?: string): MethodSpecInput => ({ effect: 'write', batchForm });

const classes = {
  Sequelize: { construct: 'Sequelize', type: 'Sequelize' },
  Model: { staticType: 'ModelStatic', instanceType: 'Instance', type: 'Instance' },
  ModelStatic: { type: 'ModelStatic' },
  ModelCtor: { type: 'ModelStatic' },
  ModelDefined: { type: 'ModelStatic' },
};

export const sequelize: LibraryInput = {
  id: 'sequelize',
  modules: ['sequelize', 'sequelize-typescript'],
  exports: {
    ...classes,
    // CommonJS: `const Sequelize = require('sequelize')` is the class, with the other classes hung on it.
    default: { construct: 'Sequelize', type: 'Sequelize', members: classes },
    '*': { construct: 'Sequelize', type: 'Sequelize', members: classes },
  },
  types: {
    Sequelize: {
      connection: 'pool',
      properties: { models: 'ModelRegistry' },
      methods: {
        define: { returns: 'ModelStatic' },
        model: { returns: 'ModelStatic' },
        query: { effect: 'read', sqlArg: 0, batchForm: 'one query with `WHERE id IN (:ids)`' },
        authenticate: { lifecycle: 'connect' },
        sync: { effect: 'write' },
        transaction: {},
        close: { lifecycle: 'close' },
      },
    },
    ModelRegistry: { anyProperty: 'ModelStatic' },
    ModelStatic: {
      description: 'A model class (`User`, `sequelize.models.User`, `sequelize.define(...)`).',
      methods: {
        findAll: {
          effect: 'read',
          collection: true,
          bound: { options: ['limit'], optionsArg: 0 },
          resolvesEach: 'Instance',
          batchForm: inIds,
        },
        findAndCountAll: {
          effect: 'read',
          collection: true,
          bound: { options: ['limit'], optionsArg: 0 },
          batchForm: inIds,
        },
        findOne: { effect: 'read', single: true, resolves: 'Instance', batchForm: inIds },
        findByPk: { effect: 'read', single: true, resolves: 'Instance', batchForm: inIds },
        count: { effect: 'read', batchForm: "count({ where: { key: keys }, group: ['key'] })" },
        max: { effect: 'read' },
        min: { effect: 'read' },
        sum: { effect: 'read' },
        aggregate: { effect: 'read' },
        findOrCreate: {
          effect: 'write',
          resolves: 'Instance',
          batchForm: 'bulkCreate(rows, { ignoreDuplicates: true })',
        },
        findOrBuild: { effect: 'read', single: true },
        findCreateFind: { effect: 'write' },
        create: { effect: 'write', resolves: 'Instance', batchForm: 'bulkCreate(rows)' },
        bulkCreate: { effect: 'write', batch: true, resolvesEach: 'Instance' },
        update: write('update(values, { where: { id: ids } })'),
        destroy: write('destroy({ where: { id: ids } })'),
        upsert: write('bulkCreate(rows, { updateOnDuplicate: [...] })'),
        increment: write('increment(fields, { where: { id: ids } })'),
        decrement: write('decrement(fields, { where: { id: ids } })'),
        restore: write('restore({ where: { id: ids } })'),
        truncate: { effect: 'write' },
        sync: { effect: 'write' },
        build: { returns: 'Instance' },
        scope: { returns: 'ModelStatic' },
        unscoped: { returns: 'ModelStatic' },
        schema: { returns: 'ModelStatic' },
        init: { returns: 'ModelStatic' },
      },
    },
    Instance: {
      description: 'A model instance: saves itself and has association accessors (getPosts, addTag, countComments).',
      methods: {
        save: { effect: 'write', batchForm: 'bulkCreate(rows, { updateOnDuplicate: [...] })' },
        destroy: { effect: 'write', batchForm: 'Model.destroy({ where: { id: ids } })' },
        reload: { effect: 'read', single: true, batchForm: inIds },
        update: { effect: 'write', batchForm: 'Model.update(values, { where: { id: ids } })' },
        increment: { effect: 'write' },
        decrement: { effect: 'write' },
        restore: { effect: 'write' },
        // Local accessors that the association patterns below would otherwise match.
        get: {},
        getDataValue: {},
        set: {},
        setDataValue: {},
        setAttributes: {},
        changed: {},
        previous: {},
        equals: {},
        equalsOneOf: {},
        isSoftDeleted: {},
        toJSON: {},
        validate: {},
        where: {},
      },
      patterns: [
        {
          match: '^get[A-Z]',
          spec: { effect: 'read', batchForm: "eager loading: findAll({ include: ['association'] })" },
        },
        { match: '^count[A-Z]', spec: { effect: 'read', batchForm: 'one count grouped by the foreign key' } },
        { match: '^has[A-Z]', spec: { effect: 'read' } },
        { match: '^(set|add|remove|create)[A-Z]', spec: { effect: 'write' } },
      ],
    },
  },
};
