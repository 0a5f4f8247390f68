import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of the returns module (see src/modules/returns). */
type Id = ColumnType<Int, Int | undefined, never>;

export type SalesReturnStatus = 'received' | 'partially_inspected' | 'closed';

/** Goods a customer sent back against a shipped sales order (RMA). */
export interface SalesReturnsTable {
  org_id: Int; id: Id; sales_order_id: Int; warehouse_id: Int; status: SalesReturnStatus;
  reason: string | null;
  /** The reference finance credits the customer under: given, or `CR-` + the return number digits. */
  credit_reference: string;
  /** Inspections posted so far: the next one posts as `sales-return:<id>:inspect:<count + 1>`. */
  inspection_count: Int;
  created_by: Int; created_at: string; updated_at: string; closed_at: string | null;
}

/** One returned quantity of one sales order line and lot (lot 0: not tracked), and its fate so far. */
export interface SalesReturnLinesTable {
  org_id: Int; id: Id; return_id: Int; line_no: Int; order_line_id: Int; item_id: Int; lot_id: Int;
  quantity: Int; restocked: Int; scrapped: Int;
}

/** What one inspection decided for one return line. */
export interface SalesReturnInspectionLinesTable {
  org_id: Int; id: Id; return_id: Int; inspection_no: Int; return_line_no: Int;
  restocked: Int; scrapped: Int; reason: string | null; created_by: Int; created_at: string;
}

export interface ReturnsTables {
  sales_returns: SalesReturnsTable;
  sales_return_lines: SalesReturnLinesTable;
  sales_return_inspection_lines: SalesReturnInspectionLinesTable;
}
