import { sql } from 'kysely';
import { conflict, notFound } from '../../core/errors.js';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { StockCountScopeType, StockCountStatus } from '../../db/tables/counts.js';
import type { Tx } from '../../db/store.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';

/** Document type of counts in the ledger (postings, moves) and in references (CNT-000001). */
export const STOCK_COUNT = 'stock-count';

export type AbcClass = 'A' | 'B' | 'C';

export type CountScope =
  | { type: 'full' }
  | { type: 'zone'; locations: string[] }
  | { type: 'items'; skus: string[] }
  | { type: 'abc'; classes: AbcClass[] };

/** The count's state machine; anything else is a 409. */
export const TRANSITIONS: Record<StockCountStatus, StockCountStatus[]> = {
  draft: ['in_progress', 'cancelled'],
  in_progress: ['counted', 'cancelled'],
  counted: ['approved', 'in_progress', 'posted', 'cancelled'],
  approved: ['in_progress', 'posted', 'cancelled'],
  posted: [],
  cancelled: [],
};

/** Open counts hold their balances: a second open count of the same balance would post its variance twice. */
export const OPEN_STATUSES: StockCountStatus[] = ['in_progress', 'counted', 'approved'];

export const countReference = (id: number) => documentReference(STOCK_COUNT, id);

export function parseScope(type: StockCountScopeType, text: string): CountScope {
  const stored = JSON.parse(text) as CountScope;
  return { ...stored, type } as CountScope;
}

/**
 * Lock the count row first (PostgreSQL lock order: document, then balances) and check that it
 * may become `next`.
 */
export async function lockCount(lt: LedgerTx, orgId: number, id: number, next: StockCountStatus) {
  const count = await lockRows(lt, lt.tx.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!count) throw notFound(`stock count ${id}`);
  if (!TRANSITIONS[count.status].includes(next)) {
    throw conflict(`stock count ${countReference(id)} is ${count.status} and cannot become ${next}`, { currentStatus: count.status });
  }
  return count;
}

/** Lock the count row and require one status (entering counts keeps the count in progress). */
export async function lockCountIn(lt: LedgerTx, orgId: number, id: number, status: StockCountStatus, action: string) {
  const count = await lockRows(lt, lt.tx.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!count) throw notFound(`stock count ${id}`);
  if (count.status !== status) {
    throw conflict(`stock count ${countReference(id)} is ${count.status}: ${action} needs it ${status}`, { currentStatus: count.status });
  }
  return count;
}

/** The newest move id of the company: a watermark of the ledger at this moment. */
export async function lastMoveId(tx: Tx, orgId: number): Promise<number> {
  const row = await tx.selectFrom('moves').select(sql<string>`coalesce(max(id), 0)`.as('m')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return num(row.m);
}

/** On hand of one balance now (0 when the balance does not exist yet). */
export async function onHandNow(tx: Tx, orgId: number, key: { itemId: number; locationId: number; lotId: number }): Promise<bigint> {
  const row = await tx
    .selectFrom('balances')
    .select('on_hand')
    .where('org_id', '=', orgId)
    .where('item_id', '=', key.itemId)
    .where('location_id', '=', key.locationId)
    .where('lot_id', '=', key.lotId)
    .executeTakeFirst();
  return row ? toBigInt(row.on_hand) : 0n;
}
