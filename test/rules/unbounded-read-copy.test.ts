// unbounded-read: a copy (`duplicateRoom`, `cloneProject`) has to read every row of its source; the same read elsewhere is reported.
import { dedent, runRuleTests } from './ruleTester';

const prisma = "'use server';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";

runRuleTests('unbounded-read', {
  valid: [
    {
      name: 'a room read with all its participants to duplicate it',
      code: dedent`
        ${prisma}
        export async function duplicateRoom(id: string) {
          const room = await prisma.room.findUnique({ where: { id }, include: { participants: true } });
          return prisma.room.create({ data: { name: room!.name } });
        }
      `,
    },
    {
      name: "every project's task read to clone it",
      code: dedent`
        ${prisma}
        export const cloneProject = (projectId: string) => prisma.task.findMany({ where: { status: 'open' } });
      `,
    },
  ],
  invalid: [
    {
      name: 'the same read to show the room',
      code: dedent`
        ${prisma}
        export async function showRoom(id: string) {
          const room = await prisma.room.findUnique({ where: { id }, include: { participants: true } });
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return room;
        }
      `,
      errors: [{ messageId: 'growingRelation', messageIncludes: ['`participants`'] }],
    },
    {
      name: 'a deep-cloning helper name says nothing of a copy of rows',
      code: dedent`
        ${prisma}
        export async function cloneDeepRoom(id: string) {
          const room = await prisma.room.findUnique({ where: { id }, include: { participants: true } });
                             ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          return room;
        }
      `,
      errors: [{ messageId: 'growingRelation', messageIncludes: ['`participants`'] }],
    },
  ],
});
