import type { Selectable } from 'kysely';
import { conflict, notFound, validationError } from '../../core/errors.js';
import { num, type LocationKind, type LocationsTable, type WarehousesTable } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, authorizeWarehouse, scopeToWarehouses, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';

export interface Warehouse {
  id: number;
  code: string;
  name: string;
  /** Code of the default stock location, where stock lands unless a bin is named. */
  stockLocation: string;
  createdAt: string;
  updatedAt: string;
}

export interface Location {
  id: number;
  code: string;
  name: string;
  kind: LocationKind;
  warehouse: string | null;
  parent: string | null;
}

async function toWarehouse(tx: Tx, row: Selectable<WarehousesTable>): Promise<Warehouse> {
  const stock = await tx.selectFrom('locations').select('code').where('org_id', '=', row.org_id).where('id', '=', num(row.stock_location_id)).executeTakeFirst();
  return { id: num(row.id), code: row.code, name: row.name, stockLocation: stock?.code ?? '', createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function createWarehouse(ctx: ServiceContext, input: { code: string; name: string }) {
  authorize(ctx.actor, 'warehouse.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const existing = await tx.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', input.code).executeTakeFirst();
    if (existing) throw conflict(`a warehouse with code ${input.code} already exists`, { id: num(existing.id) });
    const taken = await tx.selectFrom('locations').select('id').where('org_id', '=', orgId).where('code', '=', input.code).executeTakeFirst();
    if (taken) throw conflict(`location code ${input.code} is already in use`);
    const at = nowIso();
    const warehouse = await tx
      .insertInto('warehouses')
      .values({ org_id: orgId, code: input.code, name: input.name, view_location_id: null, stock_location_id: null, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const warehouseId = num(warehouse.id);
    const view = await insertLocation(tx, orgId, { code: input.code, name: input.name, kind: 'warehouse', warehouseId, parentId: null });
    const stock = await insertLocation(tx, orgId, { code: `${input.code}/Stock`, name: 'Stock', kind: 'stock', warehouseId, parentId: view });
    // Receipts land in Input until quality inspection accepts them; what it rejects waits in Rejected.
    await insertLocation(tx, orgId, { code: `${input.code}/Input`, name: 'Input (quality inspection)', kind: 'inspection', warehouseId, parentId: view });
    await insertLocation(tx, orgId, { code: `${input.code}/Rejected`, name: 'Rejected', kind: 'rejected', warehouseId, parentId: view });
    const row = await tx
      .updateTable('warehouses')
      .set({ view_location_id: view, stock_location_id: stock })
      .where('org_id', '=', orgId)
      .where('id', '=', warehouseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const body = await toWarehouse(tx, row);
    return {
      status: 201,
      body,
      audit: { action: 'warehouse.create', targetType: 'warehouse', targetId: warehouseId, detail: { after: body } },
      events: [{ type: 'warehouse.created', payload: body }],
    };
  });
}

export async function updateWarehouse(ctx: ServiceContext, id: number, changes: { name?: string }) {
  authorizeWarehouse(ctx.actor, 'warehouse.write', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await tx.selectFrom('warehouses').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound(`warehouse ${id}`);
    const row = await tx
      .updateTable('warehouses')
      .set({ ...(changes.name !== undefined ? { name: changes.name } : {}), updated_at: nowIso() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const body = await toWarehouse(tx, row);
    return { status: 200, body, audit: { action: 'warehouse.update', targetType: 'warehouse', targetId: id, detail: { before: await toWarehouse(tx, before), after: body } } };
  });
}

export async function listWarehouses(ctx: ServiceContext): Promise<Warehouse[]> {
  authorize(ctx.actor, 'warehouse.view');
  const rows = await scopeToWarehouses(ctx.store.read.selectFrom('warehouses').selectAll().where('org_id', '=', ctx.actor.orgId), 'id', ctx.actor).orderBy('code').execute();
  return Promise.all(rows.map((r) => toWarehouse(ctx.store.read, r)));
}

export async function getWarehouse(ctx: ServiceContext, id: number): Promise<Warehouse> {
  authorizeWarehouse(ctx.actor, 'warehouse.view', id);
  const row = await ctx.store.read.selectFrom('warehouses').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`warehouse ${id}`);
  return toWarehouse(ctx.store.read, row);
}

/** A warehouse by code inside a command; unknown codes are a field error of `field`. */
export async function warehouseByCode(tx: Tx, orgId: number, code: string, field = 'warehouse') {
  const row = await tx.selectFrom('warehouses').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) throw validationError(`unknown warehouse ${code}`, [{ field, message: `unknown warehouse ${code}` }]);
  return { id: num(row.id), code: row.code, stockLocationId: num(row.stock_location_id) };
}

async function insertLocation(tx: Tx, orgId: number, l: { code: string; name: string; kind: LocationKind; warehouseId: number | null; parentId: number | null }) {
  const row = await tx
    .insertInto('locations')
    .values({ org_id: orgId, code: l.code, name: l.name, kind: l.kind, warehouse_id: l.warehouseId, parent_id: l.parentId, created_at: nowIso() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return num(row.id);
}

function toLocation(row: Selectable<LocationsTable>, warehouses: Map<number, string>, parents: Map<number, string>): Location {
  return {
    id: num(row.id),
    code: row.code,
    name: row.name,
    kind: row.kind,
    warehouse: row.warehouse_id === null ? null : warehouses.get(num(row.warehouse_id)) ?? null,
    parent: row.parent_id === null ? null : parents.get(num(row.parent_id)) ?? null,
  };
}

/**
 * A zone or bin under a warehouse's stock location or under another zone. Its code is the
 * parent's code plus `/` plus the short code, so a code names one place in the tree.
 */
export async function createLocation(ctx: ServiceContext, warehouseId: number, input: { code: string; name?: string; kind: 'zone' | 'bin'; parent?: string }) {
  authorizeWarehouse(ctx.actor, 'warehouse.write', warehouseId);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const warehouse = await tx.selectFrom('warehouses').selectAll().where('org_id', '=', orgId).where('id', '=', warehouseId).executeTakeFirst();
    if (!warehouse) throw notFound(`warehouse ${warehouseId}`);
    let parentQuery = tx.selectFrom('locations').selectAll().where('org_id', '=', orgId).where('warehouse_id', '=', warehouseId);
    parentQuery = input.parent !== undefined ? parentQuery.where('code', '=', input.parent) : parentQuery.where('id', '=', num(warehouse.stock_location_id));
    const parent = await parentQuery.executeTakeFirst();
    if (!parent) throw validationError(`unknown parent location ${input.parent}`, [{ field: 'parent', message: `no location ${input.parent} in warehouse ${warehouse.code}` }]);
    if (parent.kind === 'bin') throw validationError('a bin cannot contain other locations', [{ field: 'parent', message: 'a bin cannot contain other locations' }]);
    if (parent.kind !== 'stock' && parent.kind !== 'zone') throw validationError('zones and bins go under the stock location or a zone', [{ field: 'parent', message: 'choose the stock location or a zone' }]);
    const code = `${parent.code}/${input.code}`;
    const taken = await tx.selectFrom('locations').select('id').where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
    if (taken) throw conflict(`location ${code} already exists`, { id: num(taken.id) });
    const id = await insertLocation(tx, orgId, { code, name: input.name ?? input.code, kind: input.kind, warehouseId, parentId: num(parent.id) });
    const body: Location = { id, code, name: input.name ?? input.code, kind: input.kind, warehouse: warehouse.code, parent: parent.code };
    return { status: 201, body, audit: { action: 'location.create', targetType: 'location', targetId: id, detail: { after: body } } };
  });
}

export async function listLocations(ctx: ServiceContext, filter: { warehouseId?: number; kind?: LocationKind }): Promise<Location[]> {
  authorizeWarehouse(ctx.actor, 'warehouse.view', filter.warehouseId);
  const db = ctx.store.read;
  let query = db.selectFrom('locations').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (filter.warehouseId !== undefined) query = query.where('warehouse_id', '=', filter.warehouseId);
  // Warehouse scope: the virtual locations (no warehouse) and the visible warehouses' locations.
  const scope = visibleWarehouseIds(ctx.actor);
  if (scope !== null) query = query.where((eb) => eb.or([eb('warehouse_id', 'is', null), eb('warehouse_id', 'in', [-1, ...scope])]));
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  const rows = await query.orderBy('code').limit(10_000).execute();
  const warehouses = new Map((await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', ctx.actor.orgId).execute()).map((w) => [num(w.id), w.code]));
  const all = new Map((await db.selectFrom('locations').select(['id', 'code']).where('org_id', '=', ctx.actor.orgId).execute()).map((l) => [num(l.id), l.code]));
  return rows.map((r) => toLocation(r, warehouses, all));
}
