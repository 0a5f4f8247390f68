import { defineRoute, type RouteSpec } from '../../http/route.js';
import { LogisticsPage, LogisticsQuery } from './schemas.js';
import { listOrderLogistics } from './service.js';

/** One read-only view of every order's way to the customer, shared by sales, warehouse and logistics. */
export const logisticsRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/logistics/orders', tag: 'logistics',
    summary: 'Sales orders with their logistics stage (draft, backordered, reserved, picking, packed, shipped, in_transit, delivered, exception, cancelled), partial shipping, promise and lateness; newest first',
    query: LogisticsQuery,
    responses: { 200: { description: 'A page of orders', schema: LogisticsPage } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listOrderLogistics(ctx, query) }),
  }),
];
