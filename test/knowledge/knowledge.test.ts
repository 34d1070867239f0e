// Checks the knowledge base as a whole: every table parses, every type reference resolves, user tables merge or are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinLibraries, loadKnowledge, typeReferences, KnowledgeError } from '../../rules/knowledge/index';
import { Library, type ExportSpec, type LibraryInput, type MethodSpec } from '../../rules/knowledge/schema';
import { Config } from '../../rules/analysis/config';

test('every built-in table parses with the Library schema', () => {
  for (const input of builtinLibraries) {
    const parsed = Library.safeParse(input);
    assert.ok(parsed.success, `${input.id}: ${parsed.success ? '' : parsed.error.message}`);
  }
});

test('built-in library ids and modules are unique', () => {
  const ids = new Set<string>();
  const modules = new Map<string, string>();
  for (const input of builtinLibraries) {
    assert.ok(!ids.has(input.id), `duplicate id ${input.id}`);
    ids.add(input.id);
    for (const module of input.modules ?? []) {
      assert.equal(
        modules.get(module),
        undefined,
        `module ${module} claimed by ${modules.get(module)} and ${input.id}`,
      );
      modules.set(module, input.id);
    }
  }
});

test('every type reference in every table resolves to an existing type', () => {
  const knowledge = loadKnowledge();
  let checked = 0;
  for (const lib of knowledge.libraries) {
    for (const ref of typeReferences(lib)) {
      assert.ok(knowledge.resolveType(lib, ref.name), `${lib.id} ${ref.field}: "${ref.name}" does not resolve`);
      checked++;
    }
  }
  assert.ok(checked > 300, `only ${checked} references checked`);
});

test('every library with exports is reachable from a module or a global', () => {
  for (const lib of loadKnowledge().libraries) {
    // Internal tables (types only) are reached by the engine's call shapes, not by imports.
    if (Object.keys(lib.exports).length === 0 && Object.keys(lib.globals).length === 0) continue;
    assert.ok(lib.modules.length + Object.keys(lib.globals).length > 0, lib.id);
  }
});

test('every name pattern is a valid regular expression', () => {
  for (const lib of loadKnowledge().libraries) {
    for (const [name, type] of Object.entries(lib.types)) {
      for (const pattern of type.patterns)
        assert.doesNotThrow(() => new RegExp(pattern.match), `${lib.id}.${name}: ${pattern.match}`);
    }
  }
});

/** Every method spec of a parsed library, with where it sits. */
function* allSpecs(lib: Library): Generator<[string, MethodSpec]> {
  for (const [typeName, type] of Object.entries(lib.types)) {
    for (const [name, spec] of Object.entries(type.methods)) yield [`${lib.id}.${typeName}.${name}`, spec];
    for (const pattern of type.patterns) yield [`${lib.id}.${typeName}/${pattern.match}/`, pattern.spec];
    if (type.callable) yield [`${lib.id}.${typeName}()`, type.callable];
  }
  const exportSpecs = function* (specs: Record<string, ExportSpec>, at: string): Generator<[string, MethodSpec]> {
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.call) yield [`${at}.${name}()`, spec.call];
      if (spec.constructCall) yield [`new ${at}.${name}()`, spec.constructCall];
      if (spec.members) yield* exportSpecs(spec.members, `${at}.${name}`);
    }
  };
  yield* exportSpecs(lib.exports, lib.id);
  yield* exportSpecs(lib.globals, lib.id);
}

test('built-in method specs are coherent', () => {
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => ok || problems.push(message);
  for (const lib of loadKnowledge().libraries) {
    for (const [at, spec] of allSpecs(lib)) {
      if (spec.collection || spec.single || spec.unbounded)
        check(spec.effect === 'read', `${at}: only reads are bounded or unbounded`);
      check(!(spec.collection && spec.single), `${at}: a read is a collection or a single row, not both`);
      if (spec.deferred) check(spec.effect !== 'none', `${at}: deferred, but no effect`);
      // Prisma merges same-tick single-row reads; node-redis pipelines any same-tick commands.
      if (spec.tickBatched)
        check(
          spec.single || lib.roundTripNoun === 'command',
          `${at}: tick batching merges single-row reads or pipelined commands`,
        );
      if (spec.cacheWrite || spec.setsExpiry)
        check(spec.effect === 'write', `${at}: cache writes and expiries are writes`);
      if (spec.lifecycle) check(spec.effect === 'none', `${at}: lifecycle calls are not counted as queries`);
      if (spec.bound) check(spec.collection, `${at}: only collections have bounds`);
      if (spec.batch) check(spec.batchForm === undefined, `${at}: already a batch form, so it needs none`);
      if (spec.unbounded && typeof spec.unbounded === 'object')
        check(spec.keyArg === 0, `${at}: range patterns read a key`);
    }
  }
  assert.deepEqual(problems, []);
});

test('byModule maps every module specifier to its library', () => {
  const knowledge = loadKnowledge();
  assert.equal(knowledge.byModule.get('pg')?.id, 'pg');
  assert.equal(knowledge.byModule.get('mysql2/promise')?.id, 'mysql2-promise');
  assert.equal(knowledge.byModule.get('mysql2')?.id, 'mysql2');
  assert.equal(knowledge.byModule.get('left-pad'), undefined);
});

