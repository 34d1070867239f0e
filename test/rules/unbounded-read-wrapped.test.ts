// unbounded-read: a builder bounded before it is passed through filter helpers (`applyVisible(qb).getRawMany()`) keeps its bound.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseCase, dedent } from './ruleTester';

const typeorm =
  "'use server';\nimport { DataSource, SelectQueryBuilder } from 'typeorm';\nconst db = new DataSource({ type: 'postgres' });\n";
const helpers = dedent`
  const visible = <T>(qb: SelectQueryBuilder<T>, alias: string) => qb.andWhere(\`\${alias}.hidden = false\`);
  const recent = <T>(qb: SelectQueryBuilder<T>, alias: string) => qb.andWhere(\`\${alias}.day > now() - interval '1 day'\`);
`;

function reported(code: string): string[] {
  return analyseCase({ code }, 'unbounded-read').map((f) => f.message);
}

describe('unbounded-read: builders passed through helpers', () => {
  it('a builder kept in a variable, limited, then wrapped twice', () => {
    assert.deepEqual(
      reported(dedent`
        ${typeorm}
        ${helpers}
        export const headlines = () => {
          const qb = db.createQueryBuilder().select('h.title', 'title').from('headline', 'h').orderBy('h.day', 'DESC').limit(5);
          return visible(recent(qb, 'h'), 'h').getRawMany();
        };
      `),
      [],
    );
  });

  it('a builder limited inline inside the helper call', () => {
    assert.deepEqual(
      reported(dedent`
        ${typeorm}
        ${helpers}
        export const headlines = () =>
          visible(db.createQueryBuilder().select('h.title', 'title').from('headline', 'h').take(5), 'h').getRawMany();
      `),
      [],
    );
  });

  it('the same wrapped builder with no limit is reported', () => {
    const messages = reported(dedent`
      ${typeorm}
      ${helpers}
      export const headlines = () => {
        const qb = db.createQueryBuilder().select('h.title', 'title').from('headline', 'h').orderBy('h.day', 'DESC');
        return visible(recent(qb, 'h'), 'h').getRawMany();
      };
    `);
    assert.equal(messages.length, 1, messages.join('\n'));
  });
});
