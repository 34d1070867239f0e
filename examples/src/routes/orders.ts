// Order endpoints over raw SQL (node-postgres): listings, dashboard, summaries, receipts and checkout.
import { Router } from 'express';
import { Client, QueryResult } from 'pg';
import { redis } from '../cache/redis';
import { config } from '../config';
import { pool } from '../db/postgres';
import { prisma } from '../db/prisma';

interface OrderRow {
  id: number;
  customer_id: string;
  status: string;
  total_cents: number;
  created_at: Date;
}

interface ShipmentRow {
  carrier: string;
  tracking_number: string;
}

interface CheckoutLine {
  sku: string;
  quantity: number;
}

export const ordersRouter = Router();

/** Back-office list of orders in one status. */
ordersRouter.get('/', async (req, res) => {
  const status = String(req.query.status ?? 'pending');
  const { rows } = await pool.query<OrderRow>('SELECT * FROM orders WHERE status = $1 ORDER BY created_at DESC', [status]);
  res.json(rows);
});

/** Order counts for the three statuses shown on the dashboard tiles. */
ordersRouter.get('/dashboard', async (_req, res) => {
  const counts: Record<string, number> = {};
  for (const status of ['pending', 'paid', 'shipped']) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE status = $1', [status]);
    counts[status] = rows[0].n;
  }
  res.json(counts);
});

/** Daily order count and revenue, cached for five minutes. */
ordersRouter.get('/summary', async (req, res) => {
  const filters = { status: String(req.query.status ?? 'paid'), days: Math.min(Number(req.query.days ?? 30), 365) };
  const cached = await redis.get(`orders:summary:${filters}`);
  if (cached) {
    res.type('application/json').send(cached);
    return;
  }
  const { rows } = await pool.query(
    "SELECT date_trunc('day', created_at) AS day, count(*)::int AS orders, sum(total_cents)::bigint AS revenue FROM orders WHERE status = $1 AND created_at > now() - make_interval(days => $2) GROUP BY 1 ORDER BY 1 LIMIT 366",
    [filters.status, filters.days],
  );
  const body = JSON.stringify(rows);
  await redis.set(`orders:summary:${filters}`, body, 'EX', 300);
  res.type('application/json').send(body);
});

/** A customer's recent orders with the shipment of each. */
ordersRouter.get('/customer/:customerId', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  const { rows: orders } = await pool.query<OrderRow>(
    'SELECT id, customer_id, status, total_cents, created_at FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2',
    [req.params.customerId, limit],
  );
  const shipmentQueries: Promise<QueryResult<ShipmentRow>>[] = [];
  orders.forEach((order) => {
    shipmentQueries.push(pool.query<ShipmentRow>('SELECT carrier, tracking_number FROM shipments WHERE order_id = $1 LIMIT 1', [order.id]));
  });
  const shipments = await Promise.all(shipmentQueries);
  res.json(orders.map((order, i) => ({ ...order, shipment: shipments[i].rows[0] ?? null })));
});

ordersRouter.get('/:id', async (req, res) => {
  const { rows } = await pool.query<OrderRow>('SELECT id, customer_id, status, total_cents, created_at FROM orders WHERE id = $1', [req.params.id]);
  if (rows.length === 0) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  res.json(rows[0]);
});

/** Printable receipt; the finance team asked for it to read from the primary. */
ordersRouter.get('/:id/receipt', async (req, res) => {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<OrderRow>('SELECT id, customer_id, status, total_cents, created_at FROM orders WHERE id = $1', [req.params.id]);
    if (rows.length === 0) {
      res.status(404).json({ error: 'order not found' });
      return;
    }
    const order = rows[0];
    res.type('text/plain').send(`Order #${order.id}\nStatus: ${order.status}\nTotal: ${(order.total_cents / 100).toFixed(2)} EUR\n`);
  } finally {
    await client.end();
  }
});

/** Checkout: one order row plus its lines, inserted in a single statement. */
ordersRouter.post('/', async (req, res) => {
  const lines = (req.body?.lines ?? []) as CheckoutLine[];
  const maxLines = await prisma.setting.findUnique({ where: { key: 'checkout.maxLines' } });
  if (lines.length === 0 || lines.length > Number(maxLines?.value ?? 50)) {
    res.status(422).json({ error: 'invalid number of lines' });
    return;
  }
  const client = await pool.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ id: number }>(
    'INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, $2, 0) RETURNING id',
    [req.user?.customerId, 'pending'],
  );
  const orderId = rows[0].id;
  await client.query(
    'INSERT INTO order_items (order_id, sku, quantity) SELECT $1, sku, quantity FROM unnest($2::text[], $3::int[]) AS t(sku, quantity)',
    [orderId, lines.map((line) => line.sku), lines.map((line) => line.quantity)],
  );
  await client.query('COMMIT');
  client.release();
  res.status(201).json({ id: orderId });
});
