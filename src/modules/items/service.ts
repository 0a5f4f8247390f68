import { sql } from 'kysely';
import { conflict, notFound, validationError, type FieldError } from '../../core/errors.js';
import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber, type Scaled } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { DB } from '../../db/schema.js';
import type { Kysely, Selectable } from 'kysely';
import type { ItemsTable } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import type { Tx } from '../../db/store.js';
import { pageList } from '../../db/paging.js';

export type Tracking = 'none' | 'lot' | 'serial';

export interface Item {
  id: number;
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: Tracking;
  barcode: string | null;
  /** Free-text category (e.g. "fasteners"); put-away rules and reports group by it. */
  category: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  /** Reorder settings in the item's unit (null: not set); the dashboard's low stock uses them. */
  reorderPoint: number | null;
  safetyStock: number | null;
  reorderQuantity: number | null;
}

export interface NewItem {
  sku: string;
  name: string;
  unit: string;
  unitPrecision?: number;
  tracking?: Tracking;
  barcode?: string | null;
  category?: string | null;
  reorderPoint?: number | null;
  safetyStock?: number | null;
  reorderQuantity?: number | null;
}

export interface ItemChanges {
  name?: string;
  unit?: string;
  unitPrecision?: number;
  tracking?: Tracking;
  barcode?: string | null;
  category?: string | null;
  archived?: boolean;
  reorderPoint?: number | null;
  safetyStock?: number | null;
  reorderQuantity?: number | null;
}

/** The reorder settings: API field -> column. */
const REORDER_FIELDS = [
  ['reorderPoint', 'reorder_point'],
  ['safetyStock', 'safety_stock'],
  ['reorderQuantity', 'reorder_quantity'],
] as const;
type ReorderField = (typeof REORDER_FIELDS)[number][0];
type ReorderColumn = (typeof REORDER_FIELDS)[number][1];

const scaledOrNull = (value: unknown): Scaled | null => (value === null || value === undefined ? null : toBigInt(value));

/**
 * The reorder settings an item will have, checked against the unit precision it will have: given
 * values must be >= 0 with at most that many decimals; kept ones must still fit a changed precision.
 * All problems are reported at once as 422 field errors, before anything is written.
 */
