/**
 * Every document type as configuration: where its API lives, which columns its list shows, which
 * statuses it filters by, which actions its detail screen offers, and what its create form asks.
 * DocumentListPage / DocumentDetailPage / DocumentCreatePage render any of them.
 */
export type FieldType = 'text' | 'number' | 'date' | 'warehouse' | 'customer' | 'supplier' | 'item' | 'textarea';

export interface FieldSpec {
  name: string;
  /** i18n key of the label (field.<name> by default). */
  label?: string;
  type: FieldType;
  required?: boolean;
  /** Filled from the warehouse chosen in the header. */
  defaultsToWarehouse?: boolean;
  width?: number;
}

export interface ActionSpec {
  key: string;
  /** i18n key (action.<key> by default). */
  label?: string;
  /** API path relative to the document, e.g. `confirm` -> POST /sales-orders/{id}/confirm; or a full path. */
  path: string | ((doc: Doc) => string);
  when(doc: Doc): boolean;
  danger?: boolean;
  /** Ask before doing it. */
  confirm?: boolean;
  /** Ask for a reason (sent as `{ reason }`). */
  reason?: 'required' | 'optional';
  body?(doc: Doc): unknown;
  primary?: boolean;
}

export interface DocumentType {
  key: string;
  /** API collection path. */
  path: string;
  /** Ledger documentType names whose moves link here. */
  ledgerTypes: string[];
  columns: string[];
  statuses?: string[];
  statusField?: string;
  /** The list API searches with `q` (document number, partner, SKU...). */
  search?: boolean;
  /** Query parameter for the selected warehouse, if the list can filter by it. */
  warehouseParam?: string;
  actions?: ActionSpec[];
  create?: { fields: FieldSpec[]; lines: FieldSpec[] };
  pdf?: boolean;
}

export type Doc = Record<string, unknown> & { id: number; number?: string; status?: string };

const is = (...statuses: string[]) => (doc: Doc) => statuses.includes(String(doc.status));

