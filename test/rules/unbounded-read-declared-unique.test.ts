// unbounded-read: a filter on a column the project declares unique (entity decorator, generated-UUID default, migration `.unique()`) picks one row.
import { dedent, runRuleTests, type InvalidCase } from './ruleTester';

const typeorm =
  "'use server';\nimport { DataSource } from 'typeorm';\nconst dataSource = new DataSource({ type: 'postgres' });\nconst coupons = dataSource.getRepository('Coupon');\n";

const entity = (decorated: string) => ({
  'src/coupon.entity.ts': dedent`
    import { Column, Entity } from 'typeorm';
    import { randomUUID } from 'node:crypto';
    @Entity()
    export class Coupon {
      ${decorated}
    }
  `,
});

/** The same read, reported with its `take` fix, whatever else the project holds. */
function reported(files: Record<string, string>): InvalidCase {
  return {
    files,
    code: dedent`
      ${typeorm}
      export const coupon = (code: string) => coupons.find({ where: { code } });
                                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    `,
    errors: [
      {
        messageId: 'noBound',
        fixes: [
          {
            output: dedent`
              ${typeorm}
              export const coupon = (code: string) => coupons.find({ where: { code }, take: 100 });
            `,
          },
          {
            title:
              'Why no pagination rewrite: its function gets its arguments from a framework or a caller it is passed to (docs)',
            explanation: '#paginating-by-hand',
          },
        ],
      },
    ],
  };
}

const read = dedent`
  ${typeorm}
  export const coupon = (code: string) => coupons.find({ where: { code } });
`;

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'an entity column marked unique: true',
      files: entity('@Column({ unique: true }) code!: string;'),
      code: read,
    },
    {
      name: 'a column defaulting to a generated UUID',
      files: entity('@Column() code: string = randomUUID();'),
      code: read,
    },
    {
      name: "a migration's .unique() column",
      files: {
        'migrations/001_coupons.ts': dedent`
          import type { Knex } from 'knex';
          export const up = (knex: Knex) => knex.schema.createTable('coupons', (t) => { t.string('code', 32).notNullable().unique(); });
          export const down = (knex: Knex) => knex.schema.dropTable('coupons');
        `,
      },
      code: read,
    },
  ],
  invalid: [
    { name: 'no declaration of the column', ...reported({}) },
    { name: 'an entity column without unique', ...reported(entity('@Column({ length: 32 }) code!: string;')) },
    { name: 'another column declared unique', ...reported(entity('@Column({ unique: true }) slugline!: string;')) },
  ],
});
