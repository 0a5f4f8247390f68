/**
 * Stock expected to arrive in a warehouse: open purchase order lines and transfers on their way.
 * Each module that creates such supply exports a function returning these rows; the stock summary
 * (and later available-to-promise) adds them up.
 */
export interface IncomingSupply {
  itemId: number;
  warehouseId: number;
  /** Scaled, > 0: ordered or shipped but not yet received. */
  quantity: bigint;
  /** When it is expected (YYYY-MM-DD), if known. */
  expectedOn: string | null;
  documentType: string;
  documentId: number;
}

export interface SupplyFilter {
  itemId?: number;
  warehouseId?: number;
}
