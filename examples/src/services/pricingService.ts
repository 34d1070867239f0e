// Order pricing: applies the customer's active discount and VAT to an order's subtotal.
import { DiscountRepository } from '../repositories/discountRepository';

export interface PricedOrder {
  customer_id: string;
  subtotal_cents: number;
}

const VAT_RATE = 0.2;

export class PricingService {
  constructor(private readonly discounts: DiscountRepository) {}

  /** Total in cents after discount and VAT, rounded half up at each step like the invoices show it. */
  async totalFor(order: PricedOrder): Promise<number> {
    const discountPercent = await this.discounts.activePercentFor(order.customer_id);
    const discounted = Math.round(order.subtotal_cents * (1 - discountPercent / 100));
    return Math.round(discounted * (1 + VAT_RATE));
  }
}
