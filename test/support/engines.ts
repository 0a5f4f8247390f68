import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/db/store.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { bootstrap } from '../../src/app/bootstrap.js';
import { verifyLedger, formatReport } from '../../src/ledger/verify.js';

/** Every storage suite runs on both engines. PostgreSQL: 127.0.0.1:5432, database `test`. */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_PASSWORD = 'test-admin-password';

export interface TestDatabase {
  engine: Engine;
  store: Store;
  orgId: number;
  /** Open another store on the same database (e.g. for the CLI). */
  url: string;
  schema?: string;
  /** Asserts every ledger invariant, then removes the database. */
  close(options?: { skipVerify?: boolean }): Promise<void>;
}

export async function openTestDatabase(engine: Engine, options: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cangku-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    // Tests do not need to survive power loss; NORMAL keeps the suite fast on slow disks.
    const store = openStore(url, { sqliteSynchronous: 'NORMAL' });
    await migrateToLatest(store.read, store.dialect);
    const { orgId } = await bootstrap(store, ADMIN_PASSWORD);
    return {
      engine, store, orgId, url,
      async close(o = {}) {
        try {
          if (!o.skipVerify) await assertLedgerVerified(store);
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  }
  const schema = `${testRunSchemaPrefix()}${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const store = openStore(PG_URL, { schema, poolSize: options.poolSize ?? 10 });
  await migrateToLatest(store.read, store.dialect);
  const { orgId } = await bootstrap(store, ADMIN_PASSWORD);
  return {
    engine, store, orgId, url: PG_URL, schema,
    async close(o = {}) {
      try {
        if (!o.skipVerify) await assertLedgerVerified(store);
      } finally {
        // The schema itself is dropped after the whole run (test/support/global-setup.ts).
        await store.close();
      }
    },
  };
}

/**
 * `t_<run start, epoch seconds>_<run id>_`: a run drops only its own schemas at the end, so runs
 * side by side (several people on one machine) never drop each other's schemas mid-suite.
 */
function testRunSchemaPrefix(): string {
  const run = inject('testRun');
  return `t_${run}_`;
}

export async function assertLedgerVerified(store: Store): Promise<void> {
  const report = await verifyLedger(store.read, store.dialect);
  if (!report.ok) throw new Error(`ledger invariants broken:\n${formatReport(report)}`);
}
