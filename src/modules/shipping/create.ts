import { conflict } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { SHIPMENT, type PreparedShipment } from './model.js';
import { shipmentView } from './view.js';

/**
 * Record the shipment of a sales order, inside the ship command's transaction (the order row is
 * already locked and its stock posted): the shipment, its packages and its first event, `shipped`.
 */
export async function createShipment(lt: LedgerTx, input: { orgId: number; userId: number; orderId: number; shipment: PreparedShipment }) {
  const { tx } = lt;
  const { orgId, userId, orderId, shipment } = input;
  if (shipment.carrier !== null && shipment.trackingNumber !== null) {
    const taken = await tx
      .selectFrom('shipments')
      .select('id')
      .where('org_id', '=', orgId)
      .where('carrier', '=', shipment.carrier)
      .where('tracking_number', '=', shipment.trackingNumber)
      .executeTakeFirst();
    if (taken) {
      throw conflict(`${shipment.carrier} tracking number ${shipment.trackingNumber} is already on ${documentReference(SHIPMENT, num(taken.id))}`, { field: 'trackingNumber' });
    }
  }
  const at = nowIso();
  const row = await tx
    .insertInto('shipments')
    .values({
      org_id: orgId, order_id: orderId, carrier: shipment.carrier, service: shipment.service, tracking_number: shipment.trackingNumber,
      promised_on: shipment.promisedOn, status: 'shipped', shipped_at: at, delivered_at: null, delivered_on: null, on_time: null,
      created_by: userId, updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = num(row.id);
  if (shipment.packages.length > 0) {
    await tx
      .insertInto('shipment_packages')
      .values(shipment.packages.map((p, i) => ({
        org_id: orgId, shipment_id: id, package_no: i + 1, weight_kg: p.weightKg, length_cm: p.lengthCm, width_cm: p.widthCm, height_cm: p.heightCm, reference: p.reference,
      })))
      .execute();
  }
  await tx
    .insertInto('shipment_events')
    .values({ org_id: orgId, shipment_id: id, status: 'shipped', at, location: null, note: null, source: 'ship', recorded_by: userId, recorded_at: at })
    .execute();
  return shipmentView(tx, orgId, id);
}
