// Prisma clients: the process-wide singleton, the injectable PrismaService, and per-tenant billing clients.
import { PrismaClient } from '@prisma/client';
import { config } from '../config';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

/** One client per process, kept across hot reloads in development. */
export const prisma = globalForPrisma.prisma ?? new PrismaClient({ log: ['warn', 'error'] });
if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = prisma;

/** NestJS-style injectable wrapper: services receive it in their constructor instead of importing `prisma`. */
export class PrismaService extends PrismaClient {
  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

/** Each tenant's invoices live in its own database on the billing cluster. */
export function tenantDatabaseUrl(tenantId: string): string {
  if (!/^[a-z0-9-]+$/.test(tenantId)) throw new Error(`invalid tenant id ${tenantId}`);
  return config.tenantDatabaseUrlTemplate.replace('{tenant}', tenantId);
}

export function prismaForTenant(tenantId: string): PrismaClient {
  return new PrismaClient({ datasources: { db: { url: tenantDatabaseUrl(tenantId) } } });
}