export const DOCUMENT_TYPES: DocumentType[] = [
  {
    key: 'adjustments',
    path: '/inventory-adjustments',
    ledgerTypes: ['inventory-adjustment'],
    columns: ['number', 'warehouse', 'reason', 'status', 'createdAt'],
    create: {
      fields: [
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'location', type: 'text' },
        { name: 'reason', type: 'text' },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 220 },
        { name: 'quantity', type: 'number', required: true },
        { name: 'lot', type: 'text' },
        { name: 'expiresOn', type: 'date' },
        { name: 'unitCost', type: 'number' },
      ],
    },
  },
  {
    key: 'sales-orders',
    path: '/sales-orders',
    ledgerTypes: ['sales-order'],
    columns: ['number', 'customer', 'warehouse', 'status', 'createdAt'],
    statuses: ['draft', 'confirmed', 'partially_shipped', 'shipped', 'cancelled'],
    actions: [
      { key: 'confirm', path: 'confirm', when: is('draft'), primary: true },
      { key: 'ship', path: 'ship', when: is('confirmed', 'partially_shipped'), primary: true },
      { key: 'cancel', path: 'cancel', when: is('draft', 'confirmed'), danger: true, confirm: true },
    ],
    create: {
      fields: [
        { name: 'customer', type: 'customer', required: true },
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 260 },
        { name: 'quantity', type: 'number', required: true },
      ],
    },
  },
  {
    key: 'purchase-orders',
    path: '/purchase-orders',
    ledgerTypes: ['purchase-order'],
    columns: ['number', 'supplier', 'warehouse', 'status', 'expectedOn', 'total', 'createdAt'],
    statuses: ['draft', 'submitted', 'approved', 'partially_received', 'received', 'closed', 'cancelled'],
    warehouseParam: 'warehouse',
    search: true,
    pdf: true,
    actions: [
      { key: 'submit', path: 'submit', when: is('draft'), primary: true },
      { key: 'approve', path: 'approve', when: is('submitted'), primary: true },
      { key: 'reject', path: 'reject', when: is('submitted'), reason: 'required', danger: true },
      {
        key: 'receiveAll',
        path: '/receipts',
        when: is('approved', 'partially_received'),
        primary: true,
        body: (doc) => ({
          purchaseOrder: doc.id,
          lines: ((doc.lines as Array<{ line: number; remaining: number }>) ?? []).filter((l) => l.remaining > 0).map((l) => ({ line: l.line, quantity: l.remaining })),
        }),
      },
      { key: 'close', path: 'close', when: is('approved', 'partially_received'), reason: 'optional', confirm: true },
      { key: 'cancel', path: 'cancel', when: is('draft', 'submitted', 'approved'), reason: 'optional', danger: true },
    ],
    create: {
      fields: [
        { name: 'supplier', type: 'supplier', required: true },
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'expectedOn', type: 'date' },
        { name: 'notes', type: 'textarea' },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 260 },
        { name: 'quantity', type: 'number', required: true },
        { name: 'unitPrice', type: 'number', required: true },
      ],
    },
  },
  {
    key: 'receipts',
    path: '/receipts',
    ledgerTypes: ['receipt'],
    columns: ['number', 'kind', 'purchaseOrderNumber', 'partner', 'warehouse', 'inspectionStatus', 'createdAt'],
    pdf: true,
    actions: [
      {
        key: 'inspectAll',
        path: 'inspect',
        primary: true,
        when: (doc) => ((doc.lines as Array<{ uninspected?: number }>) ?? []).some((l) => (l.uninspected ?? 0) > 0),
        body: (doc) => ({
          lines: ((doc.lines as Array<{ line: number; uninspected?: number }>) ?? []).filter((l) => (l.uninspected ?? 0) > 0).map((l) => ({ line: l.line, accept: l.uninspected })),
        }),
      },
    ],
  },
  {
    key: 'transfers',
    path: '/transfers',
    ledgerTypes: ['transfer'],
    columns: ['number', 'from', 'to', 'status', 'expectedOn', 'createdAt'],
    statuses: ['draft', 'shipped', 'partially_received', 'received', 'closed', 'cancelled'],
    search: true,
    pdf: true,
    actions: [
      { key: 'ship', path: 'ship', when: is('draft'), primary: true },
      {
        key: 'receiveAll',
        path: 'receive',
        primary: true,
        when: is('shipped', 'partially_received'),
        body: (doc) => ({
          lines: ((doc.lines as Array<{ line: number; inTransit?: number; shipped?: number; received?: number }>) ?? [])
            .map((l) => ({ line: l.line, quantity: l.inTransit ?? (l.shipped ?? 0) - (l.received ?? 0) }))
            .filter((l) => l.quantity > 0),
        }),
      },
      { key: 'close', path: 'close', when: is('shipped', 'partially_received'), confirm: true },
      { key: 'cancel', path: 'cancel', when: is('draft'), danger: true, confirm: true },
    ],
    create: {
      fields: [
        { name: 'from', label: 'field.fromWarehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'to', label: 'field.toWarehouse', type: 'warehouse', required: true },
        { name: 'expectedOn', type: 'date' },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 260 },
        { name: 'quantity', type: 'number', required: true },
      ],
    },
  },
  {
    key: 'internal-transfers',
    path: '/internal-transfers',
    ledgerTypes: ['internal-transfer'],
    columns: ['number', 'warehouse', 'kind', 'createdAt'],
    pdf: true,
  },
  {
    key: 'stock-counts',
    path: '/stock-counts',
    ledgerTypes: ['stock-count'],
    columns: ['number', 'warehouse', 'status', 'createdAt'],
    statuses: ['draft', 'in_progress', 'counted', 'approved', 'posted', 'cancelled'],
    pdf: true,
    actions: [
      { key: 'start', path: 'start', when: is('draft'), primary: true },
      { key: 'submit', path: 'submit', when: is('in_progress'), primary: true },
      { key: 'approve', path: 'approve', when: is('counted'), primary: true },
      { key: 'reject', path: 'reject', when: is('counted'), reason: 'required', danger: true },
      { key: 'post', path: 'post', when: is('approved', 'counted'), confirm: true },
      { key: 'cancel', path: 'cancel', when: is('draft', 'in_progress', 'counted'), danger: true, confirm: true },
    ],
  },
  {
    key: 'shipments',
    path: '/shipments',
    ledgerTypes: ['shipment'],
    columns: ['number', 'order', 'customer', 'carrier', 'trackingNumber', 'status', 'createdAt'],
    statuses: ['packed', 'shipped', 'in_transit', 'exception', 'delivered'],
    pdf: true,
  },
  {
    key: 'sales-returns',
    path: '/sales-returns',
    ledgerTypes: ['sales-return'],
    columns: ['number', 'order', 'customer', 'warehouse', 'status', 'createdAt'],
    statuses: ['received', 'partially_inspected', 'closed'],
  },
  {
    key: 'supplier-returns',
    path: '/supplier-returns',
    ledgerTypes: ['supplier-return'],
    columns: ['number', 'supplier', 'warehouse', 'createdAt'],
  },
  {
    key: 'scraps',
    path: '/scraps',
    ledgerTypes: ['scrap'],
    columns: ['number', 'warehouse', 'reason', 'createdAt'],
  },
];

export function documentType(key: string | undefined): DocumentType | undefined {
  return DOCUMENT_TYPES.find((d) => d.key === key);
}

/** The screen of the document behind a move (`documentType` + `documentId` of the ledger). */
export function documentLink(ledgerType: string, id: number): string | undefined {
  const type = DOCUMENT_TYPES.find((d) => d.ledgerTypes.includes(ledgerType));
  return type ? `/documents/${type.key}/${id}` : undefined;
}
