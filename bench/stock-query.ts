import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { ONE, multiplyScaled } from '../src/core/decimal.js';
import { queryStock } from '../src/ledger/queries.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { virtualLocation } from '../src/ledger/virtual-locations.js';
import { createItem } from '../src/modules/items/service.js';
import { createLocation, createWarehouse } from '../src/modules/warehouses/service.js';
import { UNIT_COST } from './engine-limit.js';
import {
  now, openDurableStore, progress, randomInt, rng, round, sku, startServer, summarize, withGcPauses,
  type BenchStore, type Interval, type LatencySummary, type TempDir,
} from './support.js';

export interface StockQueryResult {
  via: 'queryStock' | 'http';
  moves: number;
  items: number;
  /** Balance rows one SKU's query returns. */
  rowsPerQuery: number;
  ms: LatencySummary;
  /** The slowest 1% of samples, and how many of them overlapped a GC pause of this process. */
  tail: { samples: number; duringGc: number };
  gc: { pauses: number; totalMs: number; maxMs: number };
}

export interface StockQueryOptions {
  /** Rounds of 4 moves per item: moves = rounds * 4 * items. */
  rounds: number;
  items: number;
  warmup: number;
  samples: number;
}

interface Layout {
  itemIds: number[];
  adjustment: number;
  customer: number;
  /** Two bins per warehouse, two warehouses. */
  bins: Array<[number, number]>;
}

async function setUp(bench: BenchStore, items: number): Promise<Layout> {
  const { ctx, store, orgId } = bench;
  const bins: Array<[number, number]> = [];
  for (const code of ['WH1', 'WH2']) {
    const warehouse = await createWarehouse(ctx, { code, name: `Warehouse ${code}` });
    const a = await createLocation(ctx, warehouse.body.id, { code: 'A', kind: 'bin' });
    const b = await createLocation(ctx, warehouse.body.id, { code: 'B', kind: 'bin' });
    bins.push([a.body.id, b.body.id]);
  }
  const created = await Promise.all(Array.from({ length: items }, (_, i) => createItem(ctx, { sku: sku(i), name: `Item ${i}`, unit: 'pcs' })));
  return {
    itemIds: created.map((r) => r.body.id),
    adjustment: await virtualLocation(store.read, orgId, 'adjustment'),
    customer: await virtualLocation(store.read, orgId, 'customer'),
    bins,
  };
}

/**
 * Write the ledger with raw prepared statements in large transactions: per item and round, stock
 * is received into bin A, partly moved to bin B and partly shipped from both (one posting per
 * move). Balances are the sums of those moves and one FIFO layer per item holds the valued
 * remainder, so verifyLedger holds.
 */
