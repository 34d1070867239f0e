// Rule table of the MikroORM batch rewrite with an options argument: options that say what each row brings or the
// order rows come in (`populate`, `orderBy`) stay on the batched find; ones that apply to each key's read (`limit`,
// `offset`, `fields`) give an explanation instead, in the loop rewrite and the DataLoader rewrite alike.
import { calledFromRoute } from '../rules/origins';
import { dedent, runRuleTests } from '../rules/ruleTester';

runRuleTests('n-plus-one', {
  valid: [],
  invalid: [
    {
      name: "findOne with orderBy and populate: the batched find keeps both (the first row per key in that order is findOne's)",
      files: calledFromRoute('latest', 'latest(req.body.orderIds)'),
      code: dedent`
        import { MikroORM } from '@mikro-orm/postgresql';
        import { Shipment } from './entities';

        const orm = await MikroORM.init();

        export async function latest(orderIds: number[]) {
          const em = orm.em.fork();
          const out = [];
          for (const orderId of orderIds) {
            out.push(await em.findOne(Shipment, { orderId }, { orderBy: { id: 'desc' }, populate: ['order'] }));
                           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title: 'Batch `em.findOne`: one read for all of `orderIds`, then a lookup map',
              output: dedent`
                import { MikroORM } from '@mikro-orm/postgresql';
                import { Shipment } from './entities';

                const orm = await MikroORM.init();

                export async function latest(orderIds: number[]) {
                  const em = orm.em.fork();
                  const out = [];
                  const shipmentKeys = [...new Set(orderIds)];
                  const shipmentRows = shipmentKeys.length === 0 ? [] : await em.find(Shipment, { orderId: { $in: shipmentKeys } }, { orderBy: { id: 'desc' }, populate: ['order'] });
                  const shipmentByOrderId = new Map<string, (typeof shipmentRows)[number]>();
                  for (const row of shipmentRows) if (!shipmentByOrderId.has(String(row.orderId))) shipmentByOrderId.set(String(row.orderId), row);
                  for (const orderId of orderIds) {
                    out.push(shipmentByOrderId.get(String(orderId)) ?? null);
                  }
                  return out;
                }
              `,
              kind: 'suggestion',
            },
          ],
        },
      ],
    },
    {
      name: 'find with a limit: the limit is per key, so no rewrite, an explanation',
      files: calledFromRoute('firstFive', 'firstFive(req.body.orderIds)'),
      code: dedent`
        import { MikroORM } from '@mikro-orm/postgresql';
        import { Shipment } from './entities';

        const orm = await MikroORM.init();

        export async function firstFive(orderIds: number[]) {
          const em = orm.em.fork();
          const out = [];
          for (const orderId of orderIds) {
            out.push(await em.find(Shipment, { orderId }, { limit: 5 }));
                           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'sequential',
          fixes: [
            {
              title:
                'Not batched: `limit` applies to each key\u2019s read, and one read of all keys would apply it once (see the docs)',
              explanation: '#per-key-options',
            },
          ],
        },
      ],
    },
    {
      name: "DataLoader: a resolver's find with a limit is not batched either (the limit would apply to all parents at once)",
      code: dedent`
        import { MikroORM } from '@mikro-orm/postgresql';
        import { Shipment } from './entities';

        const orm = await MikroORM.init();
        const em = orm.em;

        export const resolvers = {
          Query: { orders: () => em.find(Order, {}, { limit: 20 }) },
          Order: {
            shipments: (order: { id: number }) => em.find(Shipment, { orderId: order.id }, { limit: 5 }),
                                                  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          },
        };
      `,
      errors: [
        {
          messageId: 'perParent',
          fixes: [
            {
              title:
                'Not batched: `limit` applies to each key\u2019s read, and one read of all keys would apply it once (see the docs)',
              explanation: '#per-key-options',
            },
          ],
        },
      ],
    },
  ],
});
