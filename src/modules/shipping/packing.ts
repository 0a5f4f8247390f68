import { sql } from 'kysely';
import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { DomainError, validationError, type FieldError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { lockOrderForShipping } from '../sales/fulfilment.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { insertShipment, type NewShipmentLine } from './create.js';
import { SHIPMENT, prepareShipment } from './model.js';
import type { PackInput } from './schemas.js';
import { shippableReservations } from './shippable.js';
import { shipmentView } from './view.js';

interface Packable {
  taskId: number;
  reservationId: number;
  lineId: number;
  lineNo: number;
  itemId: number;
  locationId: number;
  lotId: number;
  lot: string | null;
  warehouseId: number;
  warehouse: string;
  unit: string;
  precision: number;
  /** Picked, not packed yet, and still reserved. */
  available: bigint;
}

/**
 * Pack picked stock of one order into a shipment (status `packed`) with its packages. Nothing
 * moves yet: the shipment's lines claim picked quantities of pick tasks (never more than picked
 * and not packed: 409) until `POST /shipments/{id}/ship` posts them. Without `lines`, everything
 * picked and not packed of the order (in one warehouse) is packed.
 */
export async function packShipment(ctx: ServiceContext, input: PackInput) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId, userId } = ctx.actor;
  const prepared = prepareShipment({ packages: input.packages });
  return runCommand(ctx, async (lt) => {
    const exists = await lt.tx.selectFrom('sales_orders').select('id').where('org_id', '=', orgId).where('id', '=', input.order).executeTakeFirst();
    if (!exists) throw validationError(`order: no sales order ${input.order}`, [{ field: 'order', message: `no sales order ${input.order}` }]);
    // Scope before status: the order's warehouse and a named one; the warehouse the picked stock is in follows below.
    await requireDocumentWarehouse(lt.tx, ctx.actor, 'sales_orders', input.order);
    await requireWarehouseCode(lt.tx, ctx.actor, input.warehouse);
    await lockOrderForShipping(lt, orgId, input.order);
    let candidates = await packableTasks(lt, orgId, input.order);
    if (input.warehouse !== undefined) {
      if (!candidates.some((c) => c.warehouse === input.warehouse) && !(await warehouseExists(lt.tx, orgId, input.warehouse))) {
        throw validationError(`warehouse: unknown warehouse ${input.warehouse}`, [{ field: 'warehouse', message: `unknown warehouse ${input.warehouse}` }]);
      }
      candidates = candidates.filter((c) => c.warehouse === input.warehouse);
    }
    const lines = (input.lines ? allocate(input.lines, candidates) : candidates.filter((c) => c.available > 0n).map((c) => ({ candidate: c, quantity: c.available })))
      // The slip and the moves follow the order's lines.
      .sort((a, b) => a.candidate.lineNo - b.candidate.lineNo || a.candidate.taskId - b.candidate.taskId);
    if (lines.length === 0) throw new DomainError('conflict', 'nothing picked and not packed to pack for this order');
    const warehouses = [...new Set(lines.map((l) => l.candidate.warehouseId))];
    if (warehouses.length > 1) {
      throw validationError('warehouse: the picked stock is in several warehouses; pack each one separately', [{ field: 'warehouse', message: `name one of ${[...new Set(lines.map((l) => l.candidate.warehouse))].join(', ')}` }]);
    }
    requireWarehouse(ctx.actor, warehouses[0]!);
    const at = nowIso();
    for (const { candidate, quantity } of lines) {
      const updated = await lt.tx
        .updateTable('pick_tasks')
        .set({ packed_quantity: sql`packed_quantity + ${quantity}`, updated_at: at })
        .where('org_id', '=', orgId)
        .where('id', '=', candidate.taskId)
        .where(sql<boolean>`packed_quantity + ${quantity} <= picked_quantity`)
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) throw new Error(`pick task ${candidate.taskId} changed under its lock`);
    }
    const shipmentLines: NewShipmentLine[] = lines.map(({ candidate: c, quantity }) => ({
      lineId: c.lineId, taskId: c.taskId, reservationId: c.reservationId, itemId: c.itemId, locationId: c.locationId, lotId: c.lotId, quantity,
    }));
    const id = await insertShipment(lt, {
      orgId, userId, orderId: input.order, warehouseId: warehouses[0]!, status: 'packed', carrier: null, service: null, trackingNumber: null,
      promisedOn: null, packages: prepared.packages, lines: shipmentLines,
    });
    const body = await shipmentView(lt.tx, orgId, id);
    return { status: 201, body, audit: { action: 'shipment.pack', targetType: SHIPMENT, targetId: id, detail: { order: body.order, lines: body.lines } }, events: [{ type: 'shipment.packed', payload: body }] };
  });
}

