// The rule tester itself: markers give line, column and end column; a wrong span, a missing marker or an unlisted
// fix fails the case; dedent keeps shared set-up lines without leaving blank lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calledFromRoute } from './origins';
import { dedent, parseMarkers, runInvalid } from './ruleTester';

const pg = "import { Pool } from 'pg';\nconst pool = new Pool();\n";

describe('rule tester', () => {
  it('dedent strips the common indentation and joins a set-up value without a blank line', () => {
    const code = dedent`
      ${pg}
      export async function f() {
        return pool.query('SELECT 1');
      }
    `;
    assert.equal(code, `${pg}export async function f() {\n  return pool.query('SELECT 1');\n}`);
  });

  it('parseMarkers reads the span under each marker and removes the marker lines', () => {
    const { code, markers } = parseMarkers('const a = 1;\nfoo(a);\n~~~~~~\n  bar();\n  ~~~\n  ~~~~~');
    assert.equal(code, 'const a = 1;\nfoo(a);\n  bar();');
    assert.deepEqual(markers, [
      { line: 2, column: 1, endColumn: 7 },
      { line: 3, column: 3, endColumn: 6 },
      { line: 3, column: 3, endColumn: 8 },
    ]);
  });

  const loop = dedent`
    ${pg}
    export async function f(ids: string[]) {
      for (const id of ids) await pool.query('SELECT * FROM users WHERE id = $1', [id]);
                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    }
  `;
  const errors = [{ messageId: 'sequential' }];
  // A route fills `ids` with what the client sent: a parameter no caller fills would be silent.
  const files = calledFromRoute('f', 'f(req.body.ids)');

  it('accepts the exact span', () => {
    runInvalid('n-plus-one', { code: loop, files, errors });
  });

  it('fails on a span that starts or ends elsewhere', () => {
    assert.throws(() => runInvalid('n-plus-one', { code: loop.replace(' ~', '~~'), files, errors }), /reports differ/);
    assert.throws(
      () => runInvalid('n-plus-one', { code: loop.replace('~\n', '~~\n'), files, errors }),
      /reports differ/,
    );
  });

  it('fails when markers and errors differ in number', () => {
    assert.throws(() => runInvalid('n-plus-one', { code: loop.replace(/ *~+\n/, ''), files, errors }), /marker/);
  });

  it('fails on a fix the case does not list', () => {
    const invariant = dedent`
      ${pg}
      export async function f(ids: string[]) {
        for (const id of ids) {
          const rows = await pool.query('SELECT * FROM settings LIMIT 5');
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          console.log(rows, id);
        }
      }
    `;
    assert.throws(
      () => runInvalid('n-plus-one', { code: invariant, files, errors: [{ messageId: 'invariant' }] }),
      /fix/,
    );
  });
});
