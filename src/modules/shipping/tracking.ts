import type { Selectable } from 'kysely';
import { conflict, notFound, validationError } from '../../core/errors.js';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import type { ShipmentsTable } from '../../db/tables/shipping.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireShipmentWarehouse } from '../users/scope.js';
import { SHIPMENT, TRANSITIONS } from './model.js';
import type { EventInput } from './schemas.js';
import { shipmentView } from './view.js';

/** Carrier clocks run a little ahead of ours; more than this in the future is a mistake. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Record a tracking event on a shipment named by id (people, integrations). */
export async function recordShipmentEvent(ctx: ServiceContext, id: number, input: EventInput) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const row = await lockRows(lt, lt.tx.selectFrom('shipments').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
    if (!row) throw notFound(`shipment ${id}`);
    await requireShipmentWarehouse(lt.tx, ctx.actor, id);
    return applyEvent(lt, ctx, row, input, 'api');
  });
}

/** Record a tracking event on the shipment a carrier knows by its tracking number (webhooks). */
export async function trackShipment(ctx: ServiceContext, input: EventInput & { carrier: string; trackingNumber: string }) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId } = ctx.actor;
  const { carrier, trackingNumber, ...event } = input;
  return runCommand(ctx, async (lt) => {
    const row = await lockRows(
      lt,
      lt.tx.selectFrom('shipments').selectAll().where('org_id', '=', orgId).where('carrier', '=', carrier).where('tracking_number', '=', trackingNumber),
    ).executeTakeFirst();
    if (!row) throw notFound(`${carrier} shipment ${trackingNumber}`);
    await requireShipmentWarehouse(lt.tx, ctx.actor, num(row.id));
    return applyEvent(lt, ctx, row, event, 'carrier');
  });
}

/** Append the event and move the shipment along its state machine; delivery decides on-time. */
async function applyEvent(lt: LedgerTx, ctx: ServiceContext, row: Selectable<ShipmentsTable>, input: EventInput, source: 'api' | 'carrier') {
  const { orgId, userId } = ctx.actor;
  const id = num(row.id);
  const number = documentReference(SHIPMENT, id);
  if (!TRANSITIONS[row.status].includes(input.status)) {
    throw conflict(`shipment ${number} is ${row.status} and cannot become ${input.status}`, { currentStatus: row.status });
  }
  const recordedAt = nowIso();
  const { at, on } = eventTime(input.at, row.shipped_at);
  const delivered = input.status === 'delivered';
  await lt.tx
    .updateTable('shipments')
    .set({
      status: input.status,
      updated_at: recordedAt,
      ...(delivered ? { delivered_at: at, delivered_on: on, on_time: row.promised_on === null ? null : on <= row.promised_on ? 1 : 0 } : {}),
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
  await lt.tx
    .insertInto('shipment_events')
    .values({ org_id: orgId, shipment_id: id, status: input.status, at, location: input.location ?? null, note: input.note ?? null, source, recorded_by: userId, recorded_at: recordedAt })
    .execute();
  const body = await shipmentView(lt.tx, orgId, id);
  return {
    status: 201,
    body,
    audit: { action: 'shipment.track', targetType: SHIPMENT, targetId: id, detail: { from: row.status, to: input.status, at, location: input.location ?? null, note: input.note ?? null, source } },
    events: [{ type: `shipment.${input.status}`, payload: body }],
  };
}

/**
 * The event's instant in UTC, and its date as the carrier wrote it (a delivery at 07:00 +08:00 on
 * the 2nd was on the 2nd for the customer). Without `at`: now, today's UTC date.
 */
function eventTime(at: string | undefined, shippedAt: string): { at: string; on: string } {
  if (at === undefined) return { at: nowIso(), on: todayIso() };
  const ms = Date.parse(at);
  if (ms > Date.now() + CLOCK_SKEW_MS) throw validationError('at: must not be in the future', [{ field: 'at', message: 'must not be in the future' }]);
  if (ms < Date.parse(shippedAt)) throw validationError(`at: must not be before the shipment left (${shippedAt})`, [{ field: 'at', message: `must not be before the shipment left (${shippedAt})` }]);
  return { at: new Date(ms).toISOString(), on: at.slice(0, 10) };
}
