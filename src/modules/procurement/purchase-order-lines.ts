import { MAX_SCALED_VALUE, DecimalFormatError, toBigInt, valueOf } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { itemsBySku } from '../items/service.js';
import { checkDate, FieldErrors, parseMoney, parseQuantity } from './common.js';

export interface OrderLineInput {
  sku: string;
  quantity: number;
  unitPrice: number;
  expectedOn?: string;
}

export interface PreparedOrderLine {
  itemId: number;
  quantity: bigint;
  unitPrice: bigint;
  expectedOn: string | null;
}

/** Validate order lines against their items (unit precision, value range); every problem at once. */
export async function prepareOrderLines(tx: Tx, orgId: number, lines: OrderLineInput[], errors: FieldErrors): Promise<PreparedOrderLine[]> {
  const items = await itemsBySku(tx, orgId, lines);
  let total = 0n;
  const prepared = lines.map((line, i) => {
    const item = items[i]!;
    const quantity = parseQuantity(errors, `lines.${i}.quantity`, line.quantity, item);
    const unitPrice = parseMoney(errors, `lines.${i}.unitPrice`, line.unitPrice);
    checkDate(errors, `lines.${i}.expectedOn`, line.expectedOn);
    try {
      total += valueOf(quantity, unitPrice);
    } catch (e) {
      errors.add(`lines.${i}.unitPrice`, e instanceof DecimalFormatError ? e.message : 'is invalid');
    }
    return { itemId: item.id, quantity, unitPrice, expectedOn: line.expectedOn ?? null };
  });
  if (total > MAX_SCALED_VALUE) errors.add('lines', 'the order total is out of range (above 10^12)');
  return prepared;
}

export async function insertOrderLines(tx: Tx, orgId: number, orderId: number, lines: PreparedOrderLine[]): Promise<void> {
  await tx
    .insertInto('purchase_order_lines')
    .values(lines.map((l, i) => ({ org_id: orgId, order_id: orderId, line_no: i + 1, item_id: l.itemId, quantity: l.quantity, unit_price: l.unitPrice, expected_on: l.expectedOn, received: 0n })))
    .execute();
}

export interface OrderLine {
  id: number;
  lineNo: number;
  itemId: number;
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'lot' | 'serial';
  quantity: bigint;
  unitPrice: bigint;
  expectedOn: string | null;
  received: bigint;
}

export async function orderLines(tx: Tx, orgId: number, orderId: number): Promise<OrderLine[]> {
  const rows = await tx
    .selectFrom('purchase_order_lines as p')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'p.org_id').onRef('i.id', '=', 'p.item_id'))
    .select(['p.id', 'p.line_no', 'p.item_id', 'i.sku', 'i.name', 'i.unit', 'i.unit_precision', 'i.tracking', 'p.quantity', 'p.unit_price', 'p.expected_on', 'p.received'])
    .where('p.org_id', '=', orgId)
    .where('p.order_id', '=', orderId)
    .orderBy('p.line_no')
    .execute();
  return rows.map((r) => ({
    id: num(r.id),
    lineNo: num(r.line_no),
    itemId: num(r.item_id),
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    unitPrecision: num(r.unit_precision),
    tracking: r.tracking,
    quantity: toBigInt(r.quantity),
    unitPrice: toBigInt(r.unit_price),
    expectedOn: r.expected_on,
    received: toBigInt(r.received),
  }));
}

/** Sum of quantity x unit price: what the approval threshold is compared with. */
export const orderTotal = (lines: Array<{ quantity: bigint; unitPrice: bigint }>) => lines.reduce((sum, l) => sum + valueOf(l.quantity, l.unitPrice), 0n);
