import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of the transfers module (see src/modules/transfers). */
type Id = ColumnType<Int, Int | undefined, never>;

/** Where goods of one item, or of one category, are put away in a warehouse (a zone or bin). */
export interface PutawayRulesTable {
  org_id: Int; id: Id; warehouse_id: Int; item_id: Int | null; category: string | null;
  location_id: Int; priority: Int; created_by: Int; created_at: string;
}

/** A one-step move of stock between locations of one warehouse (put-away, bin to bin). */
export interface InternalTransfersTable {
  org_id: Int; id: Id; warehouse_id: Int; note: string | null; status: string;
  created_by: Int; created_at: string;
}

export interface InternalTransferLinesTable {
  org_id: Int; id: Id; internal_transfer_id: Int; line_no: Int; item_id: Int; lot_id: Int;
  from_location_id: Int; to_location_id: Int; quantity: Int;
}

export type TransferStatus = 'draft' | 'shipped' | 'partially_received' | 'received' | 'closed' | 'cancelled';

/** Stock sent from one warehouse to another through `Virtual/In transit`. */
export interface TransfersTable {
  org_id: Int; id: Id; from_warehouse_id: Int; to_warehouse_id: Int; status: TransferStatus;
  expected_on: string | null; note: string | null;
  /** Receipts posted so far: the next receipt's posting key is `transfer:<id>:receive:<count + 1>`. */
  receipt_count: Int;
  created_by: Int; created_at: string; updated_at: string; shipped_at: string | null;
  received_at: string | null; closed_at: string | null; cancelled_at: string | null;
}

export interface TransferLinesTable {
  org_id: Int; id: Id; transfer_id: Int; line_no: Int; item_id: Int; quantity: Int;
}

/**
 * What one transfer line shipped of one lot (lot 0: not tracked), and what became of it: received,
 * or written off as a difference when the transfer was closed. In transit = shipped - received - difference.
 */
export interface TransferLineLotsTable {
  org_id: Int; id: Id; transfer_id: Int; line_id: Int; lot_id: Int; shipped: Int; received: Int;
  difference: Int;
}

export type ScrapReason = 'damaged' | 'expired' | 'quality' | 'lost' | 'other';

export interface ScrapsTable {
  org_id: Int; id: Id; warehouse_id: Int; location_id: Int; reason: ScrapReason; note: string | null;
  status: string; created_by: Int; created_at: string;
}

export interface ScrapLinesTable {
  org_id: Int; id: Id; scrap_id: Int; line_no: Int; item_id: Int; lot_id: Int; quantity: Int;
}

export interface TransfersTables {
  putaway_rules: PutawayRulesTable;
  internal_transfers: InternalTransfersTable;
  internal_transfer_lines: InternalTransferLinesTable;
  transfers: TransfersTable;
  transfer_lines: TransferLinesTable;
  transfer_line_lots: TransferLineLotsTable;
  scraps: ScrapsTable;
  scrap_lines: ScrapLinesTable;
}
