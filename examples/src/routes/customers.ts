// Customer endpoints: directory, profiles, invoices (per-tenant billing database), activity feeds and preferences.
import { Router } from 'express';
import { cacheAside, redis } from '../cache/redis';
import { prismaForTenant } from '../db/prisma';
import { authorize } from '../middleware/auth';
import { CustomerService } from '../services/customerService';

export function customersRouter(customers: CustomerService): Router {
  const router = Router();

  router.get('/', authorize('customers:list'), async (_req, res) => {
    res.json(await customers.listAll());
  });

  router.get('/batch', async (req, res) => {
    const ids = String(req.query.ids ?? '').split(',').filter(Boolean).slice(0, 100);
    res.json(await customers.findByIds(ids));
  });

  router.get('/invoices/top', authorize('finance:read'), async (_req, res) => {
    res.json(await customers.topInvoices());
  });

  router.get('/invoices/by-status/:status', authorize('finance:read'), async (req, res) => {
    res.json(await customers.invoicesWithCustomers(String(req.params.status)));
  });

  /** Collections team view; one minute of staleness is fine. */
  router.get('/invoices/overdue', authorize('finance:read'), async (req, res) => {
    const tenantId = req.user?.tenantId ?? 'default';
    res.json(await cacheAside(`invoices:overdue:${tenantId}`, 60, () => customers.overdueWithCustomers()));
  });

  router.post('/handles', async (req, res) => {
    const base = String(req.body?.name ?? '').trim();
    if (!base) {
      res.status(422).json({ error: 'name is required' });
      return;
    }
    res.json({ handle: await customers.pickHandle(base) });
  });

  router.get('/:id', async (req, res) => {
    const customer = await customers.findById(req.params.id);
    if (!customer) {
      res.status(404).json({ error: 'customer not found' });
      return;
    }
    res.json(customer);
  });

  /** The customer's invoices from their tenant's billing database. */
  router.get('/:id/invoices', async (req, res) => {
    const billing = prismaForTenant(req.user?.tenantId ?? 'default');
    const invoices = await billing.invoice.findMany({ where: { customerId: req.params.id }, orderBy: { issuedAt: 'desc' }, take: 50 });
    res.json(invoices);
  });

  /** Activity feed; events are LPUSHed by the order and review services. */
  router.get('/:id/activity', async (req, res) => {
    const events = await redis.lrange(`feed:${req.params.id}`, 0, -1);
    res.json(events.map((event) => JSON.parse(event)));
  });

  router.get('/:id/preferences', async (req, res) => {
    const preferences = await redis.hgetall(`user:${req.params.id}`);
    res.json({ language: preferences.language ?? 'en', newsletter: preferences.newsletter === '1' });
  });

  return router;
}
