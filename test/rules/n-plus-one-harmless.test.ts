// n-plus-one: loops whose round trips are harmless by construction (error path, one iteration, chunks, one batch
// call, fire-and-forget jobs, enum-keyed maps, capped slices), each beside the look-alike that is still an N+1.
import { calledFromRoute } from './origins';
import { dedent, runRuleTests } from './ruleTester';

const prisma = `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n`;
const mongo = `import { MongoClient } from 'mongodb';\nconst db = new MongoClient('mongodb://x').db('app');\n`;

runRuleTests('n-plus-one', {
  valid: [
    // The write runs only when an iteration fails: an error row, not one per element
    {
      code: dedent`
        ${prisma}
        export async function runSteps(steps: { id: string; run(): Promise<void> }[]) {
          for (const step of steps) {
            try {
              await step.run();
            } catch (err) {
              await prisma.stepFailure.create({ data: { stepId: step.id, error: String(err) } });
            }
          }
        }
      `,
    },
    // Guarded by the length of what the loop fills: true on exactly one iteration
    {
      code: dedent`
        ${prisma}
        export async function saveThread(items: { text: string }[]) {
          const saved: { id: string }[] = [];
          for (const item of items) {
            saved.push({ id: item.text });
            if (saved.length === 1) await prisma.threadHead.deleteMany({ where: { headId: saved[0]!.id } });
          }
        }
      `,
    },
    // A loop over a list checked to hold one element
    {
      code: dedent`
        ${prisma}
        export async function pinOnly(ids: string[]) {
          if (ids.length === 1) {
            for (const id of ids) await prisma.pin.update({ where: { id }, data: { pinned: true } });
          }
        }
      `,
    },
    // An indexed loop over chunks, one $in query per chunk: already the batch form
    {
      files: calledFromRoute('loadPaths', 'loadPaths(req.body.refs)'),
      code: dedent`
        ${mongo}
        export async function loadPaths(refs: { id: string }[]) {
          const size = 50;
          for (let i = 0; i < refs.length; i += size) {
            const part = refs.slice(i, i + size);
            const ids = part.map((r) => r.id);
            await db.collection('files').find({ fileId: { $in: ids } }).toArray();
          }
        }
      `,
    },
    // One transaction built from the list: the creates go together
    {
      code: dedent`
        ${prisma}
        export async function importTags(tags: { label: string }[]) {
          await prisma.$transaction(tags.map((tag) => prisma.tag.create({ data: { label: tag.label } })));
        }
      `,
    },
    // A job handed to a deploy service per app, not awaited: the loop does not wait on N requests
    {
      code: dedent`
        async function startBuild(appId: string) {
          await fetch(\`\${process.env.BUILDER_URL}/builds\`, { method: 'POST', body: appId });
        }
        export function onPush(apps: { id: string }[]) {
          for (const app of apps) {
            startBuild(app.id).catch((err) => console.error(err));
          }
        }
      `,
    },
    // Object.entries of a map grouped by an enum key: as many iterations as the enum has members
    {
      code: dedent`
        ${prisma}
        enum Tier { Free = 'free', Pro = 'pro', Team = 'team' }
        export async function recount(users: { tier: Tier; id: string }[]) {
          const byTier = users.reduce((acc, u) => {
            (acc[u.tier] ??= []).push(u.id);
            return acc;
          }, {} as Record<Tier, string[]>);
          for (const [tier, ids] of Object.entries(byTier)) {
            await prisma.tierCount.update({ where: { tier }, data: { count: ids.length } });
          }
        }
      `,
    },
    // A list capped by a constant slice
    {
      code: dedent`
        ${prisma}
        const MAX_PREVIEW = 3;
        export async function previews(ids: string[]) {
          for (const id of ids.slice(0, MAX_PREVIEW)) await prisma.preview.findUnique({ where: { id } });
        }
      `,
    },
    // A branch for what is missing that only reports it: a rare path
    {
      code: dedent`
        ${prisma}
        export async function checkRefs(ids: string[], found: string[]) {
          for (const id of ids) {
            if (!found.includes(id)) {
              console.warn('missing', id);
              await prisma.auditLog.create({ data: { missing: id } });
            }
          }
        }
      `,
    },
    // Keep the newest 10, delete the excess: what was added since the last trim
    {
      code: dedent`
        ${prisma}
        export async function trimBuilds(appId: string) {
          const builds = await prisma.build.findMany({ where: { appId }, orderBy: { createdAt: 'desc' } });
          if (builds.length > 10) {
            for (const old of builds.slice(10)) await prisma.build.delete({ where: { id: old.id } });
          }
        }
      `,
    },
    // One parent's rows of a configuration table: a team's few webhooks
    {
      code: dedent`
        ${prisma}
        export async function pingHooks(teamId: string) {
          const hooks = await prisma.webhook.findMany({ where: { teamId } });
          for (const hook of hooks) await prisma.hookPing.create({ data: { hookId: hook.id } });
        }
      `,
    },
  ],
  invalid: [
    // The same write outside the catch: one per element
    {
      files: calledFromRoute('runSteps', 'runSteps(req.body.steps)'),
      code: dedent`
        ${prisma}
        export async function runSteps(steps: { id: string; run(): Promise<void> }[]) {
          for (const step of steps) {
            try {
              await step.run();
              await prisma.stepResult.create({ data: { stepId: step.id } });
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            } catch (err) {
              console.error(err);
            }
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // Guarded by a length that is not the loop's own fill: runs on every iteration that passes
    {
      files: calledFromRoute('saveThread', 'saveThread(req.body.items)'),
      code: dedent`
        ${prisma}
        export async function saveThread(items: { text: string; tags: string[] }[]) {
          for (const item of items) {
            if (item.tags.length > 1) await prisma.threadTag.deleteMany({ where: { text: item.text } });
                                            ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // An indexed loop by one with a per-element query: not chunks
    {
      files: calledFromRoute('loadPaths', 'loadPaths(req.body.refs)'),
      code: dedent`
        ${mongo}
        export async function loadPaths(refs: { id: string }[]) {
          for (let i = 0; i < refs.length; i++) {
            await db.collection('files').findOne({ fileId: refs[i]!.id });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // Mapped into Promise.all, not one batch call: N writes competing for connections
    {
      files: calledFromRoute('markTags', 'markTags(req.body.tags)'),
      code: dedent`
        import { Pool } from 'pg';
        const pool = new Pool();
        export async function markTags(tags: { label: string }[]) {
          await Promise.all(tags.map((tag) => pool.query('UPDATE tags SET seen = true WHERE label = $1', [tag.label])));
                                              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [
        {
          messageId: 'concurrent',
          fixes: [
            {
              title:
                'Batch `pool.query`: one `UPDATE … WHERE label = ANY(…)` of all keys of `tags` (the values are the same for every row)',
              output: dedent`
                import { Pool } from 'pg';
                const pool = new Pool();
                export async function markTags(tags: { label: string }[]) {
                  const tagKeys = tags.map((tag) => tag.label);
                  if (tagKeys.length > 0) await pool.query('UPDATE tags SET seen = true WHERE label = ANY($1)', [tagKeys]);
                }
              `,
            },
          ],
        },
      ],
    },
    // The same call awaited per app: N requests one after another
    {
      files: calledFromRoute('onPush', 'onPush(req.body.apps)'),
      code: dedent`
        async function buildStatus(appId: string) {
          await fetch(\`\${process.env.BUILDER_URL}/builds/\${appId}\`);
        }
        export async function onPush(apps: { id: string }[]) {
          for (const app of apps) {
            await buildStatus(app.id);
                  ~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [{ messageId: 'via' }],
    },
    // Object.entries of a map keyed by user ids: grows with the users
    {
      files: calledFromRoute('recount', 'recount(req.body.users)'),
      code: dedent`
        ${prisma}
        export async function recount(users: { team: string; id: string }[]) {
          const byTeam = users.reduce((acc, u) => {
            (acc[u.team] ??= []).push(u.id);
            return acc;
          }, {} as Record<string, string[]>);
          for (const [team, ids] of Object.entries(byTeam)) {
            await prisma.teamCount.update({ where: { team }, data: { count: ids.length } });
                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Batch `prisma.teamCount.update`: the per-row updates of `Object.entries(byTeam)` in one `$transaction` (one round trip, all or nothing)',
              output: dedent`
                ${prisma}
                export async function recount(users: { team: string; id: string }[]) {
                  const byTeam = users.reduce((acc, u) => {
                    (acc[u.team] ??= []).push(u.id);
                    return acc;
                  }, {} as Record<string, string[]>);
                  const teamCountUpdates = [];
                  for (const [team, ids] of Object.entries(byTeam)) teamCountUpdates.push(prisma.teamCount.update({ where: { team }, data: { count: ids.length } }));
                  await prisma.$transaction(teamCountUpdates);
                }
              `,
            },
          ],
        },
      ],
    },
    // A slice with no cap: everything after the first element
    {
      files: calledFromRoute('previews', 'previews(req.body.ids)'),
      code: dedent`
        ${prisma}
        export async function previews(ids: string[]) {
          for (const id of ids.slice(1)) await prisma.preview.findUnique({ where: { id } });
                                               ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // A branch that creates what is missing, once per missing element: the upsert N+1
    {
      files: calledFromRoute('ensureRefs', 'ensureRefs(req.body.ids, req.body.found)'),
      code: dedent`
        ${prisma}
        export async function ensureRefs(ids: string[], found: string[]) {
          for (const id of ids) {
            if (!found.includes(id)) {
              await prisma.ref.create({ data: { id } });
                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            }
          }
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // The same slice with no retention guard: every row after the first ten
    {
      code: dedent`
        ${prisma}
        export async function trimBuilds(appId: string) {
          const builds = await prisma.build.findMany({ where: { appId }, orderBy: { createdAt: 'desc' } });
          for (const old of builds.slice(10)) await prisma.build.delete({ where: { id: old.id } });
                                                    ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'sequential' }],
    },
    // One parent's rows of a growing table: a post's comments
    {
      code: dedent`
        ${prisma}
        export async function flagComments(postId: string) {
          const comments = await prisma.comment.findMany({ where: { postId } });
          for (const comment of comments) await prisma.flag.findMany({ where: { commentId: comment.id } });
                                                ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        }
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['the rows of one parent from `prisma.comment.findMany`'] }],
    },
  ],
});