function reorderColumns(
  given: Partial<Record<ReorderField, number | null>>,
  precision: number,
  kept: Partial<Record<ReorderColumn, Scaled | null>> = {},
): Partial<Record<ReorderColumn, Scaled | null>> {
  const errors: FieldError[] = [];
  const columns: Partial<Record<ReorderColumn, Scaled | null>> = {};
  for (const [field, column] of REORDER_FIELDS) {
    const value = given[field];
    if (value === undefined) {
      const current = kept[column];
      if (current !== undefined && current !== null) {
        try {
          parseScaled(toJsonNumber(current), precision);
        } catch {
          errors.push({ field, message: `the current value ${toJsonNumber(current)} does not fit unit precision ${precision}; set it too` });
        }
      }
      continue;
    }
    if (value === null) {
      columns[column] = null;
      continue;
    }
    try {
      const scaled = parseScaled(value, precision);
      if (scaled < 0n) errors.push({ field, message: 'must be 0 or more' });
      else columns[column] = scaled;
    } catch (e) {
      errors.push({ field, message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (precision ${precision})` });
    }
  }
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return columns;
}

export function toItem(row: Selectable<ItemsTable>): Item {
  return {
    id: num(row.id),
    sku: row.sku,
    name: row.name,
    unit: row.unit,
    unitPrecision: num(row.unit_precision),
    tracking: row.tracking,
    barcode: row.barcode,
    category: row.category,
    archived: num(row.archived) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    reorderPoint: jsonOrNull(row.reorder_point),
    safetyStock: jsonOrNull(row.safety_stock),
    reorderQuantity: jsonOrNull(row.reorder_quantity),
  };
}

function jsonOrNull(value: unknown): number | null {
  const scaled = scaledOrNull(value);
  return scaled === null ? null : toJsonNumber(scaled);
}

export async function createItem(ctx: ServiceContext, input: NewItem) {
  authorize(ctx.actor, 'item.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const reorder = reorderColumns(input, input.unitPrecision ?? 0);
    const existing = await findItemBySku(tx, orgId, input.sku);
    if (existing) throw conflict(`an item with sku ${input.sku} already exists`, { id: existing.id });
    const at = nowIso();
    const row = await tx
      .insertInto('items')
      .values({
        org_id: orgId,
        sku: input.sku,
        name: input.name,
        unit: input.unit,
        unit_precision: input.unitPrecision ?? 0,
        tracking: input.tracking ?? 'none',
        barcode: input.barcode ?? null,
        category: input.category ?? null,
        archived: 0,
        created_at: at,
        updated_at: at,
        ...reorder,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = toItem(row);
    return {
      status: 201,
      body: item,
      audit: { action: 'item.create', targetType: 'item', targetId: item.id, detail: { after: item } },
      events: [{ type: 'item.created', payload: item }],
    };
  });
}

export async function updateItem(ctx: ServiceContext, id: number, changes: ItemChanges) {
  authorize(ctx.actor, 'item.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound(`item ${id}`);
    const reorder = reorderColumns(changes, changes.unitPrecision ?? num(before.unit_precision), {
      reorder_point: scaledOrNull(before.reorder_point),
      safety_stock: scaledOrNull(before.safety_stock),
      reorder_quantity: scaledOrNull(before.reorder_quantity),
    });
    const reinterprets =
      (changes.unit !== undefined && changes.unit !== before.unit) ||
      (changes.unitPrecision !== undefined && changes.unitPrecision !== num(before.unit_precision)) ||
      (changes.tracking !== undefined && changes.tracking !== before.tracking);
    if (reinterprets) {
      // Existing quantities were entered in the old unit/precision/tracking; changing it would reinterpret them.
      const used = await tx.selectFrom('moves').select('id').where('org_id', '=', orgId).where('item_id', '=', id).limit(1).executeTakeFirst();
      const ordered = await tx.selectFrom('sales_order_lines').select('id').where('org_id', '=', orgId).where('item_id', '=', id).limit(1).executeTakeFirst();
      const purchased = await tx.selectFrom('purchase_order_lines').select('id').where('org_id', '=', orgId).where('item_id', '=', id).limit(1).executeTakeFirst();
      if (used || ordered || purchased) throw conflict('unit, precision and tracking cannot change once the item has moves or order lines');
    }
    const row = await tx
      .updateTable('items')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.unit !== undefined ? { unit: changes.unit } : {}),
        ...(changes.unitPrecision !== undefined ? { unit_precision: changes.unitPrecision } : {}),
        ...(changes.tracking !== undefined ? { tracking: changes.tracking } : {}),
        ...(changes.barcode !== undefined ? { barcode: changes.barcode } : {}),
        ...(changes.category !== undefined ? { category: changes.category } : {}),
        ...(changes.archived !== undefined ? { archived: changes.archived ? 1 : 0 } : {}),
        ...reorder,
        updated_at: nowIso(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = toItem(row);
    return {
      status: 200,
      body: item,
      audit: { action: 'item.update', targetType: 'item', targetId: id, detail: { before: toItem(before), after: item } },
      events: [{ type: 'item.updated', payload: item }],
    };
  });
}

export async function getItem(ctx: ServiceContext, id: number): Promise<Item> {
  authorize(ctx.actor, 'item.view');
  const row = await ctx.store.read.selectFrom('items').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`item ${id}`);
  return toItem(row);
}

/** Sort keys of the item list: a field, `-` in front for descending. */
export const ITEM_SORTS = ['sku', '-sku', 'name', '-name', 'category', '-category', 'createdAt', '-createdAt', 'id', '-id'] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];
const ITEM_SORT_COLUMN = { sku: 'sku', name: 'name', category: 'category', createdAt: 'created_at', id: 'id' } as const;

export interface ItemListFilter {
  q?: string;
  after?: number;
  limit: number;
  includeArchived?: boolean;
  tracking?: Tracking;
  category?: string;
  /** Page by position instead of by id (screens with sorting and page numbers). */
  sort?: ItemSort;
  offset?: number;
  /** Also count all matches (`total`). */
  withTotal?: boolean;
}

export async function listItems(ctx: ServiceContext, filter: ItemListFilter) {
  authorize(ctx.actor, 'item.view');
  let query = ctx.store.read.selectFrom('items').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (!filter.includeArchived) query = query.where('archived', '=', 0);
  if (filter.tracking) query = query.where('tracking', '=', filter.tracking);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(sku)`, 'like', sql`lower(${pattern}) escape '\\'`),
        eb(sql`lower(name)`, 'like', sql`lower(${pattern}) escape '\\'`),
        eb('barcode', '=', filter.q!),
      ]),
    );
  }
  return pageList(query, filter, ITEM_SORT_COLUMN, toItem);
}

/** An item by SKU or, failing that, by barcode (what a scanner reads). */
export async function findItemByCode(db: Kysely<DB> | Tx, orgId: number, code: string): Promise<Item | undefined> {
  const bySku = await findItemBySku(db, orgId, code);
  if (bySku) return bySku;
  const row = await db.selectFrom('items').selectAll().where('org_id', '=', orgId).where('barcode', '=', code).orderBy('id').limit(1).executeTakeFirst();
  return row ? toItem(row) : undefined;
}

export async function findItemBySku(db: Kysely<DB> | Tx, orgId: number, sku: string): Promise<Item | undefined> {
  const row = await db.selectFrom('items').selectAll().where('org_id', '=', orgId).where('sku', '=', sku).executeTakeFirst();
  return row ? toItem(row) : undefined;
}

/** Items by SKU for a document's lines; unknown SKUs are reported as field errors of those lines. */
export async function itemsBySku(tx: Tx, orgId: number, lines: Array<{ sku: string }>, field = 'lines'): Promise<Item[]> {
  const skus = [...new Set(lines.map((l) => l.sku))];
  const rows = skus.length === 0 ? [] : await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('sku', 'in', skus).execute();
  const bySku = new Map(rows.map((r) => [r.sku, toItem(r)]));
  const errors = lines.flatMap((l, i) => {
    const item = bySku.get(l.sku);
    if (!item) return [{ field: `${field}.${i}.sku`, message: `unknown sku ${l.sku}` }];
    if (item.archived) return [{ field: `${field}.${i}.sku`, message: `item ${l.sku} is archived` }];
    return [];
  });
  if (errors.length > 0) throw validationError(errors.map((e) => e.message).join('; '), errors);
  return lines.map((l) => bySku.get(l.sku)!);
}
