import pg from 'pg';
import { PG_URL } from './engines.js';

/**
 * PostgreSQL suites each get a schema `t_<random>`. They are dropped here, before and after the
 * whole run, never while suites run: dropping a schema while another suite's migrator or
 * introspection reads the catalog makes that read fail ("schema ... does not exist").
 */
async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]{12}$'`);
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<void> {
  await dropTestSchemas();
}

export async function teardown(): Promise<void> {
  await dropTestSchemas();
}
