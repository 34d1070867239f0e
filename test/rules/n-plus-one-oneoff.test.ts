// Rule tests for n-plus-one in one-off code found by evidence: a migration registry's callbacks and a function its
// comment reserves for migrations and tasks; look-alikes that only mention tasks still report.
import { dedent, runRuleTests } from './ruleTester';

const mongo = `import { MongoClient } from 'mongodb';\nconst db = new MongoClient('mongodb://x').db('app');\n`;

runRuleTests('n-plus-one', {
  valid: [
    // A callback registered with a migration registry runs once per deployment
    {
      code: dedent`
        ${mongo}
        export function addLocaleMigration(self: { migration: { add(name: string, fn: () => Promise<void>): void } }) {
          self.migration.add('add-locales', async () => {
            const docs = await db.collection('docs').find({}).toArray();
            for (const doc of docs) await db.collection('docs').insertOne({ ...doc, locale: 'en' });
          });
        }
      `,
    },
    // Its comment reserves the method for migrations and tasks: the authors say no request reaches it
    {
      code: dedent`
        ${mongo}
        export const docs = {
          // Slow: this method should be called only by migrations and tasks that
          // repair an unexpected situation.
          async changeIds(pairs: [string, string][]) {
            for (const [from] of pairs) await db.collection('docs').findOne({ _id: from });
          },
        };
      `,
    },
  ],
  invalid: [
    // A comment that mentions tasks without reserving the function for them: still reported
    {
      code: dedent`
        ${mongo}
        export const tasks = {
          // Returns only the tasks assigned to the user, with their owners.
          async assigned(userId: string) {
            const rows = await db.collection('tasks').find({ userId }).toArray();
            for (const row of rows) await db.collection('users').findOne({ _id: row.ownerId });
                                          ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };
      `,
      errors: [{ messageId: 'sequential', messageIncludes: ['`rows`'] }],
    },
  ],
});
