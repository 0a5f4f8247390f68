/**
 * Every document type as configuration: where its API lives, which columns its list shows, which
 * statuses it filters by, which actions its detail screen offers, and what its create form asks.
 * DocumentListPage / DocumentDetailPage / DocumentCreatePage render any of them.
 */
import { returnableLines } from './returnLines';

export type FieldType =
  | 'text' | 'number' | 'date' | 'warehouse' | 'customer' | 'supplier' | 'item' | 'textarea'
  /** A location of the warehouse chosen in the form's `warehouse` field (`locationKinds`). */
  | 'location'
  /** One of the codes a list endpoint allows (`options`), e.g. GET /scrap-reasons. */
  | 'reason'
  /** A shipped or partially shipped sales order (its id). */
  | 'salesOrder'
  /** A purchase order (its id), of the supplier chosen in the form's `supplier` field. */
  | 'purchaseOrder'
  /** A lot or serial, with the lots on hand of the line's item as suggestions (`lotAt`). */
  | 'lot';

export interface FieldSpec {
  name: string;
  /** i18n key of the label (field.<name> by default). */
  label?: string;
  type: FieldType;
  required?: boolean;
  /** Filled from the warehouse chosen in the header. */
  defaultsToWarehouse?: boolean;
  width?: number;
  /** 'location': the kinds offered (stock, zone, bin, rejected...). */
  locationKinds?: string[];
  /** 'location': left empty, the API takes the warehouse's stock location (the placeholder says so). */
  defaultsToStockLocation?: boolean;
  /** 'location' on a line: a button asks GET /putaway-suggestions where the line's item goes. */
  putaway?: { item: string; quantity: string };
  /** 'reason': where the allowed codes come from (`{ items: [{ code, name }] }`) and the i18n prefix of their names. */
  options?: { path: string; labelPrefix: string };
  /**
   * 'lot': suggest the lots on hand of the line's `item` field at a location: the line's
   * `lineLocation` field, else the header's `location` field, else the warehouse's stock location;
   * or at every location of the `kinds` given.
   */
  lotAt?: { item: string; lineLocation?: string; location?: string; kinds?: string[] };
  /** Choosing a value replaces the lines with these (the RMA: what the order shipped and may come back). */
  fillsLines?: (value: number) => Promise<Array<Record<string, unknown>>>;
  /** Shown, not editable (filled by `fillsLines`). */
  readOnly?: boolean;
  /** Shown for context only, never sent (the SKU of a prefilled order line). */
  displayOnly?: boolean;
}

/** On-hand stock listed under a create form; a click makes a line of it (what is in Rejected for a supplier return). */
export interface StockSource {
  /** Location kinds whose stock is listed... */
  kinds: string[];
  /** ...or only the location in this header field (empty: the warehouse's stock location). */
  locationField?: string;
  /** The line field that takes the row's location (an internal transfer's `from`). */
  lineLocationField?: string;
  /** The line field of the item. */
  itemField: string;
}

export interface CreateSpec {
  fields: FieldSpec[];
  lines: FieldSpec[];
  /** POST here instead of the type's path... */
  path?: string;
  /** ...and the answer is a document of this type (its key). */
  resultType?: string;
  /** The lines come only from this field's `fillsLines` (no "add line"). */
  linesFromField?: string;
  stock?: StockSource;
  /** i18n key of a sentence above the form. */
  hint?: string;
}

/** Another way to create the document, offered as a switch above the form. */
export interface CreateVariant extends CreateSpec {
  key: string;
  /** i18n key. */
  label: string;
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
  create?: CreateSpec & { label?: string; variants?: CreateVariant[] };
  pdf?: boolean;
}

export type Doc = Record<string, unknown> & { id: number; number?: string; status?: string };

