// Spec tests for how unbounded-read sizes one parent's rows: what kind of child, under which parent, read how, used how.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseCase, dedent, runRuleTests } from './ruleTester';

const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const knex = "'use server';\nimport knex from 'knex';\nconst db = knex({ client: 'pg' });\n";
const mongoose =
  "'use server';\nimport mongoose from 'mongoose';\nconst Label = mongoose.model('Label', new mongoose.Schema({}));\nconst Message = mongoose.model('Message', new mongoose.Schema({}));\n";
const typeorm =
  "'use server';\nimport { DataSource, Entity, ViewEntity } from 'typeorm';\nconst db = new DataSource({ type: 'postgres' });\n";

/** The unbounded-read messages a piece of code gets. */
function reported(code: string): string[] {
  return analyseCase({ code }, 'unbounded-read').map((f) => f.message);
}

describe('unbounded-read: one parent’s rows that pile up are reported', () => {
  const cases: [string, string, string][] = [
    [
      'members of a guild (a community anyone joins)',
      dedent`
        ${prisma}
        export const members = (guildId: string) => prisma.member.findMany({ where: { guildId } });
      `,
      'rows of one `guild` pile up',
    ],
    [
      "a user's uploads (an account gathers files)",
      dedent`
        ${prisma}
        export const uploads = (userId: string) => prisma.upload.findMany({ where: { userId } });
      `,
      'rows of one `user` pile up',
    ],
    [
      'messages of a project keyed `id_project` (the key first)',
      dedent`
        ${mongoose}
        export const messages = (projectId: string) => Message.find({ id_project: projectId });
      `,
      'rows of one `project` pile up',
    ],
    [
      'messages by a filter filled in after it is built',
      dedent`
        ${mongoose}
        export async function messages(projectId: string, status?: string) {
          const query: Record<string, unknown> = { trashed: false };
          query.id_project = projectId;
          if (status) query.status = status;
          return Message.find(query);
        }
      `,
      'rows of one `project` pile up',
    ],
    [
      'an OR whose second branch is not one owner',
      dedent`
        ${knex}
        export const notes = (ownerId: number) => db('notes').where({ owner_id: ownerId }).orWhere({ shared: true });
      `,
      'reads every matching row',
    ],
    [
      'rows used past their first',
      dedent`
        ${prisma}
        export async function comments(postId: string) {
          const rows = await prisma.comment.findMany({ where: { postIds: { has: postId } } });
          return rows.map((r) => r.id);
        }
      `,
      'reads every matching row',
    ],
    [
      "a folder's documents returned, not rewritten",
      dedent`
        ${prisma}
        export const documents = (folderId: string) => prisma.document.findMany({ where: { folderId } });
      `,
      'rows of one `folder` pile up',
    ],
    [
      'a conditional page in one branch only',
      dedent`
        ${typeorm}
        export async function page(offsetStyle: boolean, n: number) {
          const qb = db.getRepository('Login').createQueryBuilder('l');
          return (offsetStyle ? qb.limit(n) : qb.where('l.ok = true')).getRawMany();
        }
      `,
      'reads every matching row',
    ],
  ];
  for (const [name, code, part] of cases)
    it(name, () => {
      const messages = reported(code);
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.ok(messages[0]!.includes(part), messages[0]);
    });
});

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'members of an organisation: the few people invited to it',
      code: dedent`
        ${prisma}
        export const members = (organizationId: string) => prisma.member.findMany({ where: { organizationId } });
      `,
    },
    {
      name: "a note's uploads, through a link table named after the note",
      code: dedent`
        ${knex}
        export const noteMedia = (noteId: number) => db('media_upload_note').select('uuid').where('note_id', noteId);
      `,
    },
    {
      name: 'labels of a project keyed `id_project`',
      code: dedent`
        ${mongoose}
        export const labels = (projectId: string, lang: string) => Label.find({ id_project: projectId, lang });
      `,
    },
    {
      name: 'labels by a filter filled in after it is built',
      code: dedent`
        ${mongoose}
        export async function labels(projectId: string) {
          const query: Record<string, unknown> = { trashed: false };
          query.id_project = projectId;
          return Label.find(query);
        }
      `,
    },
    {
      name: "an OR of branches that each keep one farm's rows",
      code: dedent`
        ${knex}
        export const admins = (farmId: number) =>
          db('user_farm').where({ role_id: 1, farm_id: farmId }).orWhere({ role_id: 2, farm_id: farmId });
      `,
    },
    {
      name: 'rows used only as their first (the filter matches one)',
      code: dedent`
        ${prisma}
        export async function update(assetId: string) {
          const rows = await prisma.update.findMany({ where: { assetIds: { has: assetId } } });
          console.debug('rows', rows);
          return rows.length > 0 ? rows[0] : null;
        }
      `,
    },
    {
      name: 'the first of the awaited rows, inline',
      code: dedent`
        ${prisma}
        export const update = async (assetId: string) =>
          (await prisma.update.findMany({ where: { assetIds: { has: assetId } } }))[0];
      `,
    },
    {
      name: "a folder's documents read to delete them all",
      code: dedent`
        ${prisma}
        export async function removeFolder(folderId: string) {
          const documents = await prisma.document.findMany({ where: { folderId } });
          await prisma.document.deleteMany({ where: { folderId } });
          return documents.length;
        }
      `,
    },
    {
      name: 'a pagination helper that bounds every branch of a conditional',
      code: dedent`
        ${typeorm}
        export async function page(offsetStyle: boolean, n: number, page: number) {
          const qb = db.getRepository('Login').createQueryBuilder('l');
          return (offsetStyle ? qb.limit(n).offset(page * n) : qb.take(n).skip(page * n)).getRawMany();
        }
      `,
    },
    {
      name: 'a small split group loaded with its participants',
      code: dedent`
        ${prisma}
        export const group = (id: string) => prisma.group.findUnique({ where: { id }, include: { participants: true } });
      `,
    },
    {
      name: "an expense loaded with its receipts (a content item's attachments)",
      code: dedent`
        ${prisma}
        export const expense = (id: string) => prisma.expense.findUnique({ where: { id }, include: { documents: true } });
      `,
    },
    {
      name: "a database view's rows for one source",
      code: dedent`
        ${typeorm}
        @ViewEntity({ expression: 'select 1' })
        class SourceSimilarityView {}
        export const similar = (sourceId: string) => db.getRepository(SourceSimilarityView).find({ where: { sourceId } });
      `,
    },
  ],
  invalid: [
    {
      name: 'every team of a user, each with all its members (people for every row read)',
      code: dedent`
        ${prisma}
        export const teams = (userId: string) =>
          prisma.team.findMany({ where: { members: { some: { userId } } }, include: { members: true } });
          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'growingRelation', messageIncludes: ['`members`'] }],
    },
    {
      name: 'a chat room loaded with all its participants (a community)',
      code: dedent`
        ${prisma}
        export const room = (id: string) => prisma.room.findUnique({ where: { id }, include: { participants: true } });
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      `,
      errors: [{ messageId: 'growingRelation', messageIncludes: ['`participants`'] }],
    },
  ],
});

describe('unbounded-read: an entity that is a table of views is still views', () => {
  it('page views of one source pile up', () => {
    const messages = reported(dedent`
      ${typeorm}
      @Entity()
      class PageView {}
      export const views = (sourceId: string) => db.getRepository(PageView).find({ where: { sourceId } });
    `);
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.ok(messages[0]!.includes('rows of one `source` pile up'), messages[0]);
  });
});

describe('unbounded-read: tables a migration creates and fills are lookups', () => {
  const migration = (fill: boolean) => ({
    '/project/db/migrations/20240101000000_create_animal_use.js': dedent`
      export const up = async (knex) => {
        await knex.schema.createTable('animal_use', (table) => table.increments('id'));
        ${fill ? "await knex('animal_use').insert([{ key: 'MILK' }, { key: 'EGGS' }]);" : ''}
      };
      export const down = (knex) => knex.schema.dropTable('animal_use');
    `,
  });
  const code = dedent`
    ${knex}
    export const uses = () => db('animal_use').select('*');
  `;
  it('a table created and filled by one migration is read whole without a report', () => {
    assert.deepEqual(
      analyseCase({ code, files: migration(true) }, 'unbounded-read').map((f) => f.message),
      [],
    );
  });
  it('a table a migration only creates fills with use, and is reported', () => {
    const messages = analyseCase({ code, files: migration(false) }, 'unbounded-read').map((f) => f.message);
    assert.equal(messages.length, 1, messages.join('\n'));
  });
});
