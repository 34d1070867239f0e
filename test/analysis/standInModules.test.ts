// `require(test ? 'ioredis-mock' : 'ioredis')`: the real module's handle is followed, a choice of two real ones is not.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileOf, project } from './project';

const use = `const db = require('./db');
async function credentials(ids) {
  return Promise.all(ids.map((id) => db.hgetall(id)));
}
module.exports = { credentials };
`;

function tripsWith(dbModule: string): string[] {
  const analysis = project({ '/p/lib/db.js': dbModule, '/p/lib/dao.js': use });
  return analysis.roundTrips.inFile(fileOf(analysis, '/p/lib/dao.js')).map((t) => `${t.library.id}:${t.method}`);
}

test('a require that picks a test double or the real client follows the real client', () => {
  const db = `const emulate = process.argv[2] === 'emulate';
const Redis = require(emulate ? 'ioredis-mock' : 'ioredis');
module.exports = new Redis();
`;
  assert.deepEqual(tripsWith(db), ['ioredis:hgetall']);
  assert.deepEqual(
    tripsWith(db.replace("emulate ? 'ioredis-mock' : 'ioredis'", "emulate ? ('ioredis') : 'fake-redis'")),
    ['ioredis:hgetall'],
  );
});

test('a require that picks between two real modules stays unknown', () => {
  const db = `const Redis = require(process.env.CLUSTER ? 'ioredis' : 'redis');
module.exports = new Redis();
`;
  assert.deepEqual(tripsWith(db), []);
});
