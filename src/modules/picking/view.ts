import { sql, type Kysely } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { PICK_TASK, PICK_WAVE } from './model.js';

type Db = Kysely<DB>;

/** Tasks with what a picker needs to see: bin, SKU, lot and expiry, order, quantities. */
function taskQuery(db: Db, orgId: number) {
  return db
    .selectFrom('pick_tasks as t')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 't.org_id').onRef('l.id', '=', 't.location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.item_id'))
    .innerJoin('sales_order_lines as sl', (j) => j.onRef('sl.org_id', '=', 't.org_id').onRef('sl.id', '=', 't.line_id'))
    .innerJoin('sales_orders as o', (j) => j.onRef('o.org_id', '=', 't.org_id').onRef('o.id', '=', 't.order_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 't.org_id').onRef('lot.id', '=', 't.lot_id'))
    .select([
      't.id', 't.wave_id', 'l.warehouse_id', 't.seq', 't.order_id', 'sl.line_no', 'o.customer', 'i.sku', 'i.name', 'i.unit', 'i.tracking', 'l.code as bin',
      'lot.code as lot', 'lot.expires_on', 't.quantity', 't.picked_quantity', 't.short_quantity', 't.packed_quantity', 't.status', 't.updated_at',
    ])
    .where('t.org_id', '=', orgId);
}

type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['execute']>>[number];

function toTask(r: TaskRow) {
  const quantity = toBigInt(r.quantity);
  const picked = toBigInt(r.picked_quantity);
  const short = toBigInt(r.short_quantity);
  return {
    id: num(r.id),
    number: documentReference(PICK_TASK, num(r.id)),
    wave: documentReference(PICK_WAVE, num(r.wave_id)),
    waveId: num(r.wave_id),
    warehouseId: num(r.warehouse_id!),
    seq: num(r.seq),
    orderId: num(r.order_id),
    order: documentReference(SALES_ORDER, num(r.order_id)),
    customer: r.customer,
    line: num(r.line_no),
    bin: r.bin,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    tracking: r.tracking,
    lot: r.lot ?? null,
    expiresOn: r.expires_on ?? null,
    quantity: toJsonNumber(quantity),
    picked: toJsonNumber(picked),
    short: toJsonNumber(short),
    packed: toJsonNumber(toBigInt(r.packed_quantity)),
    remaining: toJsonNumber(r.status === 'open' ? quantity - picked - short : 0n),
    status: r.status,
    updatedAt: r.updated_at,
  };
}
export type TaskView = ReturnType<typeof toTask>;

export async function taskView(db: Db, orgId: number, id: number): Promise<TaskView> {
  const row = await taskQuery(db, orgId).where('t.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`pick task ${id}`);
  return toTask(row);
}

/** The wave with its tasks in picking order (the route through the bins) and its progress. */
export async function waveView(db: Db, orgId: number, id: number) {
  const wave = await db
    .selectFrom('pick_waves as w')
    .innerJoin('warehouses as h', (j) => j.onRef('h.org_id', '=', 'w.org_id').onRef('h.id', '=', 'w.warehouse_id'))
    .select(['w.id', 'w.status', 'w.note', 'w.warehouse_id', 'h.code as warehouse', 'w.created_by', 'w.created_at', 'w.completed_at'])
    .where('w.org_id', '=', orgId)
    .where('w.id', '=', id)
    .executeTakeFirst();
  if (!wave) throw notFound(`pick wave ${id}`);
  const tasks = (await taskQuery(db, orgId).where('t.wave_id', '=', id).orderBy('t.seq').execute()).map(toTask);
  return {
    id,
    number: documentReference(PICK_WAVE, id),
    warehouse: wave.warehouse,
    warehouseId: num(wave.warehouse_id),
    status: wave.status,
    note: wave.note,
    createdBy: num(wave.created_by),
    createdAt: wave.created_at,
    completedAt: wave.completed_at,
    orders: [...new Map(tasks.map((t) => [t.orderId, t.order])).values()],
    progress: {
      tasks: tasks.length,
      open: tasks.filter((t) => t.status === 'open').length,
      done: tasks.filter((t) => t.status === 'done').length,
      closed: tasks.filter((t) => t.status === 'closed').length,
    },
    tasks,
  };
}
export type WaveView = Awaited<ReturnType<typeof waveView>>;

/** Waves newest first, keyset-paginated by id. */
export async function listWaveRows(db: Db, orgId: number, filter: { status?: 'open' | 'done' | 'cancelled'; warehouse?: string; after?: number; limit: number; warehouseIds?: readonly number[] | null }) {
  let query = db
    .selectFrom('pick_waves as w')
    .innerJoin('warehouses as h', (j) => j.onRef('h.org_id', '=', 'w.org_id').onRef('h.id', '=', 'w.warehouse_id'))
    .select([
      'w.id', 'w.status', 'w.note', 'h.code as warehouse', 'w.created_at', 'w.completed_at',
      sql<string>`(select count(*) from pick_tasks t where t.org_id = w.org_id and t.wave_id = w.id)`.as('tasks'),
      sql<string>`(select count(*) from pick_tasks t where t.org_id = w.org_id and t.wave_id = w.id and t.status = 'open')`.as('open_tasks'),
    ])
    .where('w.org_id', '=', orgId);
  if (filter.status) query = query.where('w.status', '=', filter.status);
  if (filter.warehouse) query = query.where('h.code', '=', filter.warehouse);
  if (filter.warehouseIds) query = query.where('w.warehouse_id', 'in', [-1, ...filter.warehouseIds]);
  if (filter.after !== undefined) query = query.where('w.id', '<', filter.after);
  const rows = await query.orderBy('w.id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map((r) => ({
    id: num(r.id), number: documentReference(PICK_WAVE, num(r.id)), warehouse: r.warehouse, status: r.status, note: r.note,
    createdAt: r.created_at, completedAt: r.completed_at, tasks: num(r.tasks), openTasks: num(r.open_tasks),
  }));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
