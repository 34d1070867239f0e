// Catalog documents in MongoDB through Mongoose: products, their vendors and customer reviews.
import mongoose, { Schema, Types } from 'mongoose';
import { config } from '../config';

export type ProductStatus = 'draft' | 'active' | 'archived';

export interface VendorDoc {
  name: string;
  country: string;
  rating: number;
}

export interface ProductDoc {
  sku: string;
  title: string;
  status: ProductStatus;
  category: string;
  featured: boolean;
  priceCents: number;
  currency: string;
  vendor: Types.ObjectId;
  updatedAt: Date;
}

export interface ReviewDoc {
  product: Types.ObjectId;
  author: string;
  stars: number;
  body: string;
  createdAt: Date;
}

const vendorSchema = new Schema<VendorDoc>({
  name: { type: String, required: true },
  country: { type: String, required: true },
  rating: { type: Number, default: 0 },
});

const productSchema = new Schema<ProductDoc>(
  {
    sku: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    status: { type: String, enum: ['draft', 'active', 'archived'], default: 'draft' },
    category: { type: String, required: true },
    featured: { type: Boolean, default: false },
    priceCents: { type: Number, required: true },
    currency: { type: String, default: 'EUR' },
    vendor: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
  },
  { timestamps: true },
);
productSchema.index({ status: 1, category: 1, updatedAt: -1 });

const reviewSchema = new Schema<ReviewDoc>(
  {
    product: { type: Schema.Types.ObjectId, ref: 'Product', required: true },
    author: { type: String, required: true },
    stars: { type: Number, min: 1, max: 5, required: true },
    body: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
reviewSchema.index({ product: 1, createdAt: -1 });

export const Vendor = mongoose.model<VendorDoc>('Vendor', vendorSchema);
export const Product = mongoose.model<ProductDoc>('Product', productSchema);
export const Review = mongoose.model<ReviewDoc>('Review', reviewSchema);

/** Opens Mongoose's connection pool once at startup. */
export async function connectMongo(): Promise<void> {
  await mongoose.connect(config.mongoUrl, { maxPoolSize: 20, serverSelectionTimeoutMS: 5_000 });
}
