/**
 * flash_sale: many clients chase too little stock. The real HTTP server on a fresh durable
 * database; 64 clients in a separate process (the http_confirm load generator) each create an order
 * for 1 unit of a random one of 20 SKUs and confirm it. The 20 SKUs together hold stock for about a
 * third of the orders, so most SKUs sell out and the rest of their confirms must answer 409
 * insufficient-stock (counted as refused, an expected outcome; any other answer is an error).
 *
 * After the run the database itself is checked, not just the answers: per SKU, the reserved
 * quantity equals the confirmed orders of that SKU (as the clients saw them and as the database
 * holds them), reserved <= on hand on every balance, on hand is still the stock seeded, each SKU
 * confirmed exactly min(orders created, stock) (so when demand exceeded stock on every SKU, the
 * confirmed total equals the total stock), refused orders are still drafts, and verifyLedger is ok.
 * `oversold` counts units confirmed or reserved beyond stock; `verified` is true only when every
 * check passed.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { ONE, toBigInt } from '../src/core/decimal.js';
import { num } from '../src/db/schema.js';
import { PHYSICAL_KINDS } from '../src/ledger/locations.js';
import { verifyLedger } from '../src/ledger/verify.js';
import { WAREHOUSE, load } from './http-confirm.js';
import type { SkuOutcome } from './http-client.js';
import { openDurableStore, progress, round, startServer, summarize, type BenchServer, type BenchStore, type LatencySummary, type TempDir } from './support.js';

export interface FlashSaleOptions {
  clients: number;
  /** Warm-up orders, on separate SKUs with plenty of stock (the flash SKUs' stock stays whole). */
  warmupOrders: number;
  orders: number;
  skus: number;
}

export interface FlashSaleCheck {
  check: string;
  ok: boolean;
  /** Up to 10 violations. */
  violations: string[];
}

export interface FlashSaleResult {
  skus: number;
  stockPerSku: number;
  totalStock: number;
  clients: number;
  /** Orders attempted in the measured phase. */
  orders: number;
  seconds: number;
  /** Orders completed as expected (confirmed + refused) per second. */
  ordersPerSecond: number;
  confirmed: number;
  refused: number;
  /** Demand exceeded the stock of every SKU (then confirmed must equal totalStock). */
  soldOut: boolean;
  /** SKUs whose demand exceeded their stock. */
  skusSoldOut: number;
  /** Create + confirm, and confirm alone, over confirmed and refused orders. */
  orderMs: LatencySummary;
  confirmMs: LatencySummary;
  confirmOkMs: LatencySummary;
  confirmRefusedMs: LatencySummary;
  errors: Record<string, number>;
  commandsPerCommit: number;
  serverEventLoopUtilization: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
  /** Units confirmed or reserved beyond stock, over all SKUs and balances, as checked (see checks). */
  oversold: number;
  /** Every check below passed, verifyLedger included. */
  verified: boolean;
  ledgerVerified: boolean;
  checks: FlashSaleCheck[];
}

const flashSku = (i: number) => `FLASH-${String(i).padStart(3, '0')}`;
const warmSku = (i: number) => `WARM-${String(i).padStart(3, '0')}`;

async function seed(server: BenchServer, stock: Array<{ sku: string; quantity: number }>): Promise<void> {
  await server.call('POST', '/warehouses', { code: WAREHOUSE, name: 'Main warehouse' }, 201);
  await Promise.all(stock.map(({ sku }) => server.call('POST', '/items', { sku, name: `Item ${sku}`, unit: 'pcs' }, 201)));
  await server.call('POST', '/inventory-adjustments', { warehouse: WAREHOUSE, reason: 'flash sale stock', lines: stock.map(({ sku, quantity }) => ({ sku, quantity, unitCost: 2.5 })) }, 201);
}

interface SkuFacts {
  onHand: bigint;
  reserved: bigint;
  /** Balances (physical locations) with reserved > on hand, or either negative. */
  badBalances: string[];
  /** Sum over balances of reserved beyond on hand. */
  reservedBeyondOnHand: bigint;
  dbConfirmedOrders: number;
  dbConfirmedQuantity: bigint;
  dbDraftOrders: number;
  openReservations: bigint;
}

