import { ONE } from '../src/core/decimal.js';
import { num } from '../src/db/schema.js';
import { postMoves } from '../src/ledger/post.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { ADJUSTMENT } from '../src/modules/adjustments/service.js';
import { virtualLocation } from '../src/ledger/virtual-locations.js';
import { createItem } from '../src/modules/items/service.js';
import { createWarehouse } from '../src/modules/warehouses/service.js';
import { ITEMS, UNIT_COST } from './engine-limit.js';
import { now, openDurableStore, progress, randomInt, rng, round, runConcurrent, sku, type BenchStore, type TempDir } from './support.js';

export interface LedgerPostResult {
  inFlight: number;
  postings: number;
  seconds: number;
  postingsPerSecond: number;
  /** Postings per durable commit, as the store's group commit formed them. */
  averageBatch: number;
  /** verifyLedger over everything the run posted. */
  verified: boolean;
}

interface Catalog {
  itemIds: number[];
  adjustmentLocation: number;
  stockLocation: number;
}

/** One warehouse and ITEMS items, created through the services like any client would. */
async function seed(bench: BenchStore): Promise<Catalog> {
  const { store, orgId, ctx } = bench;
  const warehouse = await createWarehouse(ctx, { code: 'WH1', name: 'Main warehouse' });
  const items = await Promise.all(Array.from({ length: ITEMS }, (_, i) => createItem(ctx, { sku: sku(i), name: `Item ${i}`, unit: 'pcs' })));
  const stock = await store.read.selectFrom('locations').select('id').where('org_id', '=', orgId).where('code', '=', warehouse.body.stockLocation).executeTakeFirstOrThrow();
  return {
    itemIds: items.map((r) => r.body.id),
    adjustmentLocation: await virtualLocation(store.read, orgId, 'adjustment'),
    stockLocation: num(stock.id),
  };
}

/** One single-line adjustment posting (adjustment location -> stock) per call, each with its own key. */
function poster(bench: BenchStore, catalog: Catalog): () => Promise<void> {
  const { store, orgId, userId } = bench;
  const next = rng(11);
  let n = 0;
  return async () => {
    const documentId = ++n;
    await store.run((tx) =>
      postMoves({ tx, dialect: store.dialect }, {
        orgId,
        postingKey: `bench-adjustment:${documentId}`,
        documentType: ADJUSTMENT,
        documentId,
        postedBy: userId,
        moves: [{
          itemId: catalog.itemIds[randomInt(next, catalog.itemIds.length)]!,
          lotId: 0,
          fromLocationId: catalog.adjustmentLocation,
          toLocationId: catalog.stockLocation,
          quantity: ONE,
          unitCost: UNIT_COST,
        }],
      }),
    );
  };
}

export interface LedgerPostRun {
  inFlight: number;
  warmup: number;
  postings: number;
}

/** `run.inFlight` postings at a time through `store.run`: `warmup` postings, then `postings` (or `maxMs`) measured. */
async function measure(bench: BenchStore, post: () => Promise<void>, run: LedgerPostRun, maxMs: number): Promise<Omit<LedgerPostResult, 'verified'>> {
  await runConcurrent({ concurrency: run.inFlight, total: run.warmup }, post);
  const batches0 = bench.commits.batches;
  const { completed, seconds } = await runConcurrent({ concurrency: run.inFlight, total: run.postings, durationMs: maxMs }, post);
  const batches = bench.commits.batches - batches0;
  return {
    inFlight: run.inFlight,
    postings: completed,
    seconds: round(seconds),
    postingsPerSecond: round(completed / seconds, 1),
    averageBatch: round(completed / Math.max(1, batches), 1),
  };
}

export async function benchLedgerPost(temp: TempDir, runs: LedgerPostRun[], maxMs: number): Promise<LedgerPostResult[]> {
  const bench = await openDurableStore(temp.file('ledger-post.db'));
  try {
    const post = poster(bench, await seed(bench));
    const measured: Array<Omit<LedgerPostResult, 'verified'>> = [];
    for (const run of runs) {
      progress(`ledger_post: ${run.postings} postings, ${run.inFlight} in flight`);
      const result = await measure(bench, post, run, maxMs);
      progress(`ledger_post: ${run.inFlight} in flight: ${result.postingsPerSecond} postings/s, ${result.averageBatch} per commit`);
      measured.push(result);
    }
    const t0 = now();
    const report = await verifyLedger(bench.store.read, bench.store.dialect);
    progress(`ledger_post: verifyLedger ${report.ok ? 'ok' : 'FAILED'} in ${round((now() - t0) / 1000, 1)} s`);
    return measured.map((m) => ({ ...m, verified: report.ok }));
  } finally {
    await bench.store.close();
  }
}
