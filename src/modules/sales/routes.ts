import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { ShipBody } from '../shipping/schemas.js';
import { shipSalesOrder } from '../shipping/ship-order.js';
import { CancelLineBody, CreateOrderBody, LineParams, ListQuery, SalesOrderView, UpdateOrderBody } from './schemas.js';
import { cancelSalesOrder, cancelSalesOrderLine, confirmSalesOrder, createSalesOrder, getSalesOrder, listSalesOrders, updateSalesOrder } from './service.js';

/** Actions take no body; an empty JSON object is accepted too. */
const NoBody = z.strictObject({}).optional();

export const salesRoutes = [
  defineRoute({
    method: 'POST', path: '/sales-orders', tag: 'sales', summary: 'Create a draft sales order (customer or partner, per-line warehouse, prices, discounts, requested dates, priority)',
    body: CreateOrderBody,
    responses: { 201: { description: 'Created as draft', schema: SalesOrderView } },
    handler: ({ ctx, body }) => createSalesOrder(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/sales-orders', tag: 'sales', summary: 'List sales orders, newest first (filters: status, customer, warehouse, backordered)',
    query: ListQuery,
    responses: { 200: { description: 'A page of orders', schema: z.object({ items: z.array(SalesOrderView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listSalesOrders(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/sales-orders/{id}', tag: 'sales', summary: 'Get a sales order', params: IdParams,
    responses: { 200: { description: 'The order', schema: SalesOrderView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSalesOrder(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/sales-orders/{id}', tag: 'sales', summary: 'Change a draft (any field, lines replaced) or a confirmed order (priority, requestedOn, reference, note; 409 when locked)', params: IdParams,
    body: UpdateOrderBody,
    responses: { 200: { description: 'The changed order', schema: SalesOrderView } },
    handler: ({ ctx, params, body }) => updateSalesOrder(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/confirm', tag: 'sales', summary: 'Confirm: reserve every line, or nothing (409 insufficient-stock naming the short lines); with allowBackorder reserve what is there and backorder the rest', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Confirmed; lines reserved (or backordered with a promise date)', schema: SalesOrderView } },
    handler: ({ ctx, params }) => confirmSalesOrder(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/cancel', tag: 'sales', summary: 'Cancel a draft or confirmed order, releasing its reservations; on a partially shipped order cancel the rest and close it as shipped (409 when locked)', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Cancelled (or its rest cancelled)', schema: SalesOrderView } },
    handler: ({ ctx, params }) => cancelSalesOrder(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/lines/{line}/cancel', tag: 'sales', summary: "Cancel a line's unshipped rest (or `quantity` of it), releasing what it no longer needs (409 when locked)", params: LineParams, body: CancelLineBody,
    responses: { 200: { description: 'The order after the cancellation', schema: SalesOrderView } },
    handler: ({ ctx, params, body }) => cancelSalesOrderLine(ctx, params.id, params.line, body ?? {}),
  }),
  defineRoute({
    method: 'POST', path: '/sales-orders/{id}/ship', tag: 'sales', summary: 'Ship a confirmed order: its reserved stock moves to the customer location and a shipment records carrier, tracking and packages (body optional)', params: IdParams, body: ShipBody,
    responses: { 200: { description: 'Shipped', schema: SalesOrderView } },
    handler: ({ ctx, params, body }) => shipSalesOrder(ctx, params.id, body ?? {}),
  }),
];
