// Environment configuration for the Shopfront API and worker, read once when the process starts.

export interface AppConfig {
  port: number;
  databaseUrl: string;
  reportingDatabaseUrl: string;
  tenantDatabaseUrlTemplate: string;
  mongoUrl: string;
  redisUrl: string;
  exchangeRatesUrl: string;
  countriesUrl: string;
  shippingZonesUrl: string;
  paymentsUrl: string;
  mailerUrl: string;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

export const config: AppConfig = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: required('DATABASE_URL'),
  reportingDatabaseUrl: process.env.REPORTING_DATABASE_URL ?? required('DATABASE_URL'),
  tenantDatabaseUrlTemplate: process.env.TENANT_DATABASE_URL ?? 'postgres://billing@localhost:5432/tenant_{tenant}',
  mongoUrl: required('MONGO_URL'),
  redisUrl: process.env.REDIS_URL ?? 'redis://localhost:6379',
  exchangeRatesUrl: process.env.EXCHANGE_RATES_URL ?? 'https://api.exchangerate.host/latest',
  countriesUrl: 'https://restcountries.com/v3.1/all?fields=name,cca2',
  shippingZonesUrl: process.env.SHIPPING_ZONES_URL ?? 'https://shipping.example.com/v2/zones',
  paymentsUrl: process.env.PAYMENTS_URL ?? 'https://payments.example.com/v1',
  mailerUrl: process.env.MAILER_URL ?? 'https://mailer.example.com/v3',
};
