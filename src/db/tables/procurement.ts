import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of the procurement module (see src/modules/procurement). */
type Id = ColumnType<Int, Int | undefined, never>;

export type PartnerKind = 'supplier' | 'customer' | 'both';

export interface PartnersTable {
  org_id: Int; id: Id; code: string; name: string; kind: PartnerKind;
  /** JSON arrays of contacts and addresses. */
  contacts: string; addresses: string;
  payment_terms_days: Int; lead_time_days: Int; archived: Int; created_at: string; updated_at: string;
  /** Minimum remaining shelf life (days) this customer accepts; null: no minimum (0009_sales_orders). */
  min_shelf_life_days: Int | null;
}

export type PurchaseOrderStatus = 'draft' | 'submitted' | 'approved' | 'partially_received' | 'received' | 'closed' | 'cancelled';

export interface PurchaseOrdersTable {
  org_id: Int; id: Id; supplier_id: Int; warehouse_id: Int; status: PurchaseOrderStatus;
  expected_on: string | null; notes: string | null; auto_approved: Int;
  created_by: Int; created_at: string; updated_at: string;
  submitted_by: Int | null; submitted_at: string | null;
  approved_by: Int | null; approved_at: string | null;
  rejected_by: Int | null; rejected_at: string | null; rejection_reason: string | null;
  received_at: string | null; closed_at: string | null; cancelled_at: string | null;
}

export interface PurchaseOrderLinesTable {
  org_id: Int; id: Id; order_id: Int; line_no: Int; item_id: Int; quantity: Int; unit_price: Int;
  expected_on: string | null; received: Int;
}

export type ReceiptKind = 'purchase' | 'customer-return';
export type InspectionStatus = 'pending' | 'partially_inspected' | 'inspected';

export interface ReceiptsTable {
  org_id: Int; id: Id; kind: ReceiptKind; purchase_order_id: Int | null; partner_id: Int; warehouse_id: Int;
  reason: string | null; inspection_status: InspectionStatus; created_by: Int; created_at: string;
}

export interface ReceiptLinesTable {
  org_id: Int; id: Id; receipt_id: Int; line_no: Int; order_line_no: Int | null; item_id: Int; lot_id: Int;
  quantity: Int; unit_cost: Int | null; accepted: Int; rejected: Int;
}

export interface InspectionsTable {
  org_id: Int; id: Id; receipt_id: Int; created_by: Int; created_at: string;
}

export interface InspectionLinesTable {
  org_id: Int; id: Id; inspection_id: Int; receipt_line_no: Int; accepted: Int; rejected: Int; reason: string | null;
}

export interface SupplierReturnsTable {
  org_id: Int; id: Id; supplier_id: Int; warehouse_id: Int; purchase_order_id: Int | null; reason: string | null;
  created_by: Int; created_at: string;
}

export interface SupplierReturnLinesTable {
  org_id: Int; id: Id; return_id: Int; line_no: Int; item_id: Int; lot_id: Int; quantity: Int;
}

export interface ProcurementTables {
  partners: PartnersTable;
  purchase_orders: PurchaseOrdersTable;
  purchase_order_lines: PurchaseOrderLinesTable;
  receipts: ReceiptsTable;
  receipt_lines: ReceiptLinesTable;
  inspections: InspectionsTable;
  inspection_lines: InspectionLinesTable;
  supplier_returns: SupplierReturnsTable;
  supplier_return_lines: SupplierReturnLinesTable;
}
