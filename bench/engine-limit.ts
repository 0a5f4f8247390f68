import Database from 'better-sqlite3';
import { ONE, multiplyScaled } from '../src/core/decimal.js';
import { virtualLocation } from '../src/ledger/virtual-locations.js';
import { createWarehouse } from '../src/modules/warehouses/service.js';
import { now, openDurableStore, progress, randomInt, rng, round, type TempDir } from './support.js';

/**
 * The engine limit: what better-sqlite3 itself sustains for the rows of a posting, with cached
 * prepared statements and no Kysely, on tables created by the project's own migration.
 */

export const ITEMS = 1_000;
export const UNIT_COST = 2n * ONE + ONE / 2n; // 2.50
const QUANTITY = ONE; // 1 unit per posting

/**
 * single / batched: the brief's engine limit (one move insert + one balance upsert per posting),
 * 1 and 1,000 postings per durable transaction. ledger_statements_batched: every statement a
 * ledger posting issues, raw, 1,000 per transaction (for the breakdown, not for the goal).
 */
export type EngineVariant = 'single' | 'batched' | 'ledger_statements_batched';

export interface EngineResult {
  variant: EngineVariant;
  postingsPerTx: number;
  /** Postings per repeat. */
  postings: number;
  /** Median over the repeats. */
  postingsPerSecond: number;
  /** Each repeat (a fresh file each): a sub-second measurement moves with the disk. */
  repeats: number[];
}

interface Fixture {
  db: Database.Database;
  orgId: bigint;
  userId: bigint;
  adjustmentLocation: bigint;
  stockLocation: bigint;
}

/** Migrate and bootstrap a fresh file through the project, then reopen it raw with the same pragmas. */
async function fixture(file: string): Promise<Fixture> {
  const { store, orgId, userId, ctx } = await openDurableStore(file);
  const warehouse = await createWarehouse(ctx, { code: 'WH1', name: 'Main warehouse' });
  const stock = await store.read.selectFrom('locations').select('id').where('org_id', '=', orgId).where('code', '=', warehouse.body.stockLocation).executeTakeFirstOrThrow();
  const adjustment = await virtualLocation(store.read, orgId, 'adjustment');
  await store.close();

  const db = new Database(file);
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return { db, orgId: BigInt(orgId), userId: BigInt(userId), adjustmentLocation: BigInt(adjustment), stockLocation: BigInt(stock.id) };
}

/** Statement SQL as Kysely emits it for the ledger (same columns, same conflict targets). */
const SQL = {
  move: `insert into "moves" ("org_id", "posting_id", "item_id", "lot_id", "from_location_id", "to_location_id", "quantity", "unit_cost", "value", "document_type", "document_id", "reverses_move_id", "posted_at", "posted_by") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  balance: `insert into "balances" ("org_id", "item_id", "location_id", "lot_id", "on_hand", "reserved") values (?, ?, ?, ?, ?, ?) on conflict ("org_id", "item_id", "location_id", "lot_id") do update set "on_hand" = balances.on_hand + excluded.on_hand, "reserved" = balances.reserved + excluded.reserved`,
  kinds: `select "id", "kind" from "locations" where "org_id" = ? and "id" in (?, ?)`,
  posting: `insert into "postings" ("org_id", "posting_key", "document_type", "document_id", "move_count", "quantity_total", "posted_at", "posted_by") values (?, ?, ?, ?, ?, ?, ?, ?) on conflict ("org_id", "posting_key") do nothing returning "id"`,
  layer: `insert into "valuation_layers" ("org_id", "item_id", "move_id", "quantity", "unit_cost", "value", "remaining_quantity", "remaining_value", "created_at") values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
};

type Writer = (postingNo: number, itemId: bigint) => void;

/** The brief's engine limit: one move insert and one balance upsert per posting. */
function minimalWriter(f: Fixture): Writer {
  const move = f.db.prepare(SQL.move);
  const balance = f.db.prepare(SQL.balance);
  const value = multiplyScaled(QUANTITY, UNIT_COST);
  return (postingNo, itemId) => {
    const at = new Date().toISOString();
    move.run(f.orgId, BigInt(postingNo), itemId, 0n, f.adjustmentLocation, f.stockLocation, QUANTITY, UNIT_COST, value, 'bench', BigInt(postingNo), null, at, f.userId);
    balance.run(f.orgId, itemId, f.stockLocation, 0n, QUANTITY, 0n);
  };
}