test('resolveType reads local and library-qualified names', () => {
  const knowledge = loadKnowledge();
  const mysql2 = knowledge.byModule.get('mysql2')!;
  assert.equal(knowledge.resolveType(mysql2, 'Pool')?.qualifiedName, 'mysql2.Pool');
  assert.equal(knowledge.resolveType(mysql2, 'mysql2-promise.Pool')?.qualifiedName, 'mysql2-promise.Pool');
  assert.equal(knowledge.resolveType(mysql2, 'NoSuchType'), undefined);
  assert.equal(knowledge.resolveType(mysql2, 'nolib.Pool'), undefined);
});

test('methodOf follows extends and ignores Object.prototype names', () => {
  const knowledge = loadKnowledge();
  assert.equal(knowledge.methodOf('mysql2-promise.PoolConnection', 'query')?.sqlArg, 0);
  assert.equal(knowledge.methodOf('mysql2-promise.PoolConnection', 'release')?.lifecycle, 'release');
  assert.equal(knowledge.methodOf('mysql2-promise.PoolConnection', 'toString'), undefined);
  assert.equal(knowledge.methodOf('mysql2-promise.PoolConnection', 'constructor'), undefined);
  assert.equal(knowledge.methodOf('nolib.Pool', 'query'), undefined);
  assert.equal(knowledge.methodOf('Pool', 'query'), undefined);
});

const acmeDb: LibraryInput = {
  id: 'acme-db',
  modules: ['@acme/db'],
  exports: {
    db: { value: 'Db' },
    createDb: { call: { returns: 'Db' } },
  },
  types: {
    Db: {
      connection: 'pool',
      methods: {
        query: { effect: 'read', sqlArg: 0, batchForm: 'db.queryMany(ids)' },
        queryMany: { effect: 'read', batch: true },
        pgPool: { returns: 'pg.Pool' },
      },
    },
  },
};

test('an extra library is merged and can point at built-in types', () => {
  const knowledge = loadKnowledge([acmeDb]);
  const lib = knowledge.byModule.get('@acme/db');
  assert.equal(lib?.id, 'acme-db');
  const query = knowledge.methodOf('acme-db.Db', 'query');
  assert.equal(query?.effect, 'read');
  assert.equal(query?.sqlArg, 0);
  assert.equal(query?.deferred, false, 'defaults are filled in');
  assert.equal(knowledge.resolveType(lib!, 'pg.Pool')?.type.connection, 'pool');
  assert.equal(knowledge.libraries.length, builtinLibraries.length + 1);
});

test('extra libraries come through the Config schema unchanged', () => {
  const config = Config.parse({ libraries: [acmeDb] });
  const knowledge = loadKnowledge(config.libraries);
  assert.equal(knowledge.methodOf('acme-db.Db', 'queryMany')?.batch, true);
});

test('an extra library with a built-in id replaces the built-in table', () => {
  const knowledge = loadKnowledge([
    { id: 'pg', modules: ['pg'], types: { Pool: { connection: 'client' } }, exports: { Pool: { construct: 'Pool' } } },
  ]);
  assert.equal(knowledge.libraries.filter((lib) => lib.id === 'pg').length, 1);
  assert.equal(knowledge.resolveType(knowledge.byModule.get('pg')!, 'Pool')?.type.connection, 'client');
  assert.equal(knowledge.byModule.get('pg-pool'), undefined);
});

function rejects(extra: unknown[], fieldPattern: RegExp): void {
  assert.throws(
    () => loadKnowledge(extra as LibraryInput[]),
    (error: unknown) => {
      assert.ok(error instanceof KnowledgeError, String(error));
      assert.match(error.message, fieldPattern);
      return true;
    },
  );
}

test('a bad extra library is rejected with an error naming the library and field', () => {
  rejects(
    [{ ...acmeDb, types: { Db: { methods: { query: { effect: 'fetch' } } } } }],
    /"acme-db".*types\.Db\.methods\.query\.effect/,
  );
  rejects([{ ...acmeDb, id: 'Acme DB' }], /"Acme DB".*\bid\b/);
  rejects([{ modules: ['x'] }], /#0.*\bid\b/);
  rejects([{ ...acmeDb, modules: 'acme' }], /"acme-db".*modules/);
  rejects(
    [{ ...acmeDb, types: { Db: { methods: { pgPool: { returns: 'pg.Pol' } } } } }],
    /"acme-db".*types\.Db\.methods\.pgPool\.returns.*"pg\.Pol"/,
  );
  rejects([{ ...acmeDb, exports: { db: { value: 'Database' } } }], /"acme-db".*exports\.db\.value.*"Database"/);
  rejects(
    [{ ...acmeDb, types: { Db: { patterns: [{ match: '(', spec: {} }] } } }],
    /"acme-db".*types\.Db\.patterns\.0\.match/,
  );
  rejects([{ id: 'nothing' }], /"nothing".*modules/);
  rejects([acmeDb, acmeDb], /"acme-db".*twice/);
});

test('the wrapper example in docs/knowledge.md loads and means what the page says', async () => {
  const { readFileSync } = await import('node:fs');
  const page = readFileSync(new URL('../../docs/knowledge.md', import.meta.url), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(page)?.[1];
  assert.ok(json, 'the page has a JSON example');
  const config = Config.parse(JSON.parse(json));
  const knowledge = loadKnowledge(config.libraries);
  assert.equal(knowledge.byModule.get('@acme/db')?.id, 'acme-db');
  assert.equal(knowledge.methodOf('acme-db.Table', 'get')?.single, true);
  assert.deepEqual(knowledge.methodOf('acme-db.Table', 'list')?.bound?.options, ['pageSize']);
  assert.equal(knowledge.resolveType(knowledge.byModule.get('@acme/db')!, 'Db')?.type.properties.pool, 'pg.Pool');
});
