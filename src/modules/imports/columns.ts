import { headerKey } from './clean.js';

export const IMPORT_KINDS = ['items', 'partners', 'locations', 'opening-stock'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One column of an import file: its field, its header in English and Chinese, what it holds. */
export interface ColumnSpec {
  key: string;
  en: string;
  zh: string;
  /** More header spellings accepted (besides key, en and zh). */
  aliases?: string[];
  required?: boolean;
  description: string;
  example: string;
}

const ITEM_COLUMNS: ColumnSpec[] = [
  { key: 'sku', en: 'SKU', zh: '物料编码', aliases: ['编码', '货号', '商品编码', 'code', 'item code'], required: true, description: 'Stock keeping unit, unique per company (up to 64 characters)', example: 'BOLT-M3' },
  { key: 'name', en: 'Name', zh: '名称', aliases: ['品名', '物料名称', '商品名称', 'item name'], required: true, description: 'Item name (up to 200 characters)', example: '螺栓 M3 Bolt' },
  { key: 'unit', en: 'Unit', zh: '单位', aliases: ['uom', '计量单位'], required: true, description: 'Unit of measure; known units or units already in use', example: 'pcs' },
  { key: 'unitPrecision', en: 'Unit precision', zh: '小数位数', aliases: ['precision', '精度', 'decimals'], description: 'Decimals a quantity may have, 0-6 (default 0)', example: '0' },
  { key: 'tracking', en: 'Tracking', zh: '追踪方式', aliases: ['跟踪方式', '批次管理'], description: 'none, lot or serial (无, 批次, 序列号); default none', example: 'none' },
  { key: 'category', en: 'Category', zh: '类别', aliases: ['分类', '物料类别'], description: 'Free-text category (up to 64 characters)', example: 'fasteners' },
  { key: 'barcode', en: 'Barcode', zh: '条码', aliases: ['条形码', 'ean', 'upc'], description: 'Barcode (up to 64 characters)', example: '6901234567892' },
  // Reorder settings (migration 0015): the same names as the item API and the items export, so an export imports back.
  { key: 'reorderPoint', en: 'Reorder point', zh: '再订货点', aliases: ['订货点', '补货点', 'reorder level'], description: 'Reorder when available stock is at or below this; >= 0, exact to the unit precision; empty: not set', example: '50' },
  { key: 'safetyStock', en: 'Safety stock', zh: '安全库存', aliases: ['安全库存量', '最低库存'], description: 'Available stock below this is critical; >= 0, exact to the unit precision; empty: not set', example: '20' },
  { key: 'reorderQuantity', en: 'Reorder quantity', zh: '再订货量', aliases: ['订货量', '补货量', '订货批量', 'reorder qty'], description: 'Quantity to order at the reorder point; >= 0, exact to the unit precision; empty: not set', example: '200' },
];

const PARTNER_COLUMNS: ColumnSpec[] = [
  { key: 'code', en: 'Code', zh: '编码', aliases: ['partner code', '往来单位编码', '客户编码', '供应商编码'], required: true, description: 'Unique per company: letters, digits, _ . - (up to 32)', example: 'SUP-001' },
  { key: 'name', en: 'Name', zh: '名称', aliases: ['往来单位名称', '客户名称', '供应商名称'], required: true, description: 'Partner name (up to 200 characters)', example: '上海螺丝厂 Shanghai Screws' },
  { key: 'kind', en: 'Kind', zh: '类型', aliases: ['partner kind', '往来类型'], required: true, description: 'supplier, customer or both (供应商, 客户, 两者)', example: 'supplier' },
  { key: 'paymentTermsDays', en: 'Payment terms days', zh: '账期天数', aliases: ['payment terms', '账期'], description: 'Days to pay invoices (default 0)', example: '30' },
  { key: 'leadTimeDays', en: 'Lead time days', zh: '交货周期天数', aliases: ['lead time', '交期'], description: 'Usual days from order to delivery (default 0)', example: '7' },
  { key: 'contactName', en: 'Contact name', zh: '联系人', aliases: ['contact'], description: 'Main contact', example: '王芳' },
  { key: 'contactPhone', en: 'Contact phone', zh: '联系电话', aliases: ['phone', '电话', '手机'], description: 'Digits, spaces and + ( ) . / -', example: '+86 21 5555 0101' },
  { key: 'contactEmail', en: 'Contact email', zh: '邮箱', aliases: ['email', '电子邮箱'], description: 'E-mail address', example: 'sales@example.com' },
  { key: 'addressLine1', en: 'Address', zh: '地址', aliases: ['address line 1', '详细地址'], description: 'Street address', example: '浦东新区张江路 1 号' },
  { key: 'city', en: 'City', zh: '城市', description: 'City', example: '上海' },
  { key: 'region', en: 'Region', zh: '省份', aliases: ['province', '省'], description: 'Province or region', example: '上海市' },
  { key: 'postalCode', en: 'Postal code', zh: '邮编', aliases: ['zip', 'postcode'], description: 'Postal code', example: '201203' },
  { key: 'country', en: 'Country', zh: '国家', description: 'Country', example: 'CN' },
];

const LOCATION_COLUMNS: ColumnSpec[] = [
  { key: 'kind', en: 'Kind', zh: '类型', aliases: ['location kind', '位置类型'], required: true, description: 'warehouse, zone or bin (仓库, 库区, 库位)', example: 'bin' },
  { key: 'code', en: 'Code', zh: '编码', aliases: ['location code', '位置编码'], required: true, description: 'Short code: letters, digits, _ . - (up to 32); a zone or bin gets PARENT/CODE', example: 'A-01' },
  { key: 'name', en: 'Name', zh: '名称', aliases: ['location name', '位置名称'], description: 'Name (required for a warehouse; the code by default for zones and bins)', example: 'A 区 01 号位' },
  { key: 'warehouse', en: 'Warehouse', zh: '仓库', aliases: ['warehouse code', '仓库编码'], description: 'Warehouse code (for zones and bins)', example: 'WH1' },
  { key: 'parent', en: 'Parent', zh: '上级位置', aliases: ['parent location', '上级'], description: 'Full code of the parent zone; the warehouse stock location by default', example: 'WH1/Stock/A' },
];

const OPENING_STOCK_COLUMNS: ColumnSpec[] = [
  { key: 'warehouse', en: 'Warehouse', zh: '仓库', aliases: ['warehouse code', '仓库编码'], required: true, description: 'Warehouse code', example: 'WH1' },
  { key: 'location', en: 'Location', zh: '库位', aliases: ['bin', 'location code', '位置'], description: 'Full code of a zone or bin; the stock location by default', example: 'WH1/Stock/A-01' },
  { key: 'sku', en: 'SKU', zh: '物料编码', aliases: ['编码', '货号', '商品编码', 'item code'], required: true, description: 'SKU of an existing item', example: 'BOLT-M3' },
  { key: 'quantity', en: 'Quantity', zh: '数量', aliases: ['qty', '期初数量', '库存数量'], required: true, description: 'Quantity on hand, exact to the unit precision, > 0', example: '100' },
  { key: 'unitCost', en: 'Unit cost', zh: '单位成本', aliases: ['cost', '成本', '单价'], description: 'Cost per unit (up to 6 decimals); the last known cost by default', example: '0.35' },
  { key: 'lot', en: 'Lot', zh: '批次', aliases: ['lot number', '批号'], description: 'Lot number (lot-tracked items)', example: 'L2026-11' },
  { key: 'expiresOn', en: 'Expires on', zh: '有效期至', aliases: ['expiry', 'expiry date', '到期日', '失效日期'], description: 'YYYY-MM-DD, for a lot', example: '2027-12-31' },
  { key: 'serial', en: 'Serial', zh: '序列号', aliases: ['serial number', 'sn'], description: 'Serial number (serial-tracked items, quantity 1)', example: '' },
];

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  items: ITEM_COLUMNS,
  partners: PARTNER_COLUMNS,
  locations: LOCATION_COLUMNS,
  'opening-stock': OPENING_STOCK_COLUMNS,
};

