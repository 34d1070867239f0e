// Meta tests: every rule has docs and tests; every ❌ docs example reports and every ✅ one does not.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../../rules';
import { analyseCase } from './ruleTester';

const root = join(__dirname, '..', '..');

/** Fenced ts/js blocks with the nearest heading above each. */
function docExamples(markdown: string): { heading: string; code: string }[] {
  const out: { heading: string; code: string }[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6} /.test(line)) heading = line;
    const fence = /^```(ts|js|typescript|javascript)\s*$/.exec(line);
    if (!fence) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    out.push({ heading, code: body.join('\n') });
  }
  return out;
}

describe('rule catalog', () => {
  it('has at least the four problem families and the Redis rules', () => {
    const ids = rules.map((r) => r.id);
    for (const id of ['n-plus-one', 'unpooled-connection', 'missing-cache'])
      assert.ok(ids.includes(id), `missing rule ${id}`);
  });
  for (const rule of rules) {
    describe(rule.id, () => {
      it('has a kebab-case id matching its file, a docs page and a test file', () => {
        assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
        assert.ok(existsSync(join(root, 'rules', `${rule.id}.ts`)), 'rules/<id>.ts');
        assert.ok(existsSync(join(root, 'rules', 'docs', `${rule.id}.md`)), 'rules/docs/<id>.md');
        assert.ok(existsSync(join(root, 'test', 'rules', `${rule.id}.test.ts`)), 'test/rules/<id>.test.ts');
        assert.ok(rule.docsUrl.endsWith(`/${rule.id}.md`));
        assert.ok(rule.meta.description.length > 20);
      });
      const docs = existsSync(join(root, 'rules', 'docs', `${rule.id}.md`))
        ? readFileSync(join(root, 'rules', 'docs', `${rule.id}.md`), 'utf8')
        : '';
      it('documents runtime behaviour, options and when not to use it', () => {
        for (const section of ['## What happens at runtime', '## Options', '## When not to use it'])
          assert.ok(docs.includes(section), `docs lack "${section}"`);
      });
      const examples = docExamples(docs);
      const incorrect = examples.filter((e) => /❌|Incorrect/.test(e.heading));
      const correct = examples.filter((e) => /✅|Correct/.test(e.heading) && !/❌|Incorrect/.test(e.heading));
      it('has ❌ and ✅ examples', () => {
        assert.ok(incorrect.length > 0, 'no ❌ example');
        assert.ok(correct.length > 0, 'no ✅ example');
      });
      incorrect.forEach((example, index) => {
        it(`❌ example ${index + 1} reports`, () => {
          const findings = analyseCase({ code: example.code, filename: '/project/src/example.ts' }, rule.id);
          assert.ok(findings.length > 0, `no ${rule.id} report for:\n${example.code}`);
        });
      });
      correct.forEach((example, index) => {
        it(`✅ example ${index + 1} does not report`, () => {
          const findings = analyseCase({ code: example.code, filename: '/project/src/example.ts' }, rule.id);
          assert.deepEqual(
            findings.map((f) => f.message),
            [],
          );
        });
      });
    });
  }
});