/** Requested lines (by order line number, optionally lot) against picked stock, task by task; every shortfall at once. */
function allocate(requested: NonNullable<PackInput['lines']>, candidates: Packable[]): Array<{ candidate: Packable; quantity: bigint }> {
  const errors: FieldError[] = [];
  const shortfalls: FieldError[] = [];
  const taken = new Map<number, bigint>();
  const result: Array<{ candidate: Packable; quantity: bigint }> = [];
  requested.forEach((line, i) => {
    const ofLine = candidates.filter((c) => c.lineNo === line.line);
    if (ofLine.length === 0) {
      shortfalls.push({ field: `lines.${i}.line`, message: `nothing of line ${line.line} is picked and not packed` });
      return;
    }
    let quantity: bigint;
    try {
      quantity = parseScaled(line.quantity, ofLine[0]!.precision);
    } catch (e) {
      errors.push({ field: `lines.${i}.quantity`, message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${ofLine[0]!.unit}, precision ${ofLine[0]!.precision})` });
      return;
    }
    if (quantity <= 0n) {
      errors.push({ field: `lines.${i}.quantity`, message: 'must be greater than zero' });
      return;
    }
    let left = quantity;
    for (const c of ofLine.filter((c) => line.lot === undefined || c.lot === line.lot)) {
      const free = c.available - (taken.get(c.taskId) ?? 0n);
      const take = free < left ? free : left;
      if (take <= 0n) continue;
      taken.set(c.taskId, (taken.get(c.taskId) ?? 0n) + take);
      result.push({ candidate: c, quantity: take });
      left -= take;
      if (left === 0n) break;
    }
    if (left > 0n) {
      shortfalls.push({ field: `lines.${i}.quantity`, message: `only ${toJsonNumber(quantity - left)} ${ofLine[0]!.unit} of line ${line.line}${line.lot ? ` lot ${line.lot}` : ''} picked and not packed` });
    }
  });
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  if (shortfalls.length > 0) throw new DomainError('conflict', `more than picked: ${shortfalls.map((e) => `${e.field}: ${e.message}`).join('; ')}`, shortfalls);
  // One shipment line per task, even if two requested lines drew on it.
  const merged = new Map<number, { candidate: Packable; quantity: bigint }>();
  for (const r of result) {
    const m = merged.get(r.candidate.taskId);
    if (m) m.quantity += r.quantity;
    else merged.set(r.candidate.taskId, { ...r });
  }
  return [...merged.values()];
}

/** The order's pick tasks with picked, unpacked and still reserved quantity; locked in id order. */
async function packableTasks(lt: LedgerTx, orgId: number, orderId: number): Promise<Packable[]> {
  const locked = await lockRows(
    lt,
    lt.tx.selectFrom('pick_tasks').select('id').where('org_id', '=', orgId).where('order_id', '=', orderId).where('status', '<>', 'closed').orderBy('id'),
  ).execute();
  if (locked.length === 0) return [];
  const rows = await lt.tx
    .selectFrom('pick_tasks as t')
    .innerJoin('sales_order_lines as ol', (j) => j.onRef('ol.org_id', '=', 't.org_id').onRef('ol.id', '=', 't.line_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.item_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 't.org_id').onRef('l.id', '=', 't.location_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'l.org_id').onRef('w.id', '=', 'l.warehouse_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 't.org_id').onRef('lot.id', '=', 't.lot_id'))
    .select([
      't.id', 't.seq', 't.reservation_id', 't.line_id', 'ol.line_no', 't.item_id', 't.location_id', 't.lot_id', 'lot.code as lot', 'w.id as warehouse_id',
      'w.code as warehouse', 'i.unit', 'i.unit_precision', 't.picked_quantity', 't.packed_quantity',
    ])
    .where('t.org_id', '=', orgId)
    .where('t.id', 'in', locked.map((r) => num(r.id)))
    .orderBy('t.id')
    .execute();
  const free = new Map((await shippableReservations(lt.tx, orgId, orderId)).map((r) => [r.id, r.free]));
  return rows
    .map((r) => {
      const unpacked = toBigInt(r.picked_quantity) - toBigInt(r.packed_quantity);
      const reserved = free.get(num(r.reservation_id)) ?? 0n;
      return {
        taskId: num(r.id), reservationId: num(r.reservation_id), lineId: num(r.line_id), lineNo: num(r.line_no), itemId: num(r.item_id),
        locationId: num(r.location_id), lotId: num(r.lot_id), lot: r.lot ?? null, warehouseId: num(r.warehouse_id), warehouse: r.warehouse,
        unit: r.unit, precision: num(r.unit_precision), available: unpacked < reserved ? unpacked : reserved,
      };
    })
    .filter((c) => c.available > 0n);
}

async function warehouseExists(tx: Tx, orgId: number, code: string): Promise<boolean> {
  return (await tx.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst()) !== undefined;
}
