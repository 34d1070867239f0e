// Catalog endpoints over MongoDB (Mongoose): search, product pages, prices, shipping data, plans and imports.
import axios from 'axios';
import { Router } from 'express';
import { cacheAside, redis } from '../cache/redis';
import { config } from '../config';
import { Product, Review } from '../db/mongo';
import { prisma } from '../db/prisma';

interface ShippingZone {
  id: string;
  name: string;
  countries: string[];
}

interface ReviewInput {
  product: string;
  author: string;
  stars: number;
  body: string;
}

export const catalogRouter = Router();

/** Storefront search, one page of 20; responses are cached for two minutes. */
catalogRouter.get('/products', async (req, res) => {
  const cached = await redis.get(`catalog:search:${JSON.stringify(req.query)}`);
  if (cached) {
    res.type('application/json').send(cached);
    return;
  }
  const filter: Record<string, unknown> = { status: 'active' };
  if (typeof req.query.category === 'string') filter.category = req.query.category;
  const page = Math.max(Number(req.query.page ?? 1), 1);
  const products = await Product.find(filter).sort({ updatedAt: -1 }).skip((page - 1) * 20).limit(20).lean();
  const body = JSON.stringify(products);
  await redis.set(`catalog:search:${JSON.stringify(req.query)}`, body, 'EX', 120);
  res.type('application/json').send(body);
});

/** Home page: featured products with their three latest reviews. */
catalogRouter.get('/featured', async (_req, res) => {
  const products = await Product.find({ status: 'active', featured: true }).limit(12).lean();
  const withReviews = await Promise.all(
    products.map(async (product) => {
      const reviews = await Review.find({ product: product._id }).sort({ createdAt: -1 }).limit(3).lean();
      return { ...product, reviews };
    }),
  );
  res.json(withReviews);
});

/** Merchandising view of every product in one status. */
catalogRouter.get('/admin/products', async (req, res) => {
  const status = String(req.query.status ?? 'draft');
  const products = await Product.find({ status }).populate('vendor').lean();
  res.json(products);
});

/** CSV export of a vendor's products. */
catalogRouter.get('/vendors/:vendorId/export', async (req, res) => {
  const products = await Product.find({ vendor: req.params.vendorId }, null, { limit: 999999 }).lean();
  const lines = products.map((p) => [p.sku, JSON.stringify(p.title), p.status, p.priceCents].join(','));
  res.type('text/csv').send(['sku,title,status,price_cents', ...lines].join('\n'));
});

catalogRouter.get('/products/:id', async (req, res) => {
  const key = `product:${req.params.id}`;
  const cached = await redis.get(key);
  if (cached) {
    res.type('application/json').send(cached);
    return;
  }
  const product = await Product.findById(req.params.id).populate('vendor').lean();
  if (!product) {
    res.status(404).json({ error: 'product not found' });
    return;
  }
  const body = JSON.stringify(product);
  await redis.set(key, body);
  res.type('application/json').send(body);
});

/** A product's price converted into the shopper's currency. */
catalogRouter.get('/products/:id/price', async (req, res) => {
  const currency = String(req.query.currency ?? 'EUR').toUpperCase();
  const product = await Product.findById(req.params.id).select('priceCents currency').lean();
  if (!product) {
    res.status(404).json({ error: 'product not found' });
    return;
  }
  const { data } = await axios.get<{ rates: Record<string, number> }>(config.exchangeRatesUrl, { params: { base: product.currency } });
  const rate = data.rates[currency];
  if (rate === undefined) {
    res.status(422).json({ error: `unsupported currency ${currency}` });
    return;
  }
  res.json({ currency, priceCents: Math.round(product.priceCents * rate) });
});

/** Prices for the lines of a cart, from one query for all SKUs. */
catalogRouter.post('/cart/quote', async (req, res) => {
  const lines = (req.body?.lines ?? []) as { sku: string; quantity: number }[];
  const skus = lines.map((line) => line.sku);
  const products = await Product.find({ sku: { $in: skus }, status: 'active' }).select('sku priceCents currency').lean();
  const quote: { sku: string; quantity: number; unitPriceCents: number }[] = [];
  for (const line of lines) {
    const product = products.find((p) => p.sku === line.sku);
    if (!product) {
      res.status(422).json({ error: `unknown sku ${line.sku}` });
      return;
    }
    quote.push({ ...line, unitPriceCents: product.priceCents });
  }
  res.json({ lines: quote, totalCents: quote.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0) });
});

/** Country picker of the address form. */
catalogRouter.get('/shipping/countries', async (_req, res) => {
  const response = await fetch(config.countriesUrl);
  if (!response.ok) throw new Error(`countries API answered ${response.status}`);
  const countries = (await response.json()) as { cca2: string; name: { common: string } }[];
  res.json(countries.map((c) => ({ code: c.cca2, name: c.name.common })).sort((a, b) => a.name.localeCompare(b.name)));
});

catalogRouter.get('/shipping/zones', async (_req, res) => {
  const zones = await cacheAside('shipping:zones', 3600, async () => {
    const { data } = await axios.get<ShippingZone[]>(config.shippingZonesUrl, { timeout: 5_000 });
    return data;
  });
  res.json(zones);
});

/** Public pricing page. */
catalogRouter.get('/plans', async (_req, res) => {
  const plans = await prisma.plan.findMany({ where: { public: true }, orderBy: { priceCents: 'asc' }, take: 20 });
  res.json(plans);
});

/** Bulk review import from the old shop, written in chunks of 500. */
catalogRouter.post('/reviews/import', async (req, res) => {
  const reviews = (req.body?.reviews ?? []) as ReviewInput[];
  const chunkSize = 500;
  for (let i = 0; i < reviews.length; i += chunkSize) {
    await Review.insertMany(reviews.slice(i, i + chunkSize), { ordered: false });
  }
  res.status(202).json({ imported: reviews.length });
});
