// ORM eager loading for a relation walked per element of rows read just before: Prisma `include`, Mongoose
// `populate`, TypeORM `relations`/`leftJoinAndSelect` and Sequelize `include`, compiled (strict) against the real
// typings (the Prisma client generated offline), the rule silent after; TypeORM and Sequelize run on PostgreSQL next
// to the loop and load the same related rows.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pool } from 'pg';
import { startFixSandbox, STRICT_COMMONJS, type FixSandbox } from './fixSandbox';
import { batchedByRule } from './batchedByRule';
import { generatePrismaClient } from './prismaClient';
import { startPostgres, type PostgresServer } from '../pg/postgresServer';

const TYPEORM = `import 'reflect-metadata';
import { DataSource, Entity, PrimaryColumn, Column, ManyToOne, OneToMany, JoinColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  @PrimaryColumn('int') id!: number;
  @Column('text') name!: string;
  @OneToMany(() => Post, (post) => post.author) posts!: Post[];
}

@Entity({ name: 'posts' })
export class Post {
  @PrimaryColumn('int') id!: number;
  @Column('text') title!: string;
  @ManyToOne(() => User, (user) => user.posts, { nullable: true })
  @JoinColumn({ name: 'author_id' })
  author!: User | null;
}

export const dataSource = new DataSource({ type: 'postgres', url: process.env.PA_PG_URL, entities: [User, Post] });
const posts = dataSource.getRepository(Post);
const users = dataSource.getRepository(User);

export async function authorsByFind() {
  const list = await posts.find({ order: { id: 'ASC' } });
  const out: (User | undefined)[] = [];
  for (const post of list) {
    const author = await dataSource.createQueryBuilder().relation(Post, 'author').of(post).loadOne<User>();
    out.push(author);
  }
  return out;
}

export async function authorsByBuilder() {
  const list = await posts.createQueryBuilder('post').orderBy('post.id', 'ASC').getMany();
  const out: (User | undefined)[] = [];
  for (const post of list) {
    out.push(await dataSource.createQueryBuilder().relation(Post, 'author').of(post).loadOne<User>());
  }
  return out;
}

export async function postsOfUsers() {
  const list = await users.find({ order: { id: 'ASC' } });
  const out: number[][] = [];
  for (const user of list) {
    const written = await dataSource.createQueryBuilder().relation(User, 'posts').of(user).loadMany<Post>();
    out.push(written.map((p) => p.id).sort((a, b) => a - b));
  }
  return out;
}
`;

const SEQUELIZE = `import {
  Sequelize,
  DataTypes,
  Model,
  type BelongsToGetAssociationMixin,
  type HasManyGetAssociationsMixin,
  type NonAttribute,
} from 'sequelize';

export const sequelize = new Sequelize(process.env.PA_PG_URL!, { logging: false });

class User extends Model {
  declare id: number;
  declare name: string;
}
class Post extends Model {
  declare id: number;
  declare title: string;
}
// The association members, merged into the model classes' types.
interface User {
  getPosts: HasManyGetAssociationsMixin<Post>;
  posts?: NonAttribute<Post[]>;
}
interface Post {
  getAuthor: BelongsToGetAssociationMixin<User>;
  author?: NonAttribute<User | null>;
}
User.init({ id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.TEXT }, { sequelize, tableName: 'users', timestamps: false });
Post.init(
  { id: { type: DataTypes.INTEGER, primaryKey: true }, title: DataTypes.TEXT, authorId: { type: DataTypes.INTEGER, field: 'author_id' } },
  { sequelize, tableName: 'posts', timestamps: false },
);
Post.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
User.hasMany(Post, { as: 'posts', foreignKey: 'authorId' });

export async function authors() {
  const posts = await Post.findAll({ order: [['id', 'ASC']] });
  const out: (User | null | undefined)[] = [];
  for (const post of posts) {
    const author = await post.getAuthor();
    out.push(author);
  }
  return out;
}

export async function postsOfUsers() {
  const users = await User.findAll({ order: [['id', 'ASC']] });
  const out: number[][] = [];
  for (const user of users) {
    const written = await user.getPosts();
    out.push((written ?? []).map((p) => p.id).sort((a, b) => a - b));
  }
  return out;
}
`;

