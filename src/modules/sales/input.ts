import { DecimalFormatError, MAX_SCALED_VALUE, parseScaled } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { isCalendarDate, todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { grossAmount } from './amounts.js';
import { prepared } from './prepared.js';
import type { CreateOrderInput } from './schemas.js';
import type { OrderPartner } from './view.js';

/** A line as stored, after every check. */
export interface ResolvedLine {
  itemId: number;
  /** The item's sku, unit and precision and the warehouse's code, as stored (for the order's view). */
  sku: string;
  unit: string;
  unitPrecision: number;
  warehouseId: number;
  warehouseCode: string;
  quantity: bigint;
  unitPrice: bigint | null;
  discountPercent: bigint;
  requestedOn: string | null;
}

/** Collects field errors so that one answer names every problem of a request. */
export class Problems {
  readonly errors: FieldError[] = [];
  add(field: string, message: string) {
    this.errors.push({ field, message });
  }
  throwIfAny() {
    if (this.errors.length > 0) throw validationError(this.errors.map((e) => `${e.field}: ${e.message}`).join('; '), this.errors);
  }
}

/** Requested dates must exist and not be in the past (UTC). */
export function checkRequestedOn(problems: Problems, field: string, value: string | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!isCalendarDate(value)) problems.add(field, 'is not a calendar date');
  else if (value < todayIso()) problems.add(field, 'must be today or later');
}

const warehousesByCode = prepared((db, p: { orgId: number; codes: string[] }) => db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', p.orgId).where('code', 'in', p.codes));
const itemsBySku = prepared((db, p: { orgId: number; skus: string[] }) =>
  db.selectFrom('items').select(['id', 'sku', 'unit', 'unit_precision', 'archived']).where('org_id', '=', p.orgId).where('sku', 'in', p.skus),
);
const partnerByCode = prepared((db, p: { orgId: number; code: string }) =>
  db.selectFrom('partners').select(['id', 'code', 'name', 'kind', 'archived', 'min_shelf_life_days']).where('org_id', '=', p.orgId).where('code', '=', p.code),
);

export async function warehouseIdsByCode(tx: Tx, orgId: number, codes: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await warehousesByCode(tx, { orgId, codes: unique });
  return new Map(rows.map((r) => [r.code, num(r.id)]));
}

/**
 * Check and resolve order lines: known, active items; known warehouses (default: the order's);
 * quantities exact to the unit and > 0; prices ≥ 0 with up to 6 decimals; discounts 0..100 with up
 * to 4 decimals; amounts within range; requested dates. Every problem is reported at once.
 */
export async function resolveLines(
  tx: Tx,
  orgId: number,
  lines: CreateOrderInput['lines'],
  defaultWarehouseId: number | null,
  problems: Problems,
  /** The code of `defaultWarehouseId`. */
  defaultWarehouseCode = '',
): Promise<ResolvedLine[]> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const itemRows = await itemsBySku(tx, { orgId, skus });
  const items = new Map(itemRows.map((r) => [r.sku, r]));
  const warehouses = await warehouseIdsByCode(tx, orgId, lines.flatMap((l) => (l.warehouse ? [l.warehouse] : [])));
  return lines.map((line, i) => {
    const at = (f: string) => `lines.${i}.${f}`;
    const item = items.get(line.sku);
    if (!item) problems.add(at('sku'), `unknown sku ${line.sku}`);
    else if (num(item.archived) === 1) problems.add(at('sku'), `item ${line.sku} is archived`);
    let warehouseId = defaultWarehouseId ?? 0;
    let warehouseCode = defaultWarehouseCode;
    if (line.warehouse !== undefined) {
      const found = warehouses.get(line.warehouse);
      if (found === undefined) problems.add(at('warehouse'), `unknown warehouse ${line.warehouse}`);
      else {
        warehouseId = found;
        warehouseCode = line.warehouse;
      }
    }
    let quantity = 0n;
    if (item) {
      try {
        quantity = parseScaled(line.quantity, num(item.unit_precision));
        if (quantity <= 0n) problems.add(at('quantity'), 'must be greater than zero');
      } catch (e) {
        problems.add(at('quantity'), `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${num(item.unit_precision)})`);
      }
    }
    let unitPrice: bigint | null = null;
    if (line.unitPrice !== undefined) {
      try {
        unitPrice = parseScaled(line.unitPrice, 6);
        if (unitPrice < 0n) problems.add(at('unitPrice'), 'must not be negative');
        else if ((grossAmount(quantity, unitPrice) ?? 0n) > MAX_SCALED_VALUE) problems.add(at('unitPrice'), 'makes an amount out of range (above 10^12)');
      } catch (e) {
        problems.add(at('unitPrice'), e instanceof DecimalFormatError ? e.message : 'is invalid');
      }
    }
    let discountPercent = 0n;
    if (line.discountPercent !== undefined) {
      try {
        discountPercent = parseScaled(line.discountPercent, 4);
        if (discountPercent < 0n || discountPercent > 100_000_000n) problems.add(at('discountPercent'), 'must be between 0 and 100');
      } catch (e) {
        problems.add(at('discountPercent'), e instanceof DecimalFormatError ? e.message : 'is invalid');
      }
    }
    checkRequestedOn(problems, at('requestedOn'), line.requestedOn);
    return {
      itemId: item ? num(item.id) : 0, sku: item?.sku ?? line.sku, unit: item?.unit ?? '', unitPrecision: item ? num(item.unit_precision) : 0,
      warehouseId, warehouseCode, quantity, unitPrice, discountPercent, requestedOn: line.requestedOn ?? null,
    };
  });
}

/**
 * Who the order is for. `partner` (a code) must name an active partner of kind customer or both;
 * otherwise a `customer` text equal to such a partner's code links that partner; any other text
 * stays free text without a partner.
 */
export async function resolveCustomer(
  tx: Tx,
  orgId: number,
  input: { customer?: string; partner?: string | null },
  problems: Problems,
): Promise<{ customer: string | undefined; partnerId: number | null | undefined; partner?: OrderPartner | undefined }> {
  if (input.partner === null) return { customer: input.customer, partnerId: null };
  const code = input.partner ?? input.customer;
  if (code === undefined) return { customer: undefined, partnerId: undefined };
  const [row] = await partnerByCode(tx, { orgId, code });
  const usable = row && num(row.archived) === 0 && (row.kind === 'customer' || row.kind === 'both');
  // The linked partner as the order's view shows it.
  const partner = usable
    ? { id: num(row.id), code: row.code, name: row.name, minShelfLifeDays: row.min_shelf_life_days === null ? null : num(row.min_shelf_life_days) }
    : undefined;
  if (input.partner !== undefined) {
    if (!row) problems.add('partner', `unknown partner ${code}`);
    else if (num(row.archived) === 1) problems.add('partner', `partner ${code} is archived`);
    else if (!usable) problems.add('partner', `partner ${code} is a ${row.kind}, not a customer`);
    return { customer: input.customer ?? row?.name, partnerId: usable ? num(row.id) : null, partner };
  }
  return { customer: input.customer, partnerId: usable ? num(row.id) : null, partner };
}
