// Customer discounts, stored in Postgres and managed by the marketing back office.
import { pool } from '../db/postgres';

export class DiscountRepository {
  /** The best discount currently active for one customer, in percent; 0 when there is none. */
  async activePercentFor(customerId: string): Promise<number> {
    const { rows } = await pool.query<{ percent: number | null }>(
      'SELECT max(percent)::int AS percent FROM customer_discounts WHERE customer_id = $1 AND expires_at > now()',
      [customerId],
    );
    return rows[0]?.percent ?? 0;
  }
}
