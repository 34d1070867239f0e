// Postgres through node-postgres: the shared pool, a lazily created reporting pool, and a transaction helper.
import { Pool, PoolClient } from 'pg';
import { config } from '../config';

/** The API's pool; every request borrows a connection from it. */
export const pool = new Pool({
  connectionString: config.databaseUrl,
  max: 20,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
});

pool.on('error', (error) => console.error('idle postgres client failed', error));

let reportingPool: Pool | undefined;

/** Read-replica pool for heavy reports; created on first use so the API starts without a replica. */
export function getReportingPool(): Pool {
  if (!reportingPool) reportingPool = new Pool({ connectionString: config.reportingDatabaseUrl, max: 5 });
  return reportingPool;
}

/** Runs `work` inside a transaction on one pooled connection and always gives the connection back. */
export async function withTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
