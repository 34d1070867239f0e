// Round trips through model factories (`(sequelize, DataTypes) => sequelize.define(…)`) and spread registries.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { fileOf, nodeAt, project } from './project';

const factory = `module.exports = (sequelize, DataTypes) => {
  const variable = sequelize.define('t_variable', { name: DataTypes.STRING });
  variable.associate = () => {};
  return variable;
};
`;

const registry = `const Sequelize = require('sequelize');
const sequelize = new Sequelize('main', null, null, {});
const VariableModel = require('./variable');
const models = { Variable: VariableModel(sequelize, Sequelize) };
const db = { ...models, sequelize };
module.exports = db;
`;

const use = `const db = require('../models');
async function read(id) {
  const one = await db.Variable.findOne({ where: { id } });
  const all = await db.Variable.findAll();
  return [one, all];
}
module.exports = { read };
`;

function tripsIn(files: Record<string, string>, path: string): string[] {
  const analysis = project(files);
  return analysis.roundTrips.inFile(fileOf(analysis, path)).map((t) => `${t.library.id}:${t.method}`);
}

test('a model made by a factory that receives the Sequelize instance is a model: its finders are queries', () => {
  const trips = tripsIn(
    { '/p/models/variable.js': factory, '/p/models/index.js': registry, '/p/lib/read.js': use },
    '/p/lib/read.js',
  );
  assert.deepEqual(trips, ['sequelize:findOne', 'sequelize:findAll']);
});

test('a factory called with values that are not library handles makes nothing known', () => {
  const plain = registry.replace('VariableModel(sequelize, Sequelize)', "VariableModel({ define: () => ({}) }, 'x')");
  const trips = tripsIn(
    { '/p/models/variable.js': factory, '/p/models/index.js': plain, '/p/lib/read.js': use },
    '/p/lib/read.js',
  );
  assert.deepEqual(trips, []);
});

test('in an object literal the last property of a name wins over a spread before it, as at run time', () => {
  const shadowed = registry.replace(
    '{ ...models, sequelize }',
    '{ ...models, Variable: { findOne() {}, findAll() {} } }',
  );
  const trips = tripsIn(
    { '/p/models/variable.js': factory, '/p/models/index.js': shadowed, '/p/lib/read.js': use },
    '/p/lib/read.js',
  );
  assert.deepEqual(trips, []);
});

test('the factory result is per call: inside the factory, read on its own, the parameter stays unknown', () => {
  const analysis = project({
    '/p/models/variable.js': factory,
    '/p/models/index.js': registry,
    '/p/lib/read.js': use,
  });
  // Evaluating the call first must not leave the bound value in the factory's own (unbound) memo.
  assert.equal(analysis.roundTrips.inFile(fileOf(analysis, '/p/lib/read.js')).length, 2);
  const factoryFile = fileOf(analysis, '/p/models/variable.js');
  const receiver = nodeAt(factoryFile, 'sequelize', ts.isIdentifier);
  const defined = nodeAt(factoryFile, "sequelize.define('t_variable'", ts.isCallExpression);
  assert.equal(analysis.evaluator.valueOf(receiver), undefined);
  assert.equal(analysis.evaluator.valueOf(defined), undefined);
});