/**
 * Every statement `store.run` + `postMoves` issue for one single-line adjustment posting
 * (savepoint, location kinds, posting, two balances, move, valuation layer, release), raw.
 * The gap between this and the minimal writer is row count; the gap to ledger_post is the stack.
 */
function ledgerStatementsWriter(f: Fixture): Writer {
  const savepoint = f.db.prepare('SAVEPOINT command');
  const release = f.db.prepare('RELEASE command');
  const kinds = f.db.prepare(SQL.kinds);
  const posting = f.db.prepare(SQL.posting);
  const balance = f.db.prepare(SQL.balance);
  const move = f.db.prepare(`${SQL.move} returning "id"`);
  const layer = f.db.prepare(SQL.layer);
  const value = multiplyScaled(QUANTITY, UNIT_COST);
  // postMoves applies balance deltas in location id order.
  const deltas: Array<[location: bigint, onHand: bigint]> = [[f.adjustmentLocation, -QUANTITY], [f.stockLocation, QUANTITY]];
  deltas.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return (postingNo, itemId) => {
    const at = new Date().toISOString();
    savepoint.run();
    if (kinds.all(f.orgId, f.adjustmentLocation, f.stockLocation).length !== 2) throw new Error('locations missing');
    const row = posting.get(f.orgId, `engine:${postingNo}`, 'bench', BigInt(postingNo), 1n, QUANTITY, at, f.userId) as { id: bigint };
    for (const [locationId, delta] of deltas) balance.run(f.orgId, itemId, locationId, 0n, delta, 0n);
    const moved = move.get(f.orgId, row.id, itemId, 0n, f.adjustmentLocation, f.stockLocation, QUANTITY, UNIT_COST, value, 'bench', BigInt(postingNo), null, at, f.userId) as { id: bigint };
    layer.run(f.orgId, itemId, moved.id, QUANTITY, UNIT_COST, value, QUANTITY, value, at);
    release.run();
  };
}

/**
 * Durable transactions of `perTx` postings each (BEGIN IMMEDIATE ... COMMIT, one fsync each) until
 * `postings` are written or `maxMs` has passed; postings/s. Every repeat starts on a fresh file, so
 * variants that write the same number of postings end on tables of the same size.
 */
function measure(f: Fixture, writer: Writer, perTx: number, postings: number, maxMs: number): number {
  const begin = f.db.prepare('BEGIN IMMEDIATE');
  const commit = f.db.prepare('COMMIT');
  const next = rng(7);
  let written = 0;
  const t0 = now();
  while (written < postings && now() - t0 < maxMs) {
    begin.run();
    for (let i = 0; i < perTx; i++) writer(written + i, BigInt(1 + randomInt(next, ITEMS)));
    commit.run();
    written += perTx;
  }
  return round(written / ((now() - t0) / 1000), 1);
}

export interface EngineLimitOptions {
  /** Postings per repeat of the batched variants (1,000 per transaction). */
  batchedPostings: number;
  /** Postings per repeat of the one-per-transaction variant. */
  singlePostings: number;
  repeats: number;
  maxMs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

export async function benchEngineLimit(temp: TempDir, options: EngineLimitOptions): Promise<EngineResult[]> {
  const runs: Array<{ variant: EngineVariant; perTx: number; postings: number; make: (f: Fixture) => Writer }> = [
    { variant: 'single', perTx: 1, postings: options.singlePostings, make: minimalWriter },
    { variant: 'batched', perTx: 1_000, postings: options.batchedPostings, make: minimalWriter },
    { variant: 'ledger_statements_batched', perTx: 1_000, postings: options.batchedPostings, make: ledgerStatementsWriter },
  ];
  const results: EngineResult[] = [];
  for (const run of runs) {
    progress(`engine_limit ${run.variant}: ${options.repeats} x ${run.postings} postings, ${run.perTx} per transaction`);
    const repeats: number[] = [];
    for (let r = 0; r < options.repeats; r++) {
      const f = await fixture(temp.file(`engine-${run.variant}-${r}.db`));
      try {
        repeats.push(measure(f, run.make(f), run.perTx, run.postings, options.maxMs));
      } finally {
        f.db.close();
      }
    }
    const result = { variant: run.variant, postingsPerTx: run.perTx, postings: run.postings, postingsPerSecond: median(repeats), repeats };
    progress(`engine_limit ${run.variant}: ${result.postingsPerSecond} postings/s (median of ${repeats.join(', ')})`);
    results.push(result);
  }
  return results;
}
