import { sql, type Kysely } from 'kysely';
import { toBigInt } from '../core/decimal.js';
import { num, type DB, type LocationKind } from '../db/schema.js';
import { documentReference } from './documents.js';
import { PHYSICAL_KINDS, isAvailableKind } from './locations.js';

export interface StockRow {
  sku: string;
  itemId: number;
  warehouse: string;
  location: string;
  locationKind: LocationKind;
  lot: string | null;
  expiresOn: string | null;
  onHand: bigint;
  reserved: bigint;
  available: bigint;
}

/** Balances of physical locations, optionally for one SKU and/or one warehouse (by code). */
export async function queryStock(
  db: Kysely<DB>,
  orgId: number,
  filter: { sku?: string; warehouse?: string; nonZero?: boolean; limit?: number; warehouseIds?: readonly number[] },
): Promise<StockRow[]> {
  let query = db
    .selectFrom('balances as b')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'b.org_id').onRef('i.id', '=', 'b.item_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'l.org_id').onRef('w.id', '=', 'l.warehouse_id'))
    .leftJoin('lots as t', (j) => j.onRef('t.org_id', '=', 'b.org_id').onRef('t.id', '=', 'b.lot_id'))
    .select(['i.sku', 'i.id as item_id', 'w.code as warehouse', 'l.code as location', 'l.kind', 't.code as lot', 't.expires_on', 'b.on_hand', 'b.reserved'])
    .where('b.org_id', '=', orgId)
    .where('l.kind', 'in', [...PHYSICAL_KINDS]);
  if (filter.sku !== undefined) query = query.where('i.sku', '=', filter.sku);
  if (filter.warehouse !== undefined) query = query.where('w.code', '=', filter.warehouse);
  // Warehouse scope of the user (docs/security.md): only these warehouses; none: nothing.
  if (filter.warehouseIds !== undefined) query = query.where('w.id', 'in', [-1, ...filter.warehouseIds]);
  if (filter.nonZero) query = query.where((eb) => eb.or([eb('b.on_hand', '!=', 0), eb('b.reserved', '!=', 0)]));
  const rows = await query
    .orderBy('i.sku')
    .orderBy('w.code')
    .orderBy('l.code')
    .orderBy('b.lot_id')
    .limit(filter.limit ?? 10_000)
    .execute();
  return rows.map((r) => {
    const onHand = toBigInt(r.on_hand);
    const reserved = toBigInt(r.reserved);
    return {
      sku: r.sku,
      itemId: num(r.item_id),
      warehouse: r.warehouse,
      location: r.location,
      locationKind: r.kind,
      lot: r.lot ?? null,
      expiresOn: r.expires_on ?? null,
      onHand,
      reserved,
      // Stock in quality inspection or rejected is on hand but cannot be promised.
      available: isAvailableKind(r.kind) ? onHand - reserved : 0n,
    };
  });
}

export interface MoveRow {
  id: number;
  sku: string;
  from: string;
  to: string;
  quantity: bigint;
  lot: string | null;
  documentType: string;
  documentId: number;
  document: string;
  unitCost: bigint | null;
  value: bigint | null;
  postedAt: string;
  postedBy: number;
}

/** Narrowing of a move history: every filter given must hold (AND). */
export interface MoveFilter {
  itemId?: number;
  documentType?: string;
  documentId?: number;
  /** Moves from or into a location of this warehouse. */
  warehouseId?: number;
  /** Moves from or into exactly this location (not its sub-locations: the moves behind its balance). */
  locationId?: number;
  /** Lot or serial code (lots are per item: with `itemId`, that item's lot). */
  lot?: string;
  /** Posting time bounds on the ISO text: `postedFrom` inclusive, `postedBefore` exclusive. */
  postedFrom?: string;
  postedBefore?: string;
}

/** Moves in posting order (id), keyset-paginated: `afterId` is the last id of the previous page. */
export async function queryMoves(
  db: Kysely<DB>,
  orgId: number,
  filter: MoveFilter & { afterId?: number; limit: number; warehouseIds?: readonly number[] },
): Promise<{ moves: MoveRow[]; hasMore: boolean }> {
  let query = db
    .selectFrom('moves as m')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'm.org_id').onRef('i.id', '=', 'm.item_id'))
    .innerJoin('locations as f', (j) => j.onRef('f.org_id', '=', 'm.org_id').onRef('f.id', '=', 'm.from_location_id'))
    .innerJoin('locations as t', (j) => j.onRef('t.org_id', '=', 'm.org_id').onRef('t.id', '=', 'm.to_location_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 'm.org_id').onRef('lot.id', '=', 'm.lot_id'))
    .select([
      'm.id', 'i.sku', 'f.code as from', 't.code as to', 'm.quantity', 'lot.code as lot', 'm.document_type',
      'm.document_id', 'm.unit_cost', 'm.value', 'm.posted_at', 'm.posted_by',
    ])
    .where('m.org_id', '=', orgId);
  if (filter.itemId !== undefined) query = query.where('m.item_id', '=', filter.itemId);
  if (filter.documentType !== undefined) query = query.where('m.document_type', '=', filter.documentType);
  if (filter.documentId !== undefined) query = query.where('m.document_id', '=', filter.documentId);
  const { warehouseId, locationId } = filter;
  if (warehouseId !== undefined) query = query.where((eb) => eb.or([eb('f.warehouse_id', '=', warehouseId), eb('t.warehouse_id', '=', warehouseId)]));
  if (locationId !== undefined) query = query.where((eb) => eb.or([eb('m.from_location_id', '=', locationId), eb('m.to_location_id', '=', locationId)]));
  if (filter.lot !== undefined) query = query.where('lot.code', '=', filter.lot);
  if (filter.postedFrom !== undefined) query = query.where('m.posted_at', '>=', filter.postedFrom);
  if (filter.postedBefore !== undefined) query = query.where('m.posted_at', '<', filter.postedBefore);
  if (filter.afterId !== undefined) query = query.where('m.id', '>', filter.afterId);
  // Warehouse scope: moves from or into one of these warehouses.
  const scope = filter.warehouseIds === undefined ? undefined : [-1, ...filter.warehouseIds];
  if (scope) query = query.where((eb) => eb.or([eb('f.warehouse_id', 'in', scope), eb('t.warehouse_id', 'in', scope)]));
  const rows = await query.orderBy('m.id').limit(filter.limit + 1).execute();
  const moves = rows.slice(0, filter.limit).map((r) => ({
    id: num(r.id),
    sku: r.sku,
    from: r.from,
    to: r.to,
    quantity: toBigInt(r.quantity),
    lot: r.lot ?? null,
    documentType: r.document_type,
    documentId: num(r.document_id),
    document: documentReference(r.document_type, num(r.document_id)),
    unitCost: r.unit_cost === null ? null : toBigInt(r.unit_cost),
    value: r.value === null ? null : toBigInt(r.value),
    postedAt: r.posted_at,
    postedBy: num(r.posted_by),
  }));
  return { moves, hasMore: rows.length > filter.limit };
}

/** Count of moves (used by tests and benchmarks to prove nothing was written). */
export async function countMoves(db: Kysely<DB>, orgId: number): Promise<number> {
  const row = await db.selectFrom('moves').select(sql<number>`count(*)`.as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return num(row.n);
}
