// Rule table of TypeORM and Sequelize eager loading: the relation and its model come from the file's declarations
// (`@ManyToOne`, `belongsTo(…, { as })`); without one the action only explains, and options that would drop the
// relation (`raw: true`) get no rewrite.
import { dedent, runRuleTests } from '../rules/ruleTester';

const sequelize = (association: string) => dedent`
  import { Sequelize, DataTypes, Model } from 'sequelize';
  const sequelize = new Sequelize('postgres://localhost/app');
  class User extends Model {}
  class Post extends Model {}
  User.init({ name: DataTypes.TEXT }, { sequelize });
  Post.init({ title: DataTypes.TEXT }, { sequelize });
  ${association}
`;
const typeorm = dedent`
  import { DataSource, Entity, PrimaryColumn, ManyToOne } from 'typeorm';
  @Entity()
  export class User {
    @PrimaryColumn() id!: number;
  }
  @Entity()
  export class Post {
    @PrimaryColumn() id!: number;
    @ManyToOne(() => User) author!: User | null;
    editor!: User | null;
  }
  const dataSource = new DataSource({ type: 'postgres' });
  const posts = dataSource.getRepository(Post);
`;

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: 'Sequelize: the alias is declared → include with the model and alias',
      code: dedent`
        ${sequelize("Post.belongsTo(User, { as: 'author' });")}
        export async function authors() {
          const posts = await Post.findAll({ where: { draft: false } });
          const out = [];
          for (const post of posts) out.push(await post.getAuthor());
                                                   ~~~~~~~~~~~~~~~~
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Load `author` with `posts` (eager loading): no query per element',
              output: dedent`
                ${sequelize("Post.belongsTo(User, { as: 'author' });")}
                export async function authors() {
                  const posts = await Post.findAll({ where: { draft: false }, include: [{ model: User, as: 'author' }] });
                  const out = [];
                  for (const post of posts) out.push(post.author);
                  return out;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'Sequelize: no `as` names the accessor → explanation only',
      code: dedent`
        ${sequelize('Post.belongsTo(User);')}
        export async function authors() {
          const posts = await Post.findAll({ where: { draft: false } });
          const out = [];
          for (const post of posts) out.push(await post.getAuthor());
                                                   ~~~~~~~~~~~~~~~~
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Not loaded eagerly: no relation `author` of `Post` is declared in this file (see the docs)',
              explanation: '#eager-loading-by-hand',
            },
          ],
        },
      ],
    },
    {
      name: 'Sequelize: `raw: true` rows carry no associations → no rewrite',
      code: dedent`
        ${sequelize("Post.belongsTo(User, { as: 'author' });")}
        export async function authors() {
          const posts = await Post.findAll({ where: { draft: false }, raw: true });
          const out = [];
          for (const post of posts) out.push(await post.getAuthor());
                                                   ~~~~~~~~~~~~~~~~
          return out;
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    {
      name: 'TypeORM: an existing relations array gets the declared relation',
      code: dedent`
        ${typeorm}
        export async function authors() {
          const list = await posts.find({ where: { draft: false }, take: 500, relations: ['tags'] });
          const out = [];
          for (const post of list) {
            const author = await dataSource.createQueryBuilder().relation(Post, 'author').of(post).loadOne();
                                 ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            out.push(author);
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Load `author` with `list` (eager loading): no query per element',
              output: dedent`
                ${typeorm}
                export async function authors() {
                  const list = await posts.find({ where: { draft: false }, take: 500, relations: ['tags', 'author'] });
                  const out = [];
                  for (const post of list) {
                    const author = post.author ?? undefined;
                    out.push(author);
                  }
                  return out;
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'TypeORM: a property without a relation decorator → explanation only',
      code: dedent`
        ${typeorm}
        export async function editors() {
          const list = await posts.find({ take: 500 });
          const out = [];
          for (const post of list) {
            out.push(await dataSource.createQueryBuilder().relation(Post, 'editor').of(post).loadOne());
                           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Not loaded eagerly: no relation `editor` of `Post` is declared in this file (see the docs)',
              explanation: '#eager-loading-by-hand',
            },
          ],
        },
      ],
    },
  ],
});
