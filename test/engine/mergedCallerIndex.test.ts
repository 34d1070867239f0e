// The caller index merged on demand: a question indexes only the files that can reach the function's file, and every answer equals the whole-project index's, in any order of questions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { CallerIndexParts } from '../../rules/analysis/callerIndexParts';
import { defaultConfig } from '../../rules/analysis/config';
import { FileSet } from '../../rules/analysis/fileSet';
import { ProjectAnalysis } from '../../rules/analysis/projectAnalysis';
import type { FileModel } from '../../rules/analysis/sourceFile';
import type { FunctionRef } from '../../rules/analysis/summaries';
import { loadKnowledge } from '../../rules/knowledge';
import { dedent } from '../rules/ruleTester';

const FILES: Record<string, string> = {
  '/app/src/shelf.ts': dedent`
    export abstract class Shelf {
      abstract size(): Promise<number>;
      async label() { return 'shelf'; }
    }
  `,
  '/app/src/smart.ts': dedent`
    import { Shelf } from './shelf';
    import { pool } from './db';
    export class SmartShelf extends Shelf {
      async size() { return (await pool.query('SELECT count(*) FROM books')).rows.length; }
    }
  `,
  '/app/src/db.ts': dedent`
    import { Pool } from 'pg';
    export const pool = new Pool();
    export async function loadUser(id: string) {
      return pool.query('SELECT * FROM users WHERE id = $1', [id]);
    }
    export function helper(id: string) { return loadUser(id); }
  `,
  '/app/src/handlers.ts': dedent`
    import { helper, loadUser } from './db';
    export async function showUser(req, res) { res.json(await helper(req.params.id)); }
    export async function listUsers(req, res) {
      const out = [];
      for (const id of req.body.ids) out.push(await loadUser(id));
      res.json(out);
    }
  `,
  '/app/src/server.ts': dedent`
    import express from 'express';
    import { Shelf } from './shelf';
    import { showUser, listUsers } from './handlers';
    const app = express();
    app.get('/users/:id', showUser);
    app.post('/users', listUsers);
    app.get('/shelves', async (req, res) => {
      const shelves: Shelf[] = [];
      res.json(await Promise.all(shelves.map((shelf: Shelf) => shelf.size())));
    });
  `,
  '/app/src/unrelated.ts': dedent`
    export function add(a: number, b: number) { return a + b; }
    export function twice(a: number) { return add(a, a); }
  `,
};

function fileSet(): FileSet {
  const set = new FileSet();
  for (const [path, text] of Object.entries(FILES)) set.upsert(path, text);
  return set;
}

/** Importers of `path`, transitively, from the files' import bindings (what the session's import graph holds). */
function importersIn(set: FileSet): (path: string) => string[] {
  const importers = new Map<string, Set<string>>();
  for (const file of set.all())
    for (const binding of file.imports.values()) {
      const target = set.resolveModule(file.path, binding.module);
      if (target) importers.set(target.path, (importers.get(target.path) ?? new Set()).add(file.path));
    }
  return (path) => {
    const out = new Set<string>();
    const queue = [path];
    while (queue.length)
      for (const next of importers.get(queue.shift()!) ?? []) {
        if (out.has(next) || next === path) continue;
        out.add(next);
        queue.push(next);
      }
    return [...out];
  };
}

function functionsOf(file: FileModel): FunctionRef[] {
  const out: FunctionRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) out.push({ file, node });
    ts.forEachChild(node, visit);
  };
  visit(file.sourceFile);
  return out;
}

/** Callers and entry of every function, as text (file:offset), asking in `order`. */
function answers(analysis: ProjectAnalysis, order: 'forward' | 'backward'): Map<string, string> {
  const functions = [...analysis.files.all()].flatMap(functionsOf);
  if (order === 'backward') functions.reverse();
  const out = new Map<string, string>();
  for (const fn of functions) {
    const callers = analysis.callersOf(fn).map((site) => `${site.file.path}:${site.call.getStart()}`);
    const entry = analysis.registeredEntry(fn);
    out.set(
      `${fn.file.path}:${fn.node.getStart()}`,
      JSON.stringify({ callers, entry: entry && { kind: entry.kind, via: entry.via } }),
    );
  }
  return out;
}

describe('caller index merged on demand', () => {
  it('answers every question as the whole-project index does, in whatever order they are asked', () => {
    const whole = answers(new ProjectAnalysis(fileSet(), loadKnowledge(), defaultConfig), 'forward');
    for (const order of ['forward', 'backward'] as const) {
      const set = fileSet();
      const lazy = new ProjectAnalysis(set, loadKnowledge(), defaultConfig, undefined, undefined, importersIn(set));
      assert.deepEqual(answers(lazy, order), whole, order);
    }
    // The project has what the merge must get right: callers in an importer, a route registered elsewhere, and an
    // override reached through its base class from a file that does not import the subclass.
    const callers = [...whole.values()].map((v) => JSON.parse(v) as { callers: string[]; entry?: unknown });
    assert.ok(callers.some((c) => c.callers.some((site) => site.startsWith('/app/src/server.ts'))));
    assert.ok(callers.some((c) => c.entry));
  });

  it('reaches the subclass override from a call of the base method in a file that imports only the base', () => {
    const set = fileSet();
    const lazy = new ProjectAnalysis(set, loadKnowledge(), defaultConfig, undefined, undefined, importersIn(set));
    const smart = functionsOf(set.get('/app/src/smart.ts')!).find((fn) => ts.isMethodDeclaration(fn.node))!;
    assert.deepEqual(
      lazy.callersOf(smart).map((site) => site.file.path),
      ['/app/src/server.ts'],
    );
  });

  it("indexes only the asked function's file and its importers, not the rest of the workspace", () => {
    const set = fileSet();
    const parts = new CallerIndexParts();
    const lazy = new ProjectAnalysis(set, loadKnowledge(), defaultConfig, undefined, parts, importersIn(set));
    const listUsers = functionsOf(set.get('/app/src/handlers.ts')!).find((fn) =>
      fn.node.getText().startsWith('export async function listUsers'),
    )!;
    assert.equal(lazy.registeredEntry(listUsers)?.kind, 'request');
    const indexed = [...set.all()].filter((file) => parts.get(file)).map((file) => file.path);
    assert.deepEqual(indexed, ['/app/src/handlers.ts', '/app/src/server.ts']);
  });
});
