import { sql } from 'kysely';
import { conflict, notFound, validationError, type FieldError } from '../../core/errors.js';
import { toJsonNumber } from '../../core/decimal.js';
import { num, type DB } from '../../db/schema.js';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { findItemByCode, findItemBySku } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { positiveQuantity, throwIfErrors, warehouseLocation } from './shared.js';

/**
 * Put-away rules say where goods go when they arrive in a warehouse: a rule names one item or one
 * category and a zone or bin. Suggestions try item rules, then category rules (lowest priority
 * number first), then a bin that already holds the item, then the warehouse's stock location.
 */
export const PUTAWAY_RULE = 'putaway-rule';
const DEFAULT_PRIORITY = 100;

export interface PutawayRuleInput {
  warehouse: string;
  item?: string;
  category?: string;
  location: string;
  priority?: number;
}

export interface PutawayRuleView {
  id: number;
  warehouse: string;
  item: string | null;
  category: string | null;
  location: string;
  priority: number;
  createdAt: string;
}

export async function createPutawayRule(ctx: ServiceContext, input: PutawayRuleInput) {
  authorize(ctx.actor, 'warehouse.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const errors: FieldError[] = [];
    if ((input.item === undefined) === (input.category === undefined)) {
      const message = 'name exactly one of item or category';
      throw validationError(message, input.item === undefined ? [{ field: 'item', message }] : [{ field: 'item', message }, { field: 'category', message }]);
    }
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    let itemId: number | null = null;
    if (input.item !== undefined) {
      const item = await findItemBySku(tx, orgId, input.item);
      if (!item) errors.push({ field: 'item', message: `unknown sku ${input.item}` });
      else itemId = item.id;
    }
    const location = await warehouseLocation(tx, orgId, warehouse, input.location, ['zone', 'bin'], 'location', errors);
    throwIfErrors(errors);
    const category = input.category?.trim() ?? null;

    let same = tx.selectFrom('putaway_rules').select('id').where('org_id', '=', orgId).where('warehouse_id', '=', warehouse.id).where('location_id', '=', location!.id);
    same = itemId !== null ? same.where('item_id', '=', itemId) : same.where(sql`lower(category)`, '=', category!.toLowerCase());
    const existing = await same.executeTakeFirst();
    if (existing) throw conflict(`the same rule already exists (id ${num(existing.id)})`, { id: num(existing.id) });

    const row = await tx
      .insertInto('putaway_rules')
      .values({ org_id: orgId, warehouse_id: warehouse.id, item_id: itemId, category, location_id: location!.id, priority: input.priority ?? DEFAULT_PRIORITY, created_by: userId, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const body = await ruleView(tx, orgId, num(row.id));
    return {
      status: 201,
      body,
      audit: { action: 'putaway-rule.create', targetType: PUTAWAY_RULE, targetId: body.id, detail: { after: body } },
      events: [{ type: 'putaway-rule.created', payload: body }],
    };
  });
}

export async function deletePutawayRule(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'warehouse.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'putaway_rules', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await ruleView(tx, orgId, id);
    await tx.deleteFrom('putaway_rules').where('org_id', '=', orgId).where('id', '=', id).execute();
    return {
      status: 204,
      body: null,
      audit: { action: 'putaway-rule.delete', targetType: PUTAWAY_RULE, targetId: id, detail: { before } },
      events: [{ type: 'putaway-rule.deleted', payload: before }],
    };
  });
}

function rulesQuery(db: Kysely<DB> | Tx, orgId: number) {
  return db
    .selectFrom('putaway_rules as r')
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'r.org_id').onRef('w.id', '=', 'r.warehouse_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
    .leftJoin('items as i', (j) => j.onRef('i.org_id', '=', 'r.org_id').onRef('i.id', '=', 'r.item_id'))
    .select(['r.id', 'w.code as warehouse', 'i.sku', 'r.category', 'l.code as location', 'r.priority', 'r.created_at'])
    .where('r.org_id', '=', orgId);
}

