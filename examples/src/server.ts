// HTTP entry point: connects the data stores, loads runtime settings once, mounts middleware and routers, listens.
import express, { ErrorRequestHandler } from 'express';
import { createInvalidationSubscriber } from './cache/redis';
import { config } from './config';
import { dataSource } from './db/dataSource';
import { connectMongo } from './db/mongo';
import { pool } from './db/postgres';
import { PrismaService } from './db/prisma';
import { authenticate, invalidateFlag, rateLimit, requireFeature } from './middleware/auth';
import { adminRouter } from './routes/admin';
import { catalogRouter } from './routes/catalog';
import { customersRouter } from './routes/customers';
import { ordersRouter } from './routes/orders';
import { CustomerService } from './services/customerService';

interface RuntimeSettings {
  maintenanceMode: boolean;
  supportEmail: string;
}

/** Tunables from `app_settings`, read once at startup; changing one takes a rolling restart. */
async function loadRuntimeSettings(): Promise<RuntimeSettings> {
  const { rows } = await pool.query<{ key: string; value: string }>("SELECT key, value FROM app_settings WHERE scope = 'api' LIMIT 500");
  const byKey = new Map(rows.map((row) => [row.key, row.value]));
  return {
    maintenanceMode: byKey.get('maintenance_mode') === 'true',
    supportEmail: byKey.get('support_email') ?? 'support@shopfront.example',
  };
}

const handleErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  console.error(error);
  res.status(500).json({ error: 'internal error' });
};

async function main(): Promise<void> {
  await Promise.all([dataSource.initialize(), connectMongo()]);
  const prismaService = new PrismaService();
  await prismaService.onModuleInit();
  const settings = await loadRuntimeSettings();
  createInvalidationSubscriber((key) => {
    if (key.startsWith('flag:')) invalidateFlag(key.slice('flag:'.length));
  });

  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use((_req, res, next) => {
    if (settings.maintenanceMode) res.status(503).json({ error: 'maintenance', contact: settings.supportEmail });
    else next();
  });
  app.use('/catalog', rateLimit(300), catalogRouter);
  app.use(authenticate, rateLimit(120));
  app.use('/orders', ordersRouter);
  app.use('/customers', customersRouter(new CustomerService(prismaService)));
  app.use('/admin', requireFeature('staff-admin'), adminRouter());
  app.use(handleErrors);

  app.listen(config.port, () => console.info(`shopfront-api listening on :${config.port}`));
}

main().catch((error) => {
  console.error('startup failed', error);
  process.exit(1);
});
