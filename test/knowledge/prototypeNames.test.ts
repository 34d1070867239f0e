// Names that Object.prototype also has (`constructor`, `toString`, …) are ordinary names in user code: every knowledge
// lookup keyed by a user name answers "not in the table" for them, and analysing code that uses them never throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadKnowledge } from '../../rules/knowledge/index';
import { own } from '../../rules/knowledge/own';
import { ARRAY_ITERATION_METHODS } from '../../rules/knowledge/iteration';
import { FileSet, libraryForModule } from '../../rules/analysis/fileSet';
import { Evaluator, type Value } from '../../rules/analysis/values';
import { analyzeFiles } from '../../server/engine';

const ODD_NAMES = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toLocaleString',
];
const knowledge = loadKnowledge();

describe('knowledge lookups with Object.prototype names', () => {
  it('own() sees only own keys', () => {
    for (const name of ODD_NAMES) assert.equal(own({ a: 1 }, name), undefined, name);
    assert.equal(own({ constructor: 2 }, 'constructor'), 2);
    assert.equal(own(undefined, 'a'), undefined);
  });

  it('modules, globals and array iteration methods', () => {
    for (const name of ODD_NAMES) {
      assert.equal(libraryForModule(knowledge, name), undefined, `module ${name}`);
      assert.equal(knowledge.globals.get(name), undefined, `global ${name}`);
      assert.equal(own(ARRAY_ITERATION_METHODS, name), undefined, `array method ${name}`);
    }
  });

  it('every handle type of every library: methods, properties and members', () => {
    const evaluator = new Evaluator(new FileSet(), knowledge);
    let handles = 0;
    for (const library of knowledge.libraries) {
      for (const typeName of Object.keys(library.types)) {
        const handle = evaluator.handleOf(library, typeName);
        assert.ok(handle, `${library.id}.${typeName} resolves`);
        handles++;
        for (const name of ODD_NAMES) {
          const qualified = `${library.id}.${typeName}`;
          const spec = knowledge.methodOf(qualified, name);
          // Only a pattern that matches every name (`.*`, a Redis-like catch-all) may answer; never Object.prototype.
          if (spec) assert.equal(typeof spec, 'object', `${qualified}.${name}`);
          assert.doesNotThrow(() => evaluator.methodSpec(handle, name), `${qualified}.${name}()`);
          const member = evaluator.memberOf(handle, name);
          assert.ok(member === undefined || member.kind === 'handle', `${qualified}.${name} is a handle or nothing`);
          if (member?.kind === 'handle') assert.equal(typeof member.typeName, 'string');
          assert.equal(knowledge.resolveType(library, name), undefined, `type ${library.id}.${name}`);
          assert.equal(knowledge.methodOf(`${library.id}.${name}`, 'find'), undefined, `${library.id}.${name}.find`);
        }
      }
    }
    assert.ok(handles > 50, `walked ${handles} handle types`);
  });

  it('every export of every library, and its namespace members', () => {
    const evaluator = new Evaluator(new FileSet(), knowledge);
    for (const library of knowledge.libraries) {
      const namespace: Value = { kind: 'export', library, spec: { members: library.exports }, name: '*' };
      for (const name of ODD_NAMES) {
        const member = evaluator.memberOf(namespace, name);
        assert.equal(member, undefined, `${library.id} namespace .${name}`);
        for (const [exportName, spec] of Object.entries(library.exports)) {
          const value: Value = { kind: 'export', library, spec, name: exportName };
          assert.equal(evaluator.memberOf(value, name), undefined, `${library.id}.${exportName}.${name}`);
        }
      }
    }
  });
});

describe('analysing code that uses Object.prototype names', () => {
  const libraries = [
    ["import { Model } from 'sequelize';", 'class View extends Model {}', 'View'],
    ["import { Pool } from 'pg';", 'const db = new Pool();', 'db'],
    ["import Redis from 'ioredis';", 'const db = new Redis();', 'db'],
    ["import { PrismaClient } from '@prisma/client';", 'const db = new PrismaClient();', 'db.user'],
    ["import mongoose from 'mongoose';", "const db = mongoose.model('U', new mongoose.Schema({}));", 'db'],
    ["import knex from 'knex';", "const db = knex({ client: 'pg' });", "db('users')"],
    ["import * as async from 'async';", 'const db = async;', 'db'],
  ] as const;
  for (const [imports, setup, receiver] of libraries) {
    it(`${imports} — members, calls, keys, imports and identifiers named like Object.prototype`, () => {
      const uses = ODD_NAMES.map(
        (name) =>
          `  out.push(${receiver}.${name}, ${receiver}['${name}'], ${receiver}.${name}?.(), ${receiver}.${name}?.({ where: { ${name}: id } }));\n` +
          `  for (const x of [id]) await ${receiver}.${name}?.(x);\n` +
          `  [id].${name === '__proto__' ? 'constructor' : name}?.(() => ${receiver}.${name});`,
      );
      const code = [
        imports,
        "import { constructor, toString as ts2, __proto__ } from './odd';",
        "import * as odd from 'constructor';",
        setup,
        'export class toString { constructor() {} valueOf() { return 1; } static hasOwnProperty() {} }',
        'export const obj = { constructor: 1, __proto__: null, toString() { return ""; }, valueOf: () => 2 };',
        'export async function handler(id: string) {',
        '  const out: unknown[] = [constructor, ts2, __proto__, odd.constructor, obj.constructor, new toString().valueOf()];',
        '  const { constructor: c, hasOwnProperty: h } = obj as any;',
        ...uses,
        '  return [out, c, h];',
        '}',
      ].join('\n');
      const odd = 'export const constructor = 1;\nexport const toString = 2;\nexport const __proto__ = 3;\n';
      const result = analyzeFiles([
        { path: '/p/src/odd.ts', text: odd },
        { path: '/p/src/handler.ts', text: code },
      ]);
      assert.deepEqual(result.errors, []);
    });
  }

  it('the sequelize-typescript model of the report: analysed, not an error', () => {
    const models = "import { Model, Table } from 'sequelize-typescript';\n@Table\nexport class View extends Model {}\n";
    const handler = `import { View } from './models';
export async function h() {
  const views = await View.findAll({ where: { hidden: false } });
  for (const view of views) await View.findOne({ where: { id: View.toString() + view.id } });
  return [View.toString(), View.constructor, View.hasOwnProperty('x'), View.valueOf()];
}
`;
    const result = analyzeFiles([
      { path: '/p/src/models.ts', text: models },
      { path: '/p/src/h.ts', text: handler },
    ]);
    assert.deepEqual(result.errors, []);
    // Still analysed: the query per row is found.
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ['n-plus-one'],
    );
  });
});