type RuleRow = Awaited<ReturnType<ReturnType<typeof rulesQuery>['execute']>>[number];
const toRuleView = (r: RuleRow): PutawayRuleView => ({
  id: num(r.id), warehouse: r.warehouse, item: r.sku ?? null, category: r.category, location: r.location, priority: num(r.priority), createdAt: r.created_at,
});

async function ruleView(db: Kysely<DB> | Tx, orgId: number, id: number): Promise<PutawayRuleView> {
  const row = await rulesQuery(db, orgId).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`put-away rule ${id}`);
  return toRuleView(row);
}

export async function listPutawayRules(ctx: ServiceContext, filter: { warehouse?: string; item?: string; category?: string }) {
  authorize(ctx.actor, 'warehouse.view');
  await requireWarehouseCode(ctx.store.read, ctx.actor, filter.warehouse);
  let query = scopeToWarehouses(rulesQuery(ctx.store.read, ctx.actor.orgId), 'r.warehouse_id', ctx.actor);
  if (filter.warehouse !== undefined) query = query.where('w.code', '=', filter.warehouse);
  if (filter.item !== undefined) query = query.where('i.sku', '=', filter.item);
  if (filter.category !== undefined) query = query.where(sql`lower(r.category)`, '=', filter.category.trim().toLowerCase());
  const rows = await query.orderBy('w.code').orderBy('r.priority').orderBy('r.id').limit(10_000).execute();
  return { items: rows.map(toRuleView) };
}

export type SuggestionSource = 'item-rule' | 'category-rule' | 'existing-bin' | 'stock-location';

/** Where to put `item` away in `warehouse`, and why. Reads only. */
export async function suggestPutaway(ctx: ServiceContext, query: { warehouse: string; item: string; quantity?: string }) {
  authorize(ctx.actor, 'warehouse.view');
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  const errors: FieldError[] = [];
  const warehouse = await warehouseByCode(db, orgId, query.warehouse, 'query.warehouse');
  requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
  const item = await findItemByCode(db, orgId, query.item);
  if (!item) throw validationError(`unknown SKU or barcode ${query.item}`, [{ field: 'query.item', message: `unknown SKU or barcode ${query.item}` }]);
  const quantity = query.quantity === undefined ? null : positiveQuantity(query.quantity, item, 'query.quantity', errors);
  throwIfErrors(errors);

  const base = rulesQuery(db, orgId).where('r.warehouse_id', '=', warehouse.id).orderBy('r.priority').orderBy('r.id').limit(1);
  let source: SuggestionSource = 'stock-location';
  let rule: PutawayRuleView | null = null;
  let location: string | undefined;
  const byItem = await base.where('r.item_id', '=', item.id).executeTakeFirst();
  const byCategory = byItem || item.category === null ? undefined : await base.where(sql`lower(r.category)`, '=', item.category.trim().toLowerCase()).executeTakeFirst();
  if (byItem || byCategory) {
    rule = toRuleView((byItem ?? byCategory)!);
    source = byItem ? 'item-rule' : 'category-rule';
    location = rule.location;
  } else {
    const bin = await db
      .selectFrom('balances as b')
      .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
      .select(['l.code', sql<string>`sum(b.on_hand)`.as('q')])
      .where('b.org_id', '=', orgId)
      .where('b.item_id', '=', item.id)
      .where('l.warehouse_id', '=', warehouse.id)
      .where('l.kind', '=', 'bin')
      .groupBy('l.code')
      .having(sql`sum(b.on_hand)`, '>', 0)
      .orderBy(sql`sum(b.on_hand)`, 'desc')
      .orderBy('l.code')
      .limit(1)
      .executeTakeFirst();
    if (bin) {
      source = 'existing-bin';
      location = bin.code;
    }
  }
  if (location === undefined) {
    const stock = await db.selectFrom('locations').select('code').where('org_id', '=', orgId).where('id', '=', warehouse.stockLocationId).executeTakeFirstOrThrow();
    location = stock.code;
  }
  return {
    warehouse: warehouse.code,
    item: item.sku,
    quantity: quantity === null ? null : toJsonNumber(quantity),
    location,
    source,
    rule,
  };
}
