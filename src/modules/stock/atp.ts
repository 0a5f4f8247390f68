import { DecimalFormatError, parseScaled, toJsonNumber } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { documentReference } from '../../ledger/documents.js';
import { isAvailableKind } from '../../ledger/locations.js';
import { queryStock } from '../../ledger/queries.js';
import { openPurchaseSupply } from '../procurement/supply.js';
import { inTransitSupply } from '../transfers/transfers-supply.js';
import { findItemBySku } from '../items/service.js';
import type { IncomingSupply } from './supply.js';

export interface AtpQuery {
  sku: string;
  warehouse: string;
  /** Decimal text as sent in the query string; checked against the item's unit precision. */
  quantity?: string;
}

interface Bucket {
  /** YYYY-MM-DD, or null when the document gives no date. */
  date: string | null;
  quantity: bigint;
  source: string;
  document: string;
}

/**
 * Available to promise for one item in one warehouse: what can be promised today (available now
 * in reservable locations, expired lots left out) and, from the supply other modules expect
 * (open purchase orders, transfers in transit), on which dates more becomes promisable.
 *
 * Conservative on purpose, so nobody promises what will not come: supply whose date has already
 * passed (late) and supply without a date count only in the timeline's last, undated point, never
 * on a date; `promiseDate` is therefore null when only such supply would cover the quantity.
 */
export async function availableToPromise(ctx: ServiceContext, query: AtpQuery) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const today = todayIso();

  const errors: FieldError[] = [];
  const item = await findItemBySku(db, orgId, query.sku);
  if (!item) errors.push({ field: 'query.sku', message: `unknown sku ${query.sku}` });
  const warehouse = await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).where('code', '=', query.warehouse).executeTakeFirst();
  if (!warehouse) errors.push({ field: 'query.warehouse', message: `unknown warehouse ${query.warehouse}` });
  else requireWarehouse(ctx.actor, num(warehouse.id)); // warehouse scope: 403
  let requested: bigint | null = null;
  if (item && query.quantity !== undefined) {
    try {
      requested = parseScaled(query.quantity, item.unitPrecision);
      if (requested <= 0n) errors.push({ field: 'query.quantity', message: 'must be greater than zero' });
    } catch (e) {
      errors.push({ field: 'query.quantity', message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})` });
    }
  }
  if (errors.length > 0 || !item || !warehouse) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  const warehouseId = num(warehouse.id);

  // Now: reservable locations only; Input/Rejected and expired lots are on hand but not promisable.
  let available = 0n;
  const unavailable = { inspection: 0n, rejected: 0n, expired: 0n };
  for (const b of await queryStock(db, orgId, { sku: item.sku, warehouse: warehouse.code, limit: 100_000 })) {
    if (b.locationKind === 'inspection') unavailable.inspection += b.onHand;
    else if (b.locationKind === 'rejected') unavailable.rejected += b.onHand;
    else if (!isAvailableKind(b.locationKind)) continue;
    // A lot is usable through its expiry date (as reservations and transfers decide).
    else if (b.expiresOn !== null && b.expiresOn < today) unavailable.expired += b.onHand;
    else available += b.onHand - b.reserved;
  }

  const supply: IncomingSupply[] = [
    ...(await openPurchaseSupply(db, orgId, { itemId: item.id, warehouseId })),
    ...(await inTransitSupply(db, orgId, { itemId: item.id, warehouseId })),
  ];
  const buckets = bucketsOf(supply);

  // Timeline: today, then each later date with supply, cumulative; undated and late supply last.
  const timeline: Array<{ date: string | null; quantity: bigint }> = [{ date: today, quantity: available }];
  let cumulative = available;
  let undated = 0n;
  for (const b of buckets) {
    if (b.date === null || b.date < today) {
      undated += b.quantity;
      continue;
    }
    cumulative += b.quantity;
    const last = timeline[timeline.length - 1]!;
    if (last.date === b.date) last.quantity = cumulative;
    else timeline.push({ date: b.date, quantity: cumulative });
  }
  if (undated > 0n) timeline.push({ date: null, quantity: cumulative + undated });

  const promiseDate = requested === null ? null : (timeline.find((t) => t.date !== null && t.quantity >= requested)?.date ?? null);
  return {
    sku: item.sku,
    warehouse: warehouse.code,
    asOf: today,
    today: toJsonNumber(available),
    unavailable: {
      inspection: toJsonNumber(unavailable.inspection),
      rejected: toJsonNumber(unavailable.rejected),
      expired: toJsonNumber(unavailable.expired),
    },
    supply: buckets.map((b) => ({ date: b.date, quantity: toJsonNumber(b.quantity), source: b.source, document: b.document })),
    timeline: timeline.map((t) => ({ date: t.date, quantity: toJsonNumber(t.quantity) })),
    ...(requested === null ? {} : { quantity: toJsonNumber(requested), promiseDate }),
  };
}

/** One bucket per document and date (lines of one order due the same day add up), by date, undated last. */
function bucketsOf(supply: IncomingSupply[]): Bucket[] {
  const byKey = new Map<string, Bucket>();
  for (const s of supply) {
    const document = documentReference(s.documentType, s.documentId);
    const key = `${s.expectedOn ?? ''}\u0000${document}`;
    const found = byKey.get(key);
    if (found) found.quantity += s.quantity;
    else byKey.set(key, { date: s.expectedOn, quantity: s.quantity, source: s.documentType, document });
  }
  return [...byKey.values()].sort((a, b) => {
    if (a.date !== b.date) {
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return a.date < b.date ? -1 : 1;
    }
    return a.document < b.document ? -1 : a.document > b.document ? 1 : 0;
  });
}
