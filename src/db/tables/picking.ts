import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of picking (src/modules/picking) and of split shipments (src/modules/shipping). */
type Id = ColumnType<Int, Int | undefined, never>;

/** cancelled: cut by mistake or its orders went another way; nothing was picked in it. */
export type PickWaveStatus = 'open' | 'done' | 'cancelled';
/** open: still to pick; done: picked and/or reported short in full; closed: its reservation ended outside picking (shipped unpicked, cancelled). */
export type PickTaskStatus = 'open' | 'done' | 'closed';
export type CountSuggestionStatus = 'open' | 'counting' | 'resolved';

export interface PickWavesTable {
  org_id: Int; id: Id; warehouse_id: Int; status: PickWaveStatus; note: string | null;
  created_by: Int; created_at: string; updated_at: string; completed_at: string | null;
}

/**
 * One reservation row to pick: its order line, bin and lot. `quantity` is the reservation's
 * quantity when the wave was made; picked + short never exceed it; packed never exceeds picked.
 */
export interface PickTasksTable {
  org_id: Int; id: Id; wave_id: Int; seq: Int; order_id: Int; line_id: Int; reservation_id: Int;
  item_id: Int; location_id: Int; lot_id: Int; quantity: Int; picked_quantity: Int;
  short_quantity: Int; packed_quantity: Int; status: PickTaskStatus; created_at: string; updated_at: string;
}

/** What a picker did, append-only: a scan (picked) or a short report (missing quantity). */
export interface PickScansTable {
  org_id: Int; id: Id; task_id: Int; wave_id: Int; kind: 'pick' | 'short'; quantity: Int;
  scanned_by: Int; scanned_at: string;
}

/**
 * A bin to count after a short pick. The missing quantity waits in the warehouse's Discrepancy
 * location (`hold_location_id`): on hand, never available, until resolved.
 */
export interface CountSuggestionsTable {
  org_id: Int; id: Id; warehouse_id: Int; location_id: Int; item_id: Int; lot_id: Int;
  hold_location_id: Int; quantity: Int; task_id: Int | null; status: CountSuggestionStatus;
  count_id: Int | null; found_quantity: Int | null; created_by: Int; created_at: string;
  resolved_by: Int | null; resolved_at: string | null;
}

/** What one shipment carries: a part of one reservation row (order line, bin, lot). */
export interface ShipmentLinesTable {
  org_id: Int; id: Id; shipment_id: Int; order_id: Int; line_id: Int; task_id: Int | null;
  reservation_id: Int; item_id: Int; location_id: Int; lot_id: Int; quantity: Int;
}

export interface PickingTables {
  pick_waves: PickWavesTable;
  pick_tasks: PickTasksTable;
  pick_scans: PickScansTable;
  count_suggestions: CountSuggestionsTable;
  shipment_lines: ShipmentLinesTable;
}