const ORIGINAL: Record<string, string> = {
  prisma: `import { PrismaClient } from './generated/prisma-client';\n\nconst prisma = new PrismaClient();\n\nexport async function titlesByAuthor() {\n  const users = await prisma.user.findMany({ where: { name: { startsWith: 'A' } } });\n  const out: string[][] = [];\n  for (const user of users) {\n    const posts = await prisma.user.findUnique({ where: { id: user.id } }).posts();\n    out.push((posts ?? []).map((p) => p.title));\n  }\n  return out;\n}\n`,
  typeorm: TYPEORM,
  sequelize: SEQUELIZE,
  mongoose: `import mongoose from 'mongoose';\n\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\nconst Comment = mongoose.model('Comment', new mongoose.Schema({ body: String, author: { type: mongoose.Schema.Types.ObjectId, ref: 'User' } }));\n\nexport async function withAuthors(postId: string) {\n  const comments = await Comment.find({ post: postId }).sort({ _id: 1 });\n  for (const comment of comments) {\n    await comment.populate('author');\n  }\n  return comments;\n}\nvoid User;\n`,
};

describe('n-plus-one eager loading', () => {
  let sandbox: FixSandbox;
  let postgres: PostgresServer;
  const fixed: Record<string, string> = {};
  type Loaded = Record<string, () => Promise<unknown>> & {
    dataSource: { initialize(): Promise<unknown>; destroy(): Promise<void> };
    sequelize: { close(): Promise<void> };
  };
  /**
   * A compiled module of the sandbox, under a `.cjs` name: tsx would load `name.js` from `name.ts` with its own
   * decorator transform, where the entities need the compiler's (experimentalDecorators, emitDecoratorMetadata).
   */
  const load = (name: string) => {
    const compiled = join(sandbox.dir, `${name}.compiled.cjs`);
    if (!existsSync(compiled)) copyFileSync(join(sandbox.dir, `${name}.js`), compiled);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandbox's compiled modules
    return require(compiled) as Loaded;
  };

  before(async () => {
    for (const [name, code] of Object.entries(ORIGINAL)) fixed[`${name}.ts`] = batchedByRule(code, 'Load');
    sandbox = await startFixSandbox('pa-eager-', {
      ...fixed,
      ...Object.fromEntries(Object.entries(ORIGINAL).map(([name, code]) => [`${name}Loop.ts`, code])),
    });
    generatePrismaClient(sandbox.dir);
    postgres = await startPostgres();
    process.env.PA_PG_URL = postgres.url;
    const admin = new Pool({ connectionString: postgres.url });
    await admin.query(`
      CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL);
      INSERT INTO users VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger');
      CREATE TABLE posts (id int PRIMARY KEY, title text NOT NULL, author_id int);
      INSERT INTO posts VALUES (10, 'a', 2), (11, 'b', 1), (12, 'c', NULL), (13, 'd', 2), (14, 'e', 99);
    `);
    await admin.end();
  });

  after(async () => {
    try {
      for (const name of ['typeorm', 'typeormLoop']) {
        const { dataSource } = load(name);
        if ((dataSource as unknown as { isInitialized: boolean }).isInitialized) await dataSource.destroy();
      }
      for (const name of ['sequelize', 'sequelizeLoop']) await load(name).sequelize.close();
    } finally {
      await sandbox?.stop();
      await postgres?.stop();
    }
  });

  it('the parent read loads the relation and the loop reads what was loaded', () => {
    assert.match(
      fixed['prisma.ts']!,
      /prisma\.user\.findMany\(\{ where: \{ name: \{ startsWith: 'A' \} \}, include: \{ posts: true \} \}\)/,
    );
    assert.match(fixed['prisma.ts']!, /const posts = user\.posts;/);
    assert.match(
      fixed['mongoose.ts']!,
      /Comment\.find\(\{ post: postId \}\)\.populate\('author'\)\.sort\(\{ _id: 1 \}\)/,
    );
    assert.doesNotMatch(fixed['mongoose.ts']!, /comment\.populate/);
    const typeorm = fixed['typeorm.ts']!;
    assert.match(typeorm, /posts\.find\(\{ order: \{ id: 'ASC' \}, relations: \{ author: true \} \}\)/);
    assert.match(typeorm, /const author = post\.author \?\? undefined;/);
    assert.match(typeorm, /createQueryBuilder\('post'\)\.leftJoinAndSelect\('post\.author', 'author'\)\.orderBy/);
    assert.match(typeorm, /users\.find\(\{ order: \{ id: 'ASC' \}, relations: \{ posts: true \} \}\)/);
    assert.match(typeorm, /const written = user\.posts;/);
    const sequelize = fixed['sequelize.ts']!;
    assert.match(
      sequelize,
      /Post\.findAll\(\{ order: \[\['id', 'ASC'\]\], include: \[\{ model: User, as: 'author' \}\] \}\)/,
    );
    assert.match(sequelize, /const author = post\.author;/);
    assert.match(
      sequelize,
      /User\.findAll\(\{ order: \[\['id', 'ASC'\]\], include: \[\{ model: Post, as: 'posts' \}\] \}\)/,
    );
    assert.match(sequelize, /const written = user\.posts;/);
  });

  it('every rewritten file compiles under strict TypeScript against the library’s own typings', () => {
    const names = Object.keys(fixed);
    assert.deepEqual(
      sandbox.compile([...names, ...names.map((f) => f.replace('.ts', 'Loop.ts'))], {
        ...STRICT_COMMONJS,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
      }),
      [],
    );
  });

  /** Plain data, keeping `null` and `undefined` apart (a missing row is one or the other, as the loop gave it). */
  const plain = (values: unknown) =>
    (values as ({ get?(o: object): unknown } | null | undefined)[]).map((v) =>
      v && typeof v.get === 'function' ? v.get({ plain: true }) : v && { ...v },
    );

  it('TypeORM on PostgreSQL: the same related rows as the loop (`relations` and `leftJoinAndSelect`)', async () => {
    for (const name of ['typeorm', 'typeormLoop']) await load(name).dataSource.initialize();
    for (const fn of ['authorsByFind', 'authorsByBuilder', 'postsOfUsers']) {
      const eager = await load('typeorm')[fn]!();
      const loop = await load('typeormLoop')[fn]!();
      // Each module has its own entity classes: compare the entities' data.
      assert.deepEqual(fn === 'postsOfUsers' ? eager : plain(eager), fn === 'postsOfUsers' ? loop : plain(loop), fn);
      if (fn !== 'postsOfUsers')
        assert.deepEqual(
          (eager as ({ name: string } | undefined)[]).map((u) => u?.name),
          ['Grace', 'Ada', undefined, 'Grace', undefined],
        );
      else assert.deepEqual(eager, [[11], [10, 13], []]);
    }
  });

  it('Sequelize on PostgreSQL: the same associations as the getters (`include` with the alias)', async () => {
    for (const fn of ['authors', 'postsOfUsers']) {
      const eager = await load('sequelize')[fn]!();
      const loop = await load('sequelizeLoop')[fn]!();
      if (fn === 'authors') {
        assert.deepEqual(plain(eager), plain(loop));
        assert.deepEqual(
          (eager as ({ name: string } | null)[]).map((u) => (u ? u.name : u)),
          ['Grace', 'Ada', null, 'Grace', null],
        );
      } else assert.deepEqual(eager, loop);
    }
    assert.deepEqual(await load('sequelize').postsOfUsers!(), [[11], [10, 13], []]);
  });
});
