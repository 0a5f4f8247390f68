/** Document types that post to the ledger, and the references people read on paper and screens. */
export const DOCUMENT_PREFIX: Record<string, string> = {
  'inventory-adjustment': 'ADJ',
  'sales-order': 'SO',
  'purchase-order': 'PO',
  receipt: 'GR',
  inspection: 'QC',
  'supplier-return': 'RTV',
  putaway: 'PA',
  transfer: 'TR',
  'internal-transfer': 'IT',
  'stock-count': 'CNT',
  scrap: 'SCR',
  'sales-return': 'RMA',
  shipment: 'SH',
  'pick-wave': 'WV',
  'pick-task': 'PK',
  'count-suggestion': 'CS',
};

export function documentReference(documentType: string, documentId: number): string {
  const prefix = DOCUMENT_PREFIX[documentType] ?? documentType.toUpperCase();
  return `${prefix}-${String(documentId).padStart(6, '0')}`;
}
