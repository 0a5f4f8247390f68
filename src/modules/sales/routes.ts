import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit, Name, Quantity, Sku } from '../../http/schemas.js';
import { OrderShipment, ShipBody } from '../shipping/schemas.js';
import { cancelSalesOrder, confirmSalesOrder, createSalesOrder, getSalesOrder, listSalesOrders } from './service.js';
import { shipSalesOrder } from '../shipping/ship-order.js';

const Status = z.enum(['draft', 'confirmed', 'shipped', 'cancelled']);
const SalesOrderView = z.object({
  id: z.number().int(), number: z.string(), status: Status, customer: z.string(), warehouse: z.string(),
  lines: z.array(z.object({ line: z.number().int(), sku: z.string(), quantity: z.number(), reserved: z.number(), shipped: z.number() })),
  createdAt: z.string(), confirmedAt: z.string().nullable(), shippedAt: z.string().nullable(), cancelledAt: z.string().nullable(),
  shipments: z.array(OrderShipment),
});
/** Actions take no body; an empty JSON object is accepted too. */
const NoBody = z.strictObject({}).optional();

export const salesRoutes = [
  defineRoute({
    method: 'POST', path: '/sales-orders', tag: 'sales', summary: 'Create a draft sales order',
    body: z.strictObject({
      customer: Name,
      warehouse: Code,
      lines: z.array(z.strictObject({ sku: Sku, quantity: Quantity })).min(1, 'at least one line').max(500, 'at most 500 lines'),
    }),
    responses: { 201: { description: 'Created as draft', schema: SalesOrderView } },
    handler: ({ ctx, body }) => createSalesOrder(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/sales-orders', tag: 'sales', summary: 'List sales orders, newest first',
    query: z.strictObject({ status: Status.optional(), after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of orders', schema: z.object({ items: z.array(SalesOrderView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listSalesOrders(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/sales-orders/{id}', tag: 'sales', summary: 'Get a sales order', params: IdParams,
    responses: { 200: { description: 'The order', schema: SalesOrderView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSalesOrder(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/confirm', tag: 'sales', summary: 'Confirm: reserve every line, or nothing (409 insufficient-stock naming the short lines)', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Confirmed, every line reserved', schema: SalesOrderView } },
    handler: ({ ctx, params }) => confirmSalesOrder(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/cancel', tag: 'sales', summary: 'Cancel a draft or confirmed order, releasing its reservations', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Cancelled', schema: SalesOrderView } },
    handler: ({ ctx, params }) => cancelSalesOrder(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/ship', tag: 'sales', summary: 'Ship a confirmed order: its reserved stock moves to the customer location and a shipment records carrier, tracking and packages (body optional)', params: IdParams, body: ShipBody,
    responses: { 200: { description: 'Shipped', schema: SalesOrderView } },
    handler: ({ ctx, params, body }) => shipSalesOrder(ctx, params.id, body ?? {}),
  }),
];
