import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';

/** `date` plus `days` calendar days (UTC), as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The first expiry date a customer accepts today: a lot is usable through its `expiresOn`, so it
 * has `expiresOn − today` days of shelf life left; a customer with a minimum of N days takes only
 * lots with expiresOn ≥ today + N. Null when the order names no partner or it has no minimum
 * (then only expired lots are refused, as always).
 */
export function minExpiryFor(minShelfLifeDays: number | null, today: string): string | null {
  return minShelfLifeDays === null || minShelfLifeDays <= 0 ? null : addDays(today, minShelfLifeDays);
}

/** Minimum shelf life (days) of the partners of some orders, by order id. */
export async function shelfLifeByOrder(tx: Tx, orgId: number, orderIds: number[]): Promise<Map<number, number | null>> {
  if (orderIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('sales_orders as o')
    .leftJoin('partners as p', (j) => j.onRef('p.org_id', '=', 'o.org_id').onRef('p.id', '=', 'o.partner_id'))
    .select(['o.id', 'p.min_shelf_life_days'])
    .where('o.org_id', '=', orgId)
    .where('o.id', 'in', orderIds)
    .execute();
  return new Map(rows.map((r) => [num(r.id), r.min_shelf_life_days === null ? null : num(r.min_shelf_life_days)]));
}