/** What the database holds per SKU, read after the run. */
async function skuFacts(bench: BenchStore, skus: string[]): Promise<Map<string, SkuFacts>> {
  const db = bench.store.read;
  const orgId = bench.orgId;
  const items = await db.selectFrom('items').select(['id', 'sku']).where('org_id', '=', orgId).where('sku', 'in', skus).execute();
  const skuOf = new Map(items.map((i) => [num(i.id), i.sku]));
  const facts = new Map<string, SkuFacts>(
    skus.map((s) => [s, { onHand: 0n, reserved: 0n, badBalances: [], reservedBeyondOnHand: 0n, dbConfirmedOrders: 0, dbConfirmedQuantity: 0n, dbDraftOrders: 0, openReservations: 0n }]),
  );
  const of = (itemId: unknown) => facts.get(skuOf.get(num(itemId as number)) ?? '');

  const balances = await db
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .select(['b.item_id', 'b.location_id', 'b.lot_id', 'b.on_hand', 'b.reserved'])
    .where('b.org_id', '=', orgId)
    .where('l.kind', 'in', [...PHYSICAL_KINDS])
    .execute();
  for (const b of balances) {
    const f = of(b.item_id);
    if (!f) continue;
    const onHand = toBigInt(b.on_hand);
    const reserved = toBigInt(b.reserved);
    f.onHand += onHand;
    f.reserved += reserved;
    if (reserved > onHand) f.reservedBeyondOnHand += reserved - onHand;
    if (reserved > onHand || reserved < 0n || onHand < 0n) f.badBalances.push(`location ${num(b.location_id)} lot ${num(b.lot_id)}: reserved ${reserved}, on hand ${onHand}`);
  }

  const orders = await db
    .selectFrom('sales_orders as o')
    .innerJoin('sales_order_lines as s', (j) => j.onRef('s.org_id', '=', 'o.org_id').onRef('s.order_id', '=', 'o.id'))
    .select(['s.item_id', 'o.status', sql<number>`count(distinct o.id)`.as('n'), sql<string>`sum(s.quantity)`.as('q')])
    .where('o.org_id', '=', orgId)
    .groupBy(['s.item_id', 'o.status'])
    .execute();
  for (const o of orders) {
    const f = of(o.item_id);
    if (!f) continue;
    if (o.status === 'confirmed') {
      f.dbConfirmedOrders += Number(o.n);
      f.dbConfirmedQuantity += toBigInt(o.q);
    } else if (o.status === 'draft') f.dbDraftOrders += Number(o.n);
  }

  const reservations = await db
    .selectFrom('reservations')
    .select(['item_id', sql<string>`sum(quantity)`.as('q')])
    .where('org_id', '=', orgId)
    .where('status', '=', 'open')
    .groupBy('item_id')
    .execute();
  for (const r of reservations) {
    const f = of(r.item_id);
    if (f) f.openReservations += toBigInt(r.q);
  }
  return facts;
}

