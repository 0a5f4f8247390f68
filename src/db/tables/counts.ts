import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

type Id = ColumnType<Int, Int | undefined, never>;

export type StockCountStatus = 'draft' | 'in_progress' | 'counted' | 'approved' | 'posted' | 'cancelled';
export type StockCountScopeType = 'full' | 'zone' | 'items' | 'abc';
/** pending: not counted yet; counted: entered; zeroed: uncounted at submit, counted as zero; excluded: left out at submit. */
export type StockCountLineState = 'pending' | 'counted' | 'zeroed' | 'excluded';

export interface StockCountsTable {
  org_id: Int; id: Id; warehouse_id: Int; scope_type: StockCountScopeType; scope: string;
  abc_classes: string | null; blind: Int; note: string | null; status: StockCountStatus;
  start_move_id: Int | null; uncounted: 'zero' | 'exclude' | null; approval_required: Int;
  variance_value: Int | null; reason_code: string | null; lines_total: Int | null;
  lines_accurate: Int | null; line_accuracy: Int | null; value_accuracy: Int | null;
  created_by: Int; created_at: string; updated_at: string;
  started_by: Int | null; started_at: string | null; submitted_by: Int | null; submitted_at: string | null;
  approved_by: Int | null; approved_at: string | null; rejected_by: Int | null; rejected_at: string | null;
  rejection_reason: string | null; posted_by: Int | null; posted_at: string | null;
  cancelled_by: Int | null; cancelled_at: string | null;
}

export interface StockCountLinesTable {
  org_id: Int; id: Id; count_id: Int; line_no: Int; item_id: Int; location_id: Int; lot_id: Int;
  snapshot_quantity: Int; unit_cost: Int; found: Int; state: StockCountLineState;
  counted_quantity: Int | null; book_quantity: Int | null; counted_move_id: Int | null;
  counted_by: Int | null; counted_at: string | null;
}

export interface StockCountEntriesTable {
  org_id: Int; id: Id; count_id: Int; line_id: Int; quantity: Int; book_quantity: Int;
  last_move_id: Int; entered_by: Int; entered_at: string;
}

/** Tables of the counts module (see src/modules/counts). */
export interface CountsTables {
  stock_counts: StockCountsTable;
  stock_count_lines: StockCountLinesTable;
  stock_count_entries: StockCountEntriesTable;
}
