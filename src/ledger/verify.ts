import { sql, type Kysely } from 'kysely';
import { formatScaled, toBigInt } from '../core/decimal.js';
import { num, type DB } from '../db/schema.js';
import type { Dialect } from '../db/dialect.js';
import { PHYSICAL_KINDS, isValued } from './locations.js';
import type { LocationKind } from '../db/schema.js';

export interface CheckResult {
  invariant: number;
  name: string;
  ok: boolean;
  violations: string[];
}

export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
}

const MAX_LISTED = 20;

/**
 * Check every invariant of the stock ledger (docs/ledger.md) over all companies. Read-only.
 * Aggregates are computed by the database; only per-balance sums come back to compare.
 */
export async function verifyLedger(db: Kysely<DB>, dialect: Dialect): Promise<VerifyReport> {
  const checks: CheckResult[] = [];
  const check = (invariant: number, name: string, violations: string[]) =>
    checks.push({ invariant, name, ok: violations.length === 0, violations: violations.slice(0, MAX_LISTED).concat(violations.length > MAX_LISTED ? [`... and ${violations.length - MAX_LISTED} more`] : []) });

  const kinds = new Map<string, LocationKind>();
  for (const l of await db.selectFrom('locations').select(['org_id', 'id', 'kind']).execute()) kinds.set(`${num(l.org_id)}:${num(l.id)}`, l.kind);

  // 1. Stock is only moved: per item and lot, all locations (virtual included) sum to zero.
  const sums = await db
    .selectFrom('balances')
    .select(['org_id', 'item_id', 'lot_id', sql<string>`sum(on_hand)`.as('total')])
    .groupBy(['org_id', 'item_id', 'lot_id'])
    .execute();
  check(1, 'balances of every item and lot sum to zero over all locations',
    sums.filter((s) => toBigInt(s.total) !== 0n).map((s) => `org ${s.org_id} item ${s.item_id} lot ${s.lot_id}: sum ${formatScaled(toBigInt(s.total))}`));

  // 2. Every balance equals the sum of its moves.
  const fromMoves = new Map<string, bigint>();
  const addMoves = (rows: Array<{ org_id: unknown; item_id: unknown; loc: unknown; lot_id: unknown; q: unknown }>, sign: bigint) => {
    for (const r of rows) {
      const key = `${num(r.org_id as number)}:${num(r.item_id as number)}:${num(r.loc as number)}:${num(r.lot_id as number)}`;
      fromMoves.set(key, (fromMoves.get(key) ?? 0n) + sign * toBigInt(r.q));
    }
  };
  addMoves(await db.selectFrom('moves').select(['org_id', 'item_id', 'to_location_id as loc', 'lot_id', sql<string>`sum(quantity)`.as('q')]).groupBy(['org_id', 'item_id', 'to_location_id', 'lot_id']).execute(), 1n);
  addMoves(await db.selectFrom('moves').select(['org_id', 'item_id', 'from_location_id as loc', 'lot_id', sql<string>`sum(quantity)`.as('q')]).groupBy(['org_id', 'item_id', 'from_location_id', 'lot_id']).execute(), -1n);
  const balances = await db.selectFrom('balances').selectAll().execute();
  const balanceViolations: string[] = [];
  const seen = new Set<string>();
  for (const b of balances) {
    const key = `${num(b.org_id)}:${num(b.item_id)}:${num(b.location_id)}:${num(b.lot_id)}`;
    seen.add(key);
    const expected = fromMoves.get(key) ?? 0n;
    if (toBigInt(b.on_hand) !== expected) balanceViolations.push(`balance ${key}: on hand ${formatScaled(toBigInt(b.on_hand))}, moves say ${formatScaled(expected)}`);
  }
  for (const [key, q] of fromMoves) if (!seen.has(key) && q !== 0n) balanceViolations.push(`balance ${key} is missing; moves say ${formatScaled(q)}`);
  check(2, 'every balance equals the sum of its moves', balanceViolations);

  // 3. Physical locations: on hand >= 0, 0 <= reserved <= on hand, reserved = open reservations.
  const reservedByBalance = new Map<string, bigint>();
  const open = await db
    .selectFrom('reservations')
    .select(['org_id', 'item_id', 'location_id', 'lot_id', sql<string>`sum(quantity)`.as('q')])
    .where('status', '=', 'open')
    .groupBy(['org_id', 'item_id', 'location_id', 'lot_id'])
    .execute();
  for (const r of open) reservedByBalance.set(`${num(r.org_id)}:${num(r.item_id)}:${num(r.location_id)}:${num(r.lot_id)}`, toBigInt(r.q));
  const limitViolations: string[] = [];
  for (const b of balances) {
    const key = `${num(b.org_id)}:${num(b.item_id)}:${num(b.location_id)}:${num(b.lot_id)}`;
    const kind = kinds.get(`${num(b.org_id)}:${num(b.location_id)}`);
    const onHand = toBigInt(b.on_hand);
    const reserved = toBigInt(b.reserved);
    const physical = kind !== undefined && PHYSICAL_KINDS.includes(kind);
    if (physical && (onHand < 0n || reserved < 0n || reserved > onHand)) {
      limitViolations.push(`balance ${key}: on hand ${formatScaled(onHand)}, reserved ${formatScaled(reserved)}`);
    }
    if (!physical && kind !== 'transit' && reserved !== 0n) limitViolations.push(`virtual balance ${key} has reserved ${formatScaled(reserved)}`);
    const claimed = reservedByBalance.get(key) ?? 0n;
    if (claimed !== reserved) limitViolations.push(`balance ${key}: reserved ${formatScaled(reserved)}, open reservations ${formatScaled(claimed)}`);
    reservedByBalance.delete(key);
  }
  for (const [key, q] of reservedByBalance) limitViolations.push(`open reservations of ${formatScaled(q)} on missing balance ${key}`);
  check(3, 'physical stock is never negative and 0 <= reserved <= on hand', limitViolations);

  // 4. Moves are never updated or deleted: the engine refuses it, and postings still hold their moves.
  const immutability: string[] = [];
  const triggers = dialect === 'postgres'
    ? await sql<{ name: string }>`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'moves'::regclass AND NOT tgisinternal AND tgenabled <> 'D'`.execute(db)
    : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'moves'`.execute(db);
  const names = new Set(triggers.rows.map((r) => r.name));
  const required = dialect === 'postgres' ? ['moves_append_only'] : ['moves_no_update', 'moves_no_delete'];
  for (const name of required) if (!names.has(name)) immutability.push(`trigger ${name} that refuses changes to moves is missing or disabled`);
  const postingTotals = await db
    .selectFrom('postings as p')
    .leftJoin('moves as m', (j) => j.onRef('m.org_id', '=', 'p.org_id').onRef('m.posting_id', '=', 'p.id'))
    .select(['p.org_id', 'p.id', 'p.posting_key', 'p.move_count', 'p.quantity_total', sql<string>`count(m.id)`.as('n'), sql<string>`coalesce(sum(m.quantity), 0)`.as('q')])
    .groupBy(['p.org_id', 'p.id', 'p.posting_key', 'p.move_count', 'p.quantity_total'])
    .execute();
  for (const p of postingTotals) {
    if (num(p.move_count) !== num(p.n) || toBigInt(p.quantity_total) !== toBigInt(p.q)) {
      immutability.push(`posting ${p.posting_key}: recorded ${num(p.move_count)} moves of ${formatScaled(toBigInt(p.quantity_total))}, found ${num(p.n)} of ${formatScaled(toBigInt(p.q))}`);
    }
  }
  const orphans = await db
    .selectFrom('moves as m')
    .leftJoin('postings as p', (j) => j.onRef('p.org_id', '=', 'm.org_id').onRef('p.id', '=', 'm.posting_id'))
    .select(sql<string>`count(*)`.as('n'))
    .where('p.id', 'is', null)
    .executeTakeFirstOrThrow();
  if (num(orphans.n) > 0) immutability.push(`${num(orphans.n)} moves belong to no posting`);
  check(4, 'moves are never updated or deleted', immutability);

  // 5. A posting key (and an idempotency key) is used at most once.
  const duplicatePostings = await db
    .selectFrom('postings')
    .select(['org_id', 'posting_key', sql<string>`count(*)`.as('n')])
    .groupBy(['org_id', 'posting_key'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  const duplicateKeys = await db
    .selectFrom('idempotency_keys')
    .select(['org_id', 'idem_key', sql<string>`count(*)`.as('n')])
    .groupBy(['org_id', 'idem_key'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  check(5, 'a posting retried with the same key posts nothing new', [
    ...duplicatePostings.map((d) => `posting key ${d.posting_key} posted ${num(d.n)} times`),
    ...duplicateKeys.map((d) => `idempotency key ${d.idem_key} stored ${num(d.n)} times`),
  ]);

  // 6. Remaining valuation layers add up to the ledger's stock value and valued quantity.
  const valuation: string[] = [];
  const ledgerValue = new Map<string, { qty: bigint; value: bigint }>();
  const bump = (key: string, qty: bigint, value: bigint) => {
    const v = ledgerValue.get(key) ?? { qty: 0n, value: 0n };
    v.qty += qty;
    v.value += value;
    ledgerValue.set(key, v);
  };
  const flows = await db
    .selectFrom('moves')
    .select(['org_id', 'item_id', 'from_location_id', 'to_location_id', sql<string>`sum(quantity)`.as('q'), sql<string>`coalesce(sum(value), 0)`.as('v')])
    .groupBy(['org_id', 'item_id', 'from_location_id', 'to_location_id'])
    .execute();
  for (const f of flows) {
    const org = num(f.org_id);
    const fromValued = isValued(kinds.get(`${org}:${num(f.from_location_id)}`) ?? 'customer');
    const toValued = isValued(kinds.get(`${org}:${num(f.to_location_id)}`) ?? 'customer');
    const key = `${org}:${num(f.item_id)}`;
    if (!fromValued && toValued) bump(key, toBigInt(f.q), toBigInt(f.v));
    if (fromValued && !toValued) bump(key, -toBigInt(f.q), -toBigInt(f.v));
  }
  // ...and the quantity the layers hold is what the valued balances hold on hand.
  const valuedOnHand = new Map<string, bigint>();
  for (const b of balances) {
    const kind = kinds.get(`${num(b.org_id)}:${num(b.location_id)}`);
    if (kind === undefined || !isValued(kind)) continue;
    const key = `${num(b.org_id)}:${num(b.item_id)}`;
    valuedOnHand.set(key, (valuedOnHand.get(key) ?? 0n) + toBigInt(b.on_hand));
  }
  const layers = await db
    .selectFrom('valuation_layers')
    .select(['org_id', 'item_id', sql<string>`sum(remaining_quantity)`.as('q'), sql<string>`sum(remaining_value)`.as('v'), sql<string>`min(remaining_quantity)`.as('minq')])
    .groupBy(['org_id', 'item_id'])
    .execute();
  const layerKeys = new Set<string>();
  for (const l of layers) {
    const key = `${num(l.org_id)}:${num(l.item_id)}`;
    layerKeys.add(key);
    const ledger = ledgerValue.get(key) ?? { qty: 0n, value: 0n };
    if (toBigInt(l.minq) < 0n) valuation.push(`item ${key}: a layer has negative remaining quantity`);
    const onHand = valuedOnHand.get(key) ?? 0n;
    valuedOnHand.delete(key);
    if (toBigInt(l.q) !== onHand) valuation.push(`item ${key}: layers hold ${formatScaled(toBigInt(l.q))}, balances hold ${formatScaled(onHand)} on hand`);
    if (toBigInt(l.q) !== ledger.qty || toBigInt(l.v) !== ledger.value) {
      valuation.push(`item ${key}: layers hold ${formatScaled(toBigInt(l.q))} worth ${formatScaled(toBigInt(l.v))}, ledger ${formatScaled(ledger.qty)} worth ${formatScaled(ledger.value)}`);
    }
  }
  for (const [key, v] of ledgerValue) {
    if (!layerKeys.has(key) && (v.qty !== 0n || v.value !== 0n)) valuation.push(`item ${key}: no layers, ledger holds ${formatScaled(v.qty)} worth ${formatScaled(v.value)}`);
  }
  for (const [key, q] of valuedOnHand) if (q !== 0n) valuation.push(`item ${key}: no valuation layers for ${formatScaled(q)} on hand`);
  check(6, 'remaining valuation layers add up to the stock value of the ledger', valuation);

  return { ok: checks.every((c) => c.ok), checks };
}

export function formatReport(report: VerifyReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.invariant}. ${c.name}${c.ok ? '' : '\n' + c.violations.map((v) => `       - ${v}`).join('\n')}`);
  lines.push(report.ok ? 'ledger verified: every invariant holds' : 'ledger NOT verified: see failures above');
  return lines.join('\n');
}