/** Columns of the bad-rows report that an import ignores, so a fixed report can be uploaded again. */
export const REPORT_COLUMNS = ['row', 'errors', 'warnings', '行号', '错误', '警告'];

export interface HeaderMatch {
  /** For each file column: the field it holds, or null (ignored). */
  fields: Array<string | null>;
  ignored: string[];
  missing: ColumnSpec[];
  duplicated: string[];
}

/** Match a file's header row to the columns of a kind, accepting English and Chinese names. */
export function matchHeader(kind: ImportKind, header: string[]): HeaderMatch {
  const names = new Map<string, string>();
  for (const column of COLUMNS[kind]) {
    for (const name of [column.key, column.en, column.zh, ...(column.aliases ?? [])]) names.set(headerKey(name), column.key);
  }
  const reportColumns = new Set(REPORT_COLUMNS.map(headerKey));
  const seen = new Set<string>();
  const ignored: string[] = [];
  const duplicated: string[] = [];
  const fields = header.map((cell) => {
    const key = headerKey(cell);
    const field = names.get(key);
    if (!field) {
      if (key !== '' && !reportColumns.has(key)) ignored.push(cell);
      return null;
    }
    if (seen.has(field)) {
      duplicated.push(cell);
      return null;
    }
    seen.add(field);
    return field;
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !seen.has(c.key));
  return { fields, ignored, missing, duplicated };
}
