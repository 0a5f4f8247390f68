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

/**
 * Each vitest project (api, e2e) runs this global setup, in the same process: they share one run
 * id (kept on globalThis, as each project may load this module afresh), and only the last
 * teardown drops the run's schemas. With one id per project, the project that finished first
 * dropped the other's schemas while its suites still ran.
 */
interface SharedRun { id: string; projects: number }
const shared = globalThis as typeof globalThis & { __cangkuTestRun?: SharedRun };

export async function setup(project: TestProject): Promise<void> {
  if (!shared.__cangkuTestRun) {
    const now = Math.floor(Date.now() / 1000);
    shared.__cangkuTestRun = { id: `${now}_${randomBytes(3).toString('hex')}`, projects: 0 };
    await dropSchemas((name) => {
      const started = /^t_(\d+)_[0-9a-f]+_[0-9a-f]+$/.exec(name)?.[1];
      // Old-style names (t_<12 hex>) came from runs before run ids existed.
      return started === undefined ? /^t_[0-9a-f]{12}$/.test(name) : now - Number(started) > STALE_SECONDS;
    });
  }
  shared.__cangkuTestRun.projects++;
  project.provide('testRun', shared.__cangkuTestRun.id);
}

export async function teardown(): Promise<void> {
  const run = shared.__cangkuTestRun;
  if (!run || --run.projects > 0) return;
  shared.__cangkuTestRun = undefined;
  await dropSchemas((name) => name.startsWith(`t_${run.id}_`));
}
