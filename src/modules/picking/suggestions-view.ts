import type { Kysely } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import type { CountSuggestionStatus } from '../../db/tables/picking.js';
import { COUNT_SUGGESTION, PICK_TASK } from './model.js';

type Db = Kysely<DB>;

function suggestionQuery(db: Db, orgId: number) {
  return db
    .selectFrom('count_suggestions as s')
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 's.org_id').onRef('w.id', '=', 's.warehouse_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 's.org_id').onRef('l.id', '=', 's.location_id'))
    .innerJoin('locations as h', (j) => j.onRef('h.org_id', '=', 's.org_id').onRef('h.id', '=', 's.hold_location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 's.org_id').onRef('lot.id', '=', 's.lot_id'))
    .select([
      's.id', 's.status', 's.warehouse_id', 'w.code as warehouse', 'l.code as bin', 'h.code as hold', 'i.sku', 'i.name', 'lot.code as lot', 's.quantity', 's.task_id',
      's.count_id', 's.found_quantity', 's.created_by', 's.created_at', 's.resolved_by', 's.resolved_at',
    ])
    .where('s.org_id', '=', orgId);
}

function toSuggestion(r: Awaited<ReturnType<ReturnType<typeof suggestionQuery>['execute']>>[number]) {
  return {
    id: num(r.id),
    number: documentReference(COUNT_SUGGESTION, num(r.id)),
    status: r.status,
    warehouse: r.warehouse,
    warehouseId: num(r.warehouse_id),
    bin: r.bin,
    sku: r.sku,
    name: r.name,
    lot: r.lot ?? null,
    missing: toJsonNumber(toBigInt(r.quantity)),
    heldAt: r.hold,
    task: r.task_id === null ? null : documentReference(PICK_TASK, num(r.task_id)),
    taskId: r.task_id === null ? null : num(r.task_id),
    countId: r.count_id === null ? null : num(r.count_id),
    found: r.found_quantity === null ? null : toJsonNumber(toBigInt(r.found_quantity)),
    createdBy: num(r.created_by),
    createdAt: r.created_at,
    resolvedBy: r.resolved_by === null ? null : num(r.resolved_by),
    resolvedAt: r.resolved_at,
  };
}
export type SuggestionView = ReturnType<typeof toSuggestion>;

export async function suggestionView(db: Db, orgId: number, id: number): Promise<SuggestionView> {
  const row = await suggestionQuery(db, orgId).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`count suggestion ${id}`);
  return toSuggestion(row);
}

/** Newest first, keyset by id; open and counting ones are the work list. */
export async function listSuggestionRows(db: Db, orgId: number, filter: { status?: CountSuggestionStatus; warehouse?: string; after?: number; limit: number; warehouseIds?: readonly number[] | null }) {
  let query = suggestionQuery(db, orgId);
  if (filter.status) query = query.where('s.status', '=', filter.status);
  if (filter.warehouse) query = query.where('w.code', '=', filter.warehouse);
  if (filter.warehouseIds) query = query.where('s.warehouse_id', 'in', [-1, ...filter.warehouseIds]);
  if (filter.after !== undefined) query = query.where('s.id', '<', filter.after);
  const rows = await query.orderBy('s.id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map(toSuggestion);
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
