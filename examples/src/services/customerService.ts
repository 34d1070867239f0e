// Customer and invoice queries for the customers API, on the injected PrismaService.
import { PrismaService } from '../db/prisma';

export interface CustomerSummary {
  id: string;
  email: string;
  handle: string;
}

export class CustomerService {
  constructor(private readonly prisma: PrismaService) {}

  /** Customer directory for the support console. */
  listAll() {
    return this.prisma.customer.findMany({ where: { deletedAt: null }, orderBy: { createdAt: 'desc' } });
  }

  findById(id: string) {
    return this.prisma.customer.findUnique({ where: { id } });
  }

  /** Several customers by id; Prisma merges findUnique calls made in the same tick into one query. */
  findByIds(ids: string[]) {
    return Promise.all(ids.map((id) => this.prisma.customer.findUnique({ where: { id } })));
  }

  /** The ten largest paid invoices, for the finance dashboard. */
  async topInvoices() {
    const paid = await this.prisma.invoice.findMany({ where: { status: 'paid' }, orderBy: { totalCents: 'desc' } });
    return paid.slice(0, 10);
  }

  /** Latest invoices in one status, each with its customer. */
  async invoicesWithCustomers(status: string) {
    const invoices = await this.prisma.invoice.findMany({ where: { status }, orderBy: { issuedAt: 'desc' }, take: 50 });
    const rows = [];
    for (const invoice of invoices) {
      const customer = await this.prisma.customer.findUnique({ where: { id: invoice.customerId } });
      rows.push({ ...invoice, customer });
    }
    return rows;
  }

  /** Overdue invoices with their customers, loaded in one query and joined in memory. */
  async overdueWithCustomers() {
    const invoices = await this.prisma.invoice.findMany({ where: { status: 'overdue' }, orderBy: { dueAt: 'asc' }, take: 100 });
    const customerIds = [...new Set(invoices.map((invoice: { customerId: string }) => invoice.customerId))];
    const customers = await this.prisma.customer.findMany({ where: { id: { in: customerIds } } });
    const byId = new Map(customers.map((customer: CustomerSummary) => [customer.id, customer]));
    const rows = [];
    for (const invoice of invoices) {
      rows.push({ ...invoice, customer: byId.get(invoice.customerId) ?? null });
    }
    return rows;
  }

  /** The first free handle among a few variants of `base` (at most five lookups, usually one). */
  async pickHandle(base: string): Promise<string> {
    const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 24);
    const candidates = [slug, ...[1, 2, 3, 4].map((n) => `${slug}-${Math.floor(Math.random() * 10 ** (n + 2))}`)];
    for (const candidate of candidates) {
      const taken = await this.prisma.customer.findUnique({ where: { handle: candidate }, select: { id: true } });
      if (!taken) return candidate;
    }
    throw new Error(`no free handle for ${base}`);
  }
}