export async function benchFlashSale(temp: TempDir, options: FlashSaleOptions): Promise<FlashSaleResult> {
  const skus = Array.from({ length: options.skus }, (_, i) => flashSku(i));
  const warmSkus = Array.from({ length: options.skus }, (_, i) => warmSku(i));
  // Stock split evenly, covering (at least) a third of the orders: 10,000 orders, 20 SKUs -> 167 each.
  const stockPerSku = Math.ceil(options.orders / 3 / options.skus);
  const totalStock = stockPerSku * options.skus;
  const bench = await openDurableStore(temp.file('flash-sale.db'));
  const server = await startServer(bench);
  try {
    progress(`flash_sale: seeding ${skus.length} SKUs x ${stockPerSku} (+ ${warmSkus.length} warm-up SKUs)`);
    await seed(server, [
      ...skus.map((sku) => ({ sku, quantity: stockPerSku })),
      ...warmSkus.map((sku) => ({ sku, quantity: Math.max(1, options.warmupOrders) })),
    ]);
    progress(`flash_sale: ${options.clients} clients, ${options.warmupOrders} warm-up + ${options.orders} orders for ${totalStock} units`);
    let elu0 = performance.eventLoopUtilization();
    let cpu0 = process.cpuUsage();
    let commits0 = { ...bench.commits };
    const report = await load(
      {
        baseUrl: server.baseUrl,
        token: server.token,
        clients: options.clients,
        warmupOrders: options.warmupOrders,
        orders: options.orders,
        warehouse: WAREHOUSE,
        skus,
        warmupSkus: warmSkus,
        acceptInsufficientStock: true,
      },
      () => {
        elu0 = performance.eventLoopUtilization();
        cpu0 = process.cpuUsage();
        commits0 = { ...bench.commits };
      },
    );
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const commands = bench.commits.commands - commits0.commands;
    const batches = bench.commits.batches - commits0.batches;

    // ---- the proof, from the database
    const facts = await skuFacts(bench, [...skus, ...warmSkus]);
    const checks: FlashSaleCheck[] = [];
    const check = (name: string, violations: string[]) => checks.push({ check: name, ok: violations.length === 0, violations: violations.slice(0, 10) });
    const outcome = (s: string): SkuOutcome => report.bySku[s] ?? { created: 0, confirmed: 0, refused: 0 };
    const units = (q: bigint) => Number(q / ONE);
    const stockOf = (s: string) => (skus.includes(s) ? stockPerSku : Math.max(1, options.warmupOrders));
    const all = [...skus, ...warmSkus];

    check('no unexpected answers', Object.entries(report.errors).map(([what, n]) => `${what}: ${n}`));
    check('every order answered: confirmed + refused == orders', report.confirmed + report.refused === options.orders ? [] : [`${report.confirmed} + ${report.refused} != ${options.orders}`]);
    check('per SKU reserved == confirmed orders (database) == confirmed answers (clients)', skus.flatMap((s) => {
      const f = facts.get(s)!;
      const o = outcome(s);
      return f.reserved === f.dbConfirmedQuantity && f.dbConfirmedQuantity === BigInt(o.confirmed) * ONE && f.dbConfirmedOrders === o.confirmed && f.openReservations === f.reserved
        ? []
        : [`${s}: reserved ${units(f.reserved)}, open reservations ${units(f.openReservations)}, confirmed in db ${f.dbConfirmedOrders} (${units(f.dbConfirmedQuantity)} units), confirmed answers ${o.confirmed}`];
    }));
    check('warm-up SKUs: reserved == confirmed orders (database)', warmSkus.flatMap((s) => {
      const f = facts.get(s)!;
      return f.reserved === f.dbConfirmedQuantity ? [] : [`${s}: reserved ${units(f.reserved)}, confirmed ${units(f.dbConfirmedQuantity)}`];
    }));
    check('reserved <= on hand on every balance', all.flatMap((s) => facts.get(s)!.badBalances.map((b) => `${s} ${b}`)));
    check('on hand unchanged (confirming only reserves)', all.flatMap((s) => (facts.get(s)!.onHand === BigInt(stockOf(s)) * ONE ? [] : [`${s}: on hand ${units(facts.get(s)!.onHand)}, seeded ${stockOf(s)}`])));
    check('per SKU confirmed == min(orders created, stock)', skus.flatMap((s) => {
      const o = outcome(s);
      return o.confirmed === Math.min(o.created, stockPerSku) ? [] : [`${s}: created ${o.created}, stock ${stockPerSku}, confirmed ${o.confirmed}`];
    }));
    check('refused orders are still drafts', skus.flatMap((s) => (facts.get(s)!.dbDraftOrders === outcome(s).refused ? [] : [`${s}: ${facts.get(s)!.dbDraftOrders} drafts, ${outcome(s).refused} refused`])));
    const skusSoldOut = skus.filter((s) => outcome(s).created > stockPerSku).length;
    const soldOut = skusSoldOut === skus.length;
    if (soldOut) check('demand exceeded stock on every SKU: confirmed total == total stock', report.confirmed === totalStock ? [] : [`confirmed ${report.confirmed}, total stock ${totalStock}`]);
    const ledger = await verifyLedger(bench.store.read, bench.store.dialect);
    check('verifyLedger', ledger.checks.filter((c) => !c.ok).flatMap((c) => c.violations.map((v) => `${c.invariant} ${c.name}: ${v}`)));

    // Units beyond stock per SKU: the worst of what the clients were told, what the orders say, what
    // is reserved against the stock seeded, and what balances reserve beyond their own on hand.
    let oversold = 0;
    for (const s of all) {
      const f = facts.get(s)!;
      const claimed = Math.max(outcome(s).confirmed, f.dbConfirmedOrders, units(f.reserved), units(f.dbConfirmedQuantity));
      oversold += Math.max(0, claimed - stockOf(s), units(f.reservedBeyondOnHand));
    }
    const verified = checks.every((c) => c.ok);

    const result: FlashSaleResult = {
      skus: skus.length,
      stockPerSku,
      totalStock,
      clients: options.clients,
      orders: options.orders,
      seconds: report.seconds,
      ordersPerSecond: round(report.orders / report.seconds, 1),
      confirmed: report.confirmed,
      refused: report.refused,
      soldOut,
      skusSoldOut,
      orderMs: summarize(report.orderMs),
      confirmMs: summarize(report.confirmMs),
      confirmOkMs: summarize(report.confirmOkMs),
      confirmRefusedMs: summarize(report.confirmRefusedMs),
      errors: report.errors,
      commandsPerCommit: round(commands / Math.max(1, batches), 2),
      serverEventLoopUtilization: round(elu.utilization),
      serverCpuSeconds: round((cpu.user + cpu.system) / 1e6),
      clientCpuSeconds: report.clientCpuSeconds,
      oversold,
      verified,
      ledgerVerified: ledger.ok,
      checks,
    };
    progress(
      `flash_sale: ${result.ordersPerSecond} orders/s, ${result.confirmed} confirmed / ${result.refused} refused of ${totalStock} units, ` +
        `order p99 ${result.orderMs.p99} ms, confirm p99 ${result.confirmMs.p99} ms, oversold ${oversold}, verified ${verified}`,
    );
    return result;
  } finally {
    await server.close();
    await bench.store.close();
  }
}
