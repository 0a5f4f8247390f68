import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PG_URL } from './engines.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `<epoch seconds>_<random>`: names this run's PostgreSQL test schemas. */
    testRun: string;
  }
}

/** Runs older than this are over (or crashed): their schemas are dropped at the next start. */
const STALE_SECONDS = 6 * 3600;

/**
 * PostgreSQL suites each get a schema `t_<run>_<random>`. A run drops its own schemas after it
 * ends, never while suites run (dropping a schema while another suite's migrator reads the catalog
 * makes that read fail), and never another live run's: several runs may share this server.
 */
async function dropSchemas(which: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 't\\_%'`);
    for (const { name } of rows) if (which(name)) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}

let run = '';

export async function setup(project: TestProject): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  run = `${now}_${randomBytes(3).toString('hex')}`;
  project.provide('testRun', run);
  await dropSchemas((name) => {
    const started = /^t_(\d+)_[0-9a-f]+_[0-9a-f]+$/.exec(name)?.[1];
    // Old-style names (t_<12 hex>) came from runs before run ids existed.
    return started === undefined ? /^t_[0-9a-f]{12}$/.test(name) : now - Number(started) > STALE_SECONDS;
  });
}

export async function teardown(): Promise<void> {
  await dropSchemas((name) => name.startsWith(`t_${run}_`));
}