/** Where stock is available (an internal transfer moves between these), and where a scrap may take it from. */
const AVAILABLE_KINDS = ['stock', 'zone', 'bin'];
const SCRAP_FROM_KINDS = ['stock', 'zone', 'bin', 'rejected'];

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
    columns: ['number', 'warehouse', 'note', 'createdAt'],
    search: true,
    warehouseParam: 'warehouse',
    pdf: true,
    create: {
      fields: [
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'note', type: 'textarea' },
      ],
      lines: [
        { name: 'item', label: 'field.sku', type: 'item', required: true, width: 220 },
        { name: 'from', label: 'field.fromLocation', type: 'location', locationKinds: AVAILABLE_KINDS, defaultsToStockLocation: true, width: 200 },
        { name: 'to', label: 'field.toLocation', type: 'location', locationKinds: AVAILABLE_KINDS, required: true, putaway: { item: 'item', quantity: 'quantity' }, width: 200 },
        { name: 'quantity', type: 'number', required: true },
        { name: 'lot', type: 'lot', lotAt: { item: 'item', lineLocation: 'from' } },
      ],
      stock: { kinds: AVAILABLE_KINDS, lineLocationField: 'from', itemField: 'item' },
      hint: 'create.internalTransferHint',
    },
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
    columns: ['number', 'salesOrderNumber', 'customer', 'warehouse', 'status', 'createdAt'],
    statuses: ['received', 'partially_inspected', 'closed'],
    create: {
      label: 'create.againstOrder',
      fields: [
        { name: 'salesOrder', type: 'salesOrder', required: true, width: 360, fillsLines: returnableLines },
        { name: 'reason', type: 'text', width: 260 },
        { name: 'creditReference', type: 'text' },
      ],
      lines: [
        { name: 'line', label: 'field.orderLine', type: 'number', readOnly: true, width: 80 },
        { name: 'sku', type: 'text', readOnly: true, displayOnly: true },
        { name: 'lot', type: 'text' },
        { name: 'returnable', type: 'number', readOnly: true, displayOnly: true },
        { name: 'quantity', label: 'field.returnQuantity', type: 'number', required: true },
      ],
      linesFromField: 'salesOrder',
      hint: 'create.salesReturnHint',
      variants: [
        {
          // The API's return without an order is a receipt of kind customer-return (docs/procurement.md).
          key: 'withoutOrder',
          label: 'create.withoutOrder',
          path: '/receipts',
          resultType: 'receipts',
          hint: 'create.withoutOrderHint',
          fields: [
            { name: 'customer', type: 'customer', required: true },
            { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
            { name: 'reason', type: 'text', width: 260 },
          ],
          lines: [
            { name: 'sku', type: 'item', required: true, width: 220 },
            { name: 'quantity', type: 'number', required: true },
            { name: 'lot', type: 'text' },
            { name: 'expiresOn', type: 'date' },
          ],
        },
      ],
    },
  },
  {
    key: 'supplier-returns',
    path: '/supplier-returns',
    ledgerTypes: ['supplier-return'],
    columns: ['number', 'supplier', 'warehouse', 'purchaseOrderNumber', 'reason', 'createdAt'],
    search: true,
    warehouseParam: 'warehouse',
    create: {
      fields: [
        { name: 'supplier', type: 'supplier', required: true },
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'purchaseOrder', type: 'purchaseOrder', width: 260 },
        { name: 'reason', type: 'text', width: 260 },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 220 },
        { name: 'quantity', type: 'number', required: true },
        { name: 'lot', type: 'lot', lotAt: { item: 'sku', kinds: ['rejected'] } },
      ],
      stock: { kinds: ['rejected'], itemField: 'sku' },
      hint: 'create.supplierReturnHint',
    },
  },
  {
    key: 'scraps',
    path: '/scraps',
    ledgerTypes: ['scrap'],
    columns: ['number', 'warehouse', 'location', 'reason', 'status', 'createdAt'],
    search: true,
    warehouseParam: 'warehouse',
    create: {
      fields: [
        { name: 'warehouse', type: 'warehouse', required: true, defaultsToWarehouse: true },
        { name: 'location', type: 'location', locationKinds: SCRAP_FROM_KINDS, defaultsToStockLocation: true, width: 220 },
        { name: 'reason', type: 'reason', required: true, options: { path: '/scrap-reasons', labelPrefix: 'scrapReason' }, width: 180 },
        { name: 'note', type: 'textarea' },
      ],
      lines: [
        { name: 'sku', type: 'item', required: true, width: 220 },
        { name: 'quantity', type: 'number', required: true },
        { name: 'lot', type: 'lot', lotAt: { item: 'sku', location: 'location' } },
      ],
      stock: { kinds: SCRAP_FROM_KINDS, locationField: 'location', itemField: 'sku' },
      hint: 'create.scrapHint',
    },
  },
];

/** A coded value (a scrap's reason) in words, where the create form's options name an i18n prefix for it. */
export function codeLabelKey(type: DocumentType, field: string, value: unknown): string | undefined {
  const prefix = type.create?.fields.find((f) => f.name === field && f.options)?.options?.labelPrefix;
  return prefix && typeof value === 'string' ? `${prefix}.${value}` : undefined;
}

export function documentType(key: string | undefined): DocumentType | undefined {
  return DOCUMENT_TYPES.find((d) => d.key === key);
}

/** The screen of the document behind a move (`documentType` + `documentId` of the ledger). */
export function documentLink(ledgerType: string, id: number): string | undefined {
  const type = DOCUMENT_TYPES.find((d) => d.ledgerTypes.includes(ledgerType));
  return type ? `/documents/${type.key}/${id}` : undefined;
}