function fill(file: string, orgId: number, userId: number, layout: Layout, rounds: number): number {
  const db = new Database(file);
  db.defaultSafeIntegers(true);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insertPosting = db.prepare(`INSERT INTO postings (org_id, posting_key, document_type, document_id, move_count, quantity_total, posted_at, posted_by) VALUES (?, ?, 'bench-fill', ?, 1, ?, ?, ?)`);
  const insertMove = db.prepare(`INSERT INTO moves (org_id, posting_id, item_id, lot_id, from_location_id, to_location_id, quantity, unit_cost, value, document_type, document_id, reverses_move_id, posted_at, posted_by) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, 'bench-fill', ?, NULL, ?, ?)`);
  const insertBalance = db.prepare('INSERT INTO balances (org_id, item_id, location_id, lot_id, on_hand, reserved) VALUES (?, ?, ?, 0, ?, 0)');
  const insertLayer = db.prepare('INSERT INTO valuation_layers (org_id, item_id, move_id, quantity, unit_cost, value, remaining_quantity, remaining_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');

  const org = BigInt(orgId);
  const user = BigInt(userId);
  const balances = new Map<string, { itemId: number; locationId: number; onHand: bigint }>();
  const received = new Map<number, { firstMove: bigint; quantity: bigint }>();
  const start = Date.parse('2026-01-01T00:00:00Z');
  let moves = 0;

  const move = (itemId: number, from: number, to: number, units: bigint, valued: 'in' | 'out' | null) => {
    const n = ++moves;
    const quantity = units * ONE;
    const at = new Date(start + n * 1_000).toISOString();
    const posting = insertPosting.run(org, `bench-fill:${n}`, BigInt(n), quantity, at, user).lastInsertRowid;
    const value = valued === null ? null : multiplyScaled(quantity, UNIT_COST);
    const moveId = insertMove.run(org, posting, BigInt(itemId), BigInt(from), BigInt(to), quantity, valued === 'in' ? UNIT_COST : null, value, BigInt(n), at, user).lastInsertRowid;
    if (valued === 'in') {
      const r = received.get(itemId) ?? { firstMove: BigInt(moveId), quantity: 0n };
      r.quantity += quantity;
      received.set(itemId, r);
    }
    for (const [locationId, delta] of [[from, -quantity], [to, quantity]] as const) {
      const key = `${itemId}:${locationId}`;
      const b = balances.get(key) ?? { itemId, locationId, onHand: 0n };
      b.onHand += delta;
      balances.set(key, b);
    }
  };

  const next = rng(42);
  const order = [...layout.itemIds];
  const roundsPerTx = Math.max(1, Math.floor(50_000 / (4 * order.length)));
  for (let r = 0; r < rounds; r += roundsPerTx) {
    db.transaction(() => {
      for (let roundNo = r; roundNo < Math.min(rounds, r + roundsPerTx); roundNo++) {
        // A fresh shuffle per round spreads every item's moves over the whole table.
        for (let i = order.length - 1; i > 0; i--) {
          const j = randomInt(next, i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const [binA, binB] = layout.bins[roundNo % layout.bins.length]!;
        for (const itemId of order) {
          move(itemId, layout.adjustment, binA, 10n, 'in');
          move(itemId, binA, binB, 4n, null);
          move(itemId, binB, layout.customer, 3n, 'out');
          move(itemId, binA, layout.customer, 2n, 'out');
        }
      }
    }).immediate();
    if ((r / roundsPerTx) % 5 === 0) progress(`stock_query: ${moves} moves written`);
  }

  db.transaction(() => {
    const at = new Date(start).toISOString();
    for (const b of balances.values()) insertBalance.run(org, BigInt(b.itemId), BigInt(b.locationId), b.onHand);
    const physical = new Set(layout.bins.flat());
    for (const [itemId, r] of received) {
      let remaining = 0n;
      for (const b of balances.values()) if (b.itemId === itemId && physical.has(b.locationId)) remaining += b.onHand;
      insertLayer.run(org, BigInt(itemId), r.firstMove, r.quantity, UNIT_COST, multiplyScaled(r.quantity, UNIT_COST), remaining, multiplyScaled(remaining, UNIT_COST), at);
    }
  }).immediate();
  db.close();
  return moves;
}

/** One query at a time (latency, not throughput), each for a random SKU. */
async function sample(count: number, probe: (sku: string) => Promise<number>, items: number, seed: number): Promise<{ samples: Interval[]; rows: number }> {
  const next = rng(seed);
  const samples: Interval[] = [];
  let rows = 0;
  for (let i = 0; i < count; i++) {
    const start = now();
    rows = await probe(sku(randomInt(next, items)));
    samples.push({ start, end: now() });
  }
  return { samples, rows };
}

function describe(samples: Interval[], pauses: Interval[]): Pick<StockQueryResult, 'ms' | 'tail' | 'gc'> {
  const ms = summarize(samples.map((s) => s.end - s.start));
  const tail = samples.filter((s) => s.end - s.start >= ms.p99);
  const duringGc = tail.filter((s) => pauses.some((p) => p.start < s.end && p.end > s.start)).length;
  const durations = pauses.map((p) => p.end - p.start);
  return {
    ms,
    tail: { samples: tail.length, duringGc },
    gc: { pauses: pauses.length, totalMs: round(durations.reduce((a, b) => a + b, 0)), maxMs: round(Math.max(0, ...durations)) },
  };
}

export async function benchStockQuery(temp: TempDir, options: StockQueryOptions): Promise<StockQueryResult[]> {
  const file = temp.file('stock-query.db');
  const setup = await openDurableStore(file);
  const layout = await setUp(setup, options.items);
  await setup.store.close();

  const t0 = now();
  const moves = fill(file, setup.orgId, setup.userId, layout, options.rounds);
  progress(`stock_query: ${moves} moves in ${round((now() - t0) / 1000, 1)} s`);

  const bench = await openDurableStore(file);
  const server = await startServer(bench);
  const pool = new Pool(server.baseUrl, { connections: 1 });
  try {
    const t1 = now();
    const report = await verifyLedger(bench.store.read, bench.store.dialect);
    progress(`stock_query: verifyLedger ${report.ok ? 'ok' : 'FAILED'} in ${round((now() - t1) / 1000, 1)} s`);
    if (!report.ok) throw new Error(`the filled ledger does not verify: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);

    const direct = async (s: string) => (await queryStock(bench.store.read, bench.orgId, { sku: s })).length;
    const http = async (s: string) => {
      const res = await pool.request({ path: `/api/v1/stock?sku=${encodeURIComponent(s)}`, method: 'GET', headers: { authorization: `Bearer ${server.token}` } });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`GET /stock: ${res.statusCode} ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { items: unknown[] }).items.length;
    };
    const results: StockQueryResult[] = [];
    for (const [via, probe] of [['queryStock', direct], ['http', http]] as const) {
      progress(`stock_query: ${options.samples} samples via ${via}`);
      await sample(options.warmup, probe, options.items, 1);
      const { result, pauses } = await withGcPauses(() => sample(options.samples, probe, options.items, 2));
      results.push({ via, moves, items: options.items, rowsPerQuery: result.rows, ...describe(result.samples, pauses) });
    }
    return results;
  } finally {
    await pool.close();
    await server.close();
    await bench.store.close();
  }
}
