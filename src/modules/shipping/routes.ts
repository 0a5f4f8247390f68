import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { EventBody, PackBody, ShipPackedBody, ShipmentQuery, ShipmentSummary, ShipmentView, TrackBody } from './schemas.js';
import { packShipment } from './packing.js';
import { shipPackedShipment } from './ship.js';
import { packingSlip } from './pdf.js';
import { getShipment, listShipments } from './service.js';
import { recordShipmentEvent, trackShipment } from './tracking.js';

/** Shipments: packed from picked stock and shipped here, or shipped whole by `POST /sales-orders/{id}/ship`; read and tracked here. */
export const shippingRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/shipments', tag: 'shipping', summary: 'List shipments, newest first', query: ShipmentQuery,
    responses: { 200: { description: 'A page of shipments', schema: z.object({ items: z.array(ShipmentSummary), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listShipments(ctx, query) }),
  }),
  defineRoute({
    method: 'POST', path: '/shipments', tag: 'shipping', summary: 'Pack picked stock of an order into a shipment with packages (status packed; nothing moves yet); more than picked and not packed: 409', body: PackBody,
    responses: { 201: { description: 'Packed', schema: ShipmentView } },
    handler: ({ ctx, body }) => packShipment(ctx, body),
  }),
  defineRoute({
    method: 'POST', path: '/shipments/{id}/ship', tag: 'shipping', summary: 'Ship a packed shipment: its lines move to the customer; carrier, service, tracking, promise (body optional)', params: IdParams, body: ShipPackedBody,
    responses: { 200: { description: 'Shipped', schema: ShipmentView } },
    handler: ({ ctx, params, body }) => shipPackedShipment(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'GET', path: '/shipments/{id}', tag: 'shipping', summary: 'Get a shipment with its packages, tracking events and ship moves', params: IdParams,
    responses: { 200: { description: 'The shipment', schema: ShipmentView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getShipment(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/shipments/{id}/pdf', tag: 'shipping', summary: 'Printable packing slip and label (PDF)', params: IdParams,
    responses: { 200: { description: 'application/pdf' } },
    handler: ({ ctx, params }) => packingSlip(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/shipments/{id}/events', tag: 'shipping', summary: 'Record a tracking event (in_transit, exception, delivered); delivered is final', params: IdParams, body: EventBody,
    responses: { 201: { description: 'Recorded; the shipment with its events', schema: ShipmentView } },
    handler: ({ ctx, params, body }) => recordShipmentEvent(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/shipments/track', tag: 'shipping', summary: 'Record a tracking event by carrier and tracking number (carrier webhooks); unknown: 404', body: TrackBody,
    responses: { 201: { description: 'Recorded; the shipment with its events', schema: ShipmentView } },
    handler: ({ ctx, body }) => trackShipment(ctx, body),
  }),
];
