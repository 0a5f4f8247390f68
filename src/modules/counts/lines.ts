import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { StockCountLineState } from '../../db/tables/counts.js';
import type { Tx } from '../../db/store.js';

export interface CountLine {
  id: number;
  lineNo: number;
  itemId: number;
  sku: string;
  name: string;
  unit: string;
  tracking: string;
  locationId: number;
  location: string;
  lotId: number;
  lot: string | null;
  /** Book quantity when the count started (0 for found stock). */
  snapshot: bigint;
  unitCost: bigint;
  found: boolean;
  state: StockCountLineState;
  counted: bigint | null;
  /** Book quantity at the moment the line was counted: the variance is measured against it. */
  book: bigint | null;
  countedMoveId: number | null;
  countedBy: number | null;
  countedAt: string | null;
}

/** A count's lines with their item, location and lot, in sheet order (line number). */
export async function loadLines(tx: Tx, orgId: number, countId: number): Promise<CountLine[]> {
  const rows = await tx
    .selectFrom('stock_count_lines as c')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'c.org_id').onRef('i.id', '=', 'c.item_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'c.org_id').onRef('l.id', '=', 'c.location_id'))
    .leftJoin('lots as t', (j) => j.onRef('t.org_id', '=', 'c.org_id').onRef('t.id', '=', 'c.lot_id'))
    .select([
      'c.id', 'c.line_no', 'c.item_id', 'i.sku', 'i.name', 'i.unit', 'i.tracking', 'c.location_id', 'l.code as location', 'c.lot_id', 't.code as lot',
      'c.snapshot_quantity', 'c.unit_cost', 'c.found', 'c.state', 'c.counted_quantity', 'c.book_quantity', 'c.counted_move_id', 'c.counted_by', 'c.counted_at',
    ])
    .where('c.org_id', '=', orgId)
    .where('c.count_id', '=', countId)
    .orderBy('c.line_no')
    .execute();
  return rows.map((r) => ({
    id: num(r.id),
    lineNo: num(r.line_no),
    itemId: num(r.item_id),
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    tracking: r.tracking,
    locationId: num(r.location_id),
    location: r.location,
    lotId: num(r.lot_id),
    lot: r.lot ?? null,
    snapshot: toBigInt(r.snapshot_quantity),
    unitCost: toBigInt(r.unit_cost),
    found: num(r.found) === 1,
    state: r.state,
    counted: r.counted_quantity === null ? null : toBigInt(r.counted_quantity),
    book: r.book_quantity === null ? null : toBigInt(r.book_quantity),
    countedMoveId: r.counted_move_id === null ? null : num(r.counted_move_id),
    countedBy: r.counted_by === null ? null : num(r.counted_by),
    countedAt: r.counted_at ?? null,
  }));
}
