/** Document types this module posts or refers to (their prefixes are in src/ledger/documents.ts). */
export const PURCHASE_ORDER = 'purchase-order';
export const RECEIPT = 'receipt';
export const INSPECTION = 'inspection';
export const SUPPLIER_RETURN = 'supplier-return';
