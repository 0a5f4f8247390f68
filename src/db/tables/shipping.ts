import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of the shipping module (see src/modules/shipping). */
type Id = ColumnType<Int, Int | undefined, never>;

/** `packed`: packed from picked stock, not shipped yet (0010_picking); nothing has moved. */
export type ShipmentStatus = 'packed' | 'shipped' | 'in_transit' | 'exception' | 'delivered';

/**
 * What left the warehouse for one sales order: carrier, tracking and the promise made to the
 * customer. Its moves are the order's ship posting (`sales-order:<id>:ship`).
 */
export interface ShipmentsTable {
  org_id: Int; id: Id; order_id: Int; carrier: string | null; service: string | null;
  tracking_number: string | null; promised_on: string | null; status: ShipmentStatus;
  /** When it left; while `packed` it holds the packing time (the column is NOT NULL since 0008). */
  shipped_at: string;
  /** When the delivery event happened (UTC), and its date as the carrier wrote it. */
  delivered_at: string | null; delivered_on: string | null;
  /** 1 delivered on or before promised_on, 0 late, null when nothing was promised (or not delivered). */
  on_time: Int | null;
  created_by: Int; updated_at: string;
  /** Added by 0010_picking: when it was packed (null: shipped without packing), its warehouse (null: the order's). */
  packed_at: string | null; warehouse_id: Int | null;
}

/** One parcel of a shipment; weight in kg and dimensions in cm as int64 millionths. */
export interface ShipmentPackagesTable {
  org_id: Int; id: Id; shipment_id: Int; package_no: Int; weight_kg: Int | null; length_cm: Int | null;
  width_cm: Int | null; height_cm: Int | null; reference: string | null;
}

/** Tracking history, append-only (the database refuses UPDATE and DELETE). */
export interface ShipmentEventsTable {
  org_id: Int; id: Id; shipment_id: Int; status: ShipmentStatus; at: string; location: string | null;
  note: string | null; source: 'pack' | 'ship' | 'api' | 'carrier'; recorded_by: Int; recorded_at: string;
}

export interface ShippingTables {
  shipments: ShipmentsTable;
  shipment_packages: ShipmentPackagesTable;
  shipment_events: ShipmentEventsTable;
}
