// How messages name a function that has no name of its own: never "anonymous function".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionName } from '../../rules/analysis/summaries';
import { functionAt, project } from './project';

function nameOf(code: string, text: string): string {
  const analysis = project({ '/app/src/case.js': code });
  return functionName(functionAt(analysis, '/app/src/case.js', text));
}

describe('functionName', () => {
  it('names declared, assigned and method functions by their own names', () => {
    assert.equal(nameOf('exports.run = async function (message) {};\n', 'async function (message)'), 'run');
    assert.equal(nameOf('const load = async (id) => id;\n', 'async (id)'), 'load');
    assert.equal(nameOf('class Store {\n  get(id) { return id; }\n}\n', 'get(id)'), 'Store.get');
  });

  it('a Promise executor is part of the function that creates it', () => {
    const code =
      'const monitor = {\n  query(dsn) {\n    return new Promise((resolve, reject) => resolve(dsn));\n  },\n};\n';
    assert.equal(nameOf(code, '(resolve, reject)'), 'query');
  });

  it('a handler a controller method returns is named after that method', () => {
    const code = 'const controller = {\n  getCategories() {\n    return async (req, res) => res.json([]);\n  },\n};\n';
    assert.equal(nameOf(code, 'async (req, res)'), 'the handler `getCategories` returns');
  });

  it('a callback names its call and the function around it; module.exports and default exports by themselves', () => {
    const code = 'async function sync(ids) {\n  await Promise.all(ids.map(async (id) => id));\n}\n';
    assert.equal(nameOf(code, 'async (id)'), 'the `map` callback in `sync`');
    assert.equal(nameOf('module.exports = async (req, res) => {};\n', 'async (req, res)'), 'module.exports');
    assert.equal(nameOf('export default async (req, res) => {};\n', 'async (req, res)'), 'the default export');
  });

  it('a route callback is still named by its route', () => {
    const code = "const app = require('express')();\napp.get('/users', async (req, res) => res.json([]));\n";
    assert.equal(nameOf(code, 'async (req, res)'), 'GET /users handler');
  });
});
