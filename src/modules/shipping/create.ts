import { conflict } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { SHIPMENT, type PreparedPackage } from './model.js';

export interface NewShipmentLine {
  lineId: number;
  taskId: number | null;
  reservationId: number;
  itemId: number;
  locationId: number;
  lotId: number;
  quantity: bigint;
}

/** A tracking number is unique per carrier (the webhook finds the shipment by it). */
export async function refuseTakenTracking(lt: LedgerTx, orgId: number, carrier: string | null, trackingNumber: string | null): Promise<void> {
  if (carrier === null || trackingNumber === null) return;
  const taken = await lt.tx
    .selectFrom('shipments')
    .select('id')
    .where('org_id', '=', orgId)
    .where('carrier', '=', carrier)
    .where('tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  if (taken) {
    throw conflict(`${carrier} tracking number ${trackingNumber} is already on ${documentReference(SHIPMENT, num(taken.id))}`, { field: 'trackingNumber' });
  }
}

/**
 * Record a shipment of a sales order inside the caller's transaction (the order row is locked):
 * the shipment, its lines, its packages and its first event. `packed`: packed from picked stock,
 * nothing posted yet; `shipped`: the caller posts the lines' moves in the same transaction.
 */
export async function insertShipment(
  lt: LedgerTx,
  input: {
    orgId: number; userId: number; orderId: number; warehouseId: number; status: 'packed' | 'shipped';
    carrier: string | null; service: string | null; trackingNumber: string | null; promisedOn: string | null;
    packages: PreparedPackage[]; lines: NewShipmentLine[];
  },
): Promise<number> {
  const { tx } = lt;
  const { orgId, userId, orderId } = input;
  await refuseTakenTracking(lt, orgId, input.carrier, input.trackingNumber);
  const at = nowIso();
  const row = await tx
    .insertInto('shipments')
    .values({
      org_id: orgId, order_id: orderId, carrier: input.carrier, service: input.service, tracking_number: input.trackingNumber,
      promised_on: input.promisedOn, status: input.status,
      // NOT NULL since 0008: a packed shipment keeps its packing time here until it ships (the view shows null).
      shipped_at: at, packed_at: input.status === 'packed' ? at : null, warehouse_id: input.warehouseId,
      delivered_at: null, delivered_on: null, on_time: null, created_by: userId, updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = num(row.id);
  if (input.packages.length > 0) {
    await tx
      .insertInto('shipment_packages')
      .values(input.packages.map((p, i) => ({
        org_id: orgId, shipment_id: id, package_no: i + 1, weight_kg: p.weightKg, length_cm: p.lengthCm, width_cm: p.widthCm, height_cm: p.heightCm, reference: p.reference,
      })))
      .execute();
  }
  if (input.lines.length > 0) {
    await tx
      .insertInto('shipment_lines')
      .values(input.lines.map((l) => ({
        org_id: orgId, shipment_id: id, order_id: orderId, line_id: l.lineId, task_id: l.taskId, reservation_id: l.reservationId,
        item_id: l.itemId, location_id: l.locationId, lot_id: l.lotId, quantity: l.quantity,
      })))
      .execute();
  }
  await tx
    .insertInto('shipment_events')
    .values({ org_id: orgId, shipment_id: id, status: input.status, at, location: null, note: null, source: input.status === 'packed' ? 'pack' : 'ship', recorded_by: userId, recorded_at: at })
    .execute();
  return id;
}
