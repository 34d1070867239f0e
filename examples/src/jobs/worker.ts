// Background worker: pops jobs from the Redis `jobs` list and runs invoicing, shipping, digest, cleanup and stats jobs.
import axios from 'axios';
import { getQueueClient, redis } from '../cache/redis';
import { config } from '../config';
import { getReportingPool, pool } from '../db/postgres';
import { prisma } from '../db/prisma';
import { DiscountRepository } from '../repositories/discountRepository';
import { PricingService } from '../services/pricingService';

type Job =
  | { name: 'invoice-paid-orders' }
  | { name: 'capture-payment'; invoiceId: string; amountCents: number }
  | { name: 'shipping-labels'; orderIds: number[] }
  | { name: 'record-shipments'; events: ShipmentEvent[] }
  | { name: 'order-shipped'; orderId: number }
  | { name: 'weekly-digest' }
  | { name: 'session-cleanup' }
  | { name: 'refresh-stats' };

interface ShipmentEvent {
  orderId: number;
  carrier: string;
  trackingNumber: string;
}

const pricing = new PricingService(new DiscountRepository());

/** Turns up to 200 paid, not yet invoiced orders into open invoices. */
async function invoicePaidOrders(): Promise<void> {
  const { rows: orders } = await pool.query<{ id: number; customer_id: string; subtotal_cents: number }>(
    "SELECT id, customer_id, subtotal_cents FROM orders WHERE status = 'paid' AND invoiced_at IS NULL ORDER BY id LIMIT 200",
  );
  const invoices = [];
  for (const order of orders) {
    const totalCents = await pricing.totalFor(order);
    invoices.push({ orderId: order.id, customerId: order.customer_id, totalCents, status: 'open' });
  }
  for (let i = 0; i < invoices.length; i += 100) {
    await prisma.invoice.createMany({ data: invoices.slice(i, i + 100) });
  }
  await pool.query('UPDATE orders SET invoiced_at = now() WHERE id = ANY($1::int[])', [orders.map((o) => o.id)]);
}

/** Calls the payment provider with up to three attempts and exponential back-off. */
async function capturePayment(invoiceId: string, amountCents: number): Promise<void> {
  let attempt = 0;
  while (attempt < 3) {
    try {
      await axios.post(`${config.paymentsUrl}/captures`, { invoiceId, amountCents }, { timeout: 5_000 });
      return;
    } catch (error) {
      attempt += 1;
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** (attempt - 1)));
    }
  }
}

async function createShippingLabels(orderIds: number[]): Promise<void> {
  const { rows: orders } = await pool.query<{ id: number; shipping_address: string }>(
    'SELECT id, shipping_address FROM orders WHERE id = ANY($1::int[])',
    [orderIds],
  );
  const labels: { orderId: number; from: string; to: string }[] = [];
  for (const order of orders) {
    const { rows } = await pool.query<{ address: string }>('SELECT address FROM warehouses WHERE is_default = true LIMIT 1');
    labels.push({ orderId: order.id, from: rows[0].address, to: order.shipping_address });
  }
  await pool.query(
    'INSERT INTO shipping_labels (order_id, from_address, to_address) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])',
    [labels.map((l) => l.orderId), labels.map((l) => l.from), labels.map((l) => l.to)],
  );
}

async function recordShipments(events: ShipmentEvent[]): Promise<void> {
  for (const event of events) {
    await prisma.auditEvent.create({ data: { kind: 'shipment', orderId: event.orderId, payload: { ...event } } });
  }
}

/** Tells each subscriber's endpoint that an order shipped. */
async function notifyOrderShipped(orderId: number): Promise<void> {
  const hooks = await prisma.webhook.findMany({ where: { event: 'order.shipped', active: true }, take: 50 });
  for (const hook of hooks) {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopfront-token': hook.secret },
      body: JSON.stringify({ event: 'order.shipped', orderId }),
    });
    if (!response.ok) console.warn(`webhook ${hook.id} answered ${response.status}`);
  }
}

/** Sends the weekly digest to opted-in customers, 100 recipients per mailer batch. */
async function sendWeeklyDigest(): Promise<number> {
  let cursor: string | undefined;
  let sent = 0;
  let page: { id: string; email: string }[];
  do {
    page = await prisma.customer.findMany({
      where: { marketingOptIn: true },
      select: { id: true, email: true },
      orderBy: { id: 'asc' },
      take: 100,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    if (page.length === 0) break;
    await axios.post(`${config.mailerUrl}/batches`, { template: 'weekly-digest', recipients: page.map((c) => c.email) });
    cursor = page[page.length - 1].id;
    sent += page.length;
  } while (page.length === 100);
  return sent;
}

/** Deletes sessions idle for more than 30 days and counts abandoned carts. */
async function cleanupSessions(): Promise<void> {
  const keys = await redis.keys('session:*');
  const lookups = redis.pipeline();
  for (const key of keys) lookups.hget(key, 'lastSeen');
  const lastSeen = (await lookups.exec()) ?? [];
  const cutoff = Date.now() - 30 * 24 * 3600 * 1000;
  const stale = keys.filter((_key, i) => Number(lastSeen[i]?.[1] ?? 0) < cutoff);
  if (stale.length > 0) await redis.del(...stale);

  let cursor = '0';
  let carts = 0;
  do {
    const [next, cartKeys] = await redis.scan(cursor, 'MATCH', 'cart:*', 'COUNT', 200);
    cursor = next;
    carts += cartKeys.length;
  } while (cursor !== '0');
  console.info(`removed ${stale.length} sessions; ${carts} open carts`);
}

async function refreshStats(): Promise<void> {
  const reporting = getReportingPool();
  const { rows: today } = await reporting.query(
    "SELECT count(*)::int AS orders, coalesce(sum(total_cents), 0)::bigint AS revenue FROM orders WHERE created_at >= date_trunc('day', now())",
  );
  await redis.set('stats:daily-sales', JSON.stringify(today[0]));

  const { rows: leaders } = await reporting.query(
    'SELECT vendor_id, sum(total_cents)::bigint AS revenue FROM vendor_sales GROUP BY vendor_id ORDER BY revenue DESC LIMIT 20',
  );
  await redis.set('stats:vendor-leaderboard', JSON.stringify(leaders));
  await redis.expire('stats:vendor-leaderboard', 3600);
}

async function runJob(job: Job): Promise<void> {
  switch (job.name) {
    case 'invoice-paid-orders': return invoicePaidOrders();
    case 'capture-payment': return capturePayment(job.invoiceId, job.amountCents);
    case 'shipping-labels': return createShippingLabels(job.orderIds);
    case 'record-shipments': return recordShipments(job.events);
    case 'order-shipped': return notifyOrderShipped(job.orderId);
    case 'weekly-digest': await sendWeeklyDigest(); return;
    case 'session-cleanup': return cleanupSessions();
    case 'refresh-stats': return refreshStats();
  }
}

/** Consumes jobs until `signal` aborts; a failed job goes to `jobs:failed` for inspection. */
export async function runWorker(signal: AbortSignal): Promise<void> {
  const queue = getQueueClient();
  while (!signal.aborted) {
    const popped = await queue.brpop('jobs', 5);
    if (!popped) continue;
    try {
      await runJob(JSON.parse(popped[1]) as Job);
    } catch (error) {
      console.error('job failed', error);
      await redis.lpush('jobs:failed', popped[1]);
    }
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  runWorker(controller.signal).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
