import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, IdParams, Name } from '../../http/schemas.js';
import { createLocation, createWarehouse, getWarehouse, listLocations, listWarehouses, updateWarehouse } from './service.js';

const WarehouseView = z.object({ id: z.number().int(), code: z.string(), name: z.string(), stockLocation: z.string(), createdAt: z.string(), updatedAt: z.string() });
const LocationView = z.object({ id: z.number().int(), code: z.string(), name: z.string(), kind: z.string(), warehouse: z.string().nullable(), parent: z.string().nullable() });

export const warehouseRoutes = [
  defineRoute({
    method: 'POST', path: '/warehouses', tag: 'warehouses', summary: 'Create a warehouse with its default stock location',
    body: z.strictObject({ code: Code, name: Name }),
    responses: { 201: { description: 'Created', schema: WarehouseView } },
    handler: ({ ctx, body }) => createWarehouse(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/warehouses', tag: 'warehouses', summary: 'List warehouses',
    responses: { 200: { description: 'Warehouses', schema: z.object({ items: z.array(WarehouseView) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: { items: await listWarehouses(ctx) } }),
  }),
  defineRoute({
    method: 'GET', path: '/warehouses/{id}', tag: 'warehouses', summary: 'Get a warehouse', params: IdParams,
    responses: { 200: { description: 'The warehouse', schema: WarehouseView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getWarehouse(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/warehouses/{id}', tag: 'warehouses', summary: 'Rename a warehouse', params: IdParams,
    body: z.strictObject({ name: Name.optional() }),
    responses: { 200: { description: 'Updated', schema: WarehouseView } },
    handler: ({ ctx, params, body }) => updateWarehouse(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/warehouses/{id}/locations', tag: 'warehouses', summary: 'Add a zone or bin (under the stock location or a zone)', params: IdParams,
    body: z.strictObject({ code: Code, name: Name.optional(), kind: z.enum(['zone', 'bin']), parent: z.string().trim().min(1).max(200).optional().describe('Full code of the parent location; the stock location by default') }),
    responses: { 201: { description: 'Created', schema: LocationView } },
    handler: ({ ctx, params, body }) => createLocation(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', path: '/locations', tag: 'warehouses', summary: 'List locations (physical and virtual)',
    query: z.strictObject({ warehouse: z.coerce.number().int().positive().optional(), kind: z.enum(['warehouse', 'stock', 'zone', 'bin', 'inspection', 'rejected', 'supplier', 'customer', 'production', 'scrap', 'adjustment', 'transit']).optional() }),
    responses: { 200: { description: 'Locations', schema: z.object({ items: z.array(LocationView) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: { items: await listLocations(ctx, { warehouseId: query.warehouse, kind: query.kind }) } }),
  }),
];
