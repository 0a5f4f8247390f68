import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { AVAILABLE_KINDS } from '../../ledger/locations.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { classifyAbc } from './abc.js';
import { unitCosts } from './costs.js';
import { lastMoveId, lockCount, parseScope, STOCK_COUNT, type AbcClass, type CountScope } from './model.js';
import { lockWarehouseCounts, refuseOverlap } from './overlap.js';
import { itemInScope, locationInScope, skuIds } from './scope.js';
import { countView } from './view.js';

/**
 * Start counting: snapshot every balance in scope (stock, zones and bins of the warehouse; zero
 * balances included, so a bin the system thinks empty is counted too) with its book quantity now
 * and the unit cost that will value its variance. The count is then in progress.
 */
export async function startCount(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const count = await lockCount(lt, orgId, id, 'in_progress');
    const warehouseId = num(count.warehouse_id);
    await lockWarehouseCounts(lt, orgId, warehouseId);
    const scope = parseScope(count.scope_type, count.scope);
    const scopeItems = scope.type === 'items' ? new Set((await skuIds(tx, orgId, scope.skus)).values()) : undefined;
    const abc = scope.type === 'abc' ? new Map((await classifyAbc(tx, orgId, warehouseId)).rows.map((r) => [r.itemId, r.class] as const)) : undefined;
    const startMoveId = await lastMoveId(tx, orgId);

    const balances = await snapshotBalances(tx, orgId, warehouseId, scope, scopeItems, abc);
    const costs = await unitCosts(tx, orgId, balances.map((b) => b.itemId));
    const rows = balances.map((b, i) => ({
      org_id: orgId, count_id: id, line_no: i + 1, item_id: b.itemId, location_id: b.locationId, lot_id: b.lotId,
      snapshot_quantity: b.onHand, unit_cost: costs.get(b.itemId) ?? 0n, found: 0, state: 'pending' as const,
      counted_quantity: null, book_quantity: null, counted_move_id: null, counted_by: null, counted_at: null,
    }));
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto('stock_count_lines').values(rows.slice(i, i + 500)).execute();
    await refuseOverlap(lt, orgId, id);

    const at = nowIso();
    await tx
      .updateTable('stock_counts')
      .set({
        status: 'in_progress', start_move_id: startMoveId, started_by: userId, started_at: at, updated_at: at,
        abc_classes: abc ? JSON.stringify(Object.fromEntries(abc)) : null,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const body = await countView(tx, ctx.actor, id);
    return {
      status: 200,
      body,
      audit: { action: 'count.start', targetType: STOCK_COUNT, targetId: id, detail: { lines: rows.length, startMoveId } },
      events: [{ type: 'stock-count.started', payload: { id, number: body.number, lines: rows.length } }],
    };
  });
}

interface SnapshotBalance {
  itemId: number;
  locationId: number;
  lotId: number;
  onHand: bigint;
}

/** Balances in scope, in walking order: location, then SKU, then lot. */
async function snapshotBalances(
  tx: Tx, orgId: number, warehouseId: number, scope: CountScope, scopeItems: Set<number> | undefined, abc: Map<number, AbcClass> | undefined,
): Promise<SnapshotBalance[]> {
  const rows = await tx
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'b.org_id').onRef('i.id', '=', 'b.item_id'))
    .leftJoin('lots as t', (j) => j.onRef('t.org_id', '=', 'b.org_id').onRef('t.id', '=', 'b.lot_id'))
    .select(['b.item_id', 'b.location_id', 'b.lot_id', 'b.on_hand', 'l.code as location', 'i.sku', 'i.archived', 't.code as lot'])
    .where('b.org_id', '=', orgId)
    .where('l.warehouse_id', '=', warehouseId)
    .where('l.kind', 'in', [...AVAILABLE_KINDS])
    .execute();
  return rows
    .filter((r) => locationInScope(scope, r.location) && itemInScope(scope, num(r.item_id), scopeItems, abc))
    // An archived item's empty balance is history, not something to look for on the shelf.
    .filter((r) => toBigInt(r.on_hand) !== 0n || num(r.archived) === 0)
    .sort((a, b) => cmp(a.location, b.location) || cmp(a.sku, b.sku) || cmp(a.lot ?? '', b.lot ?? ''))
    .map((r) => ({ itemId: num(r.item_id), locationId: num(r.location_id), lotId: num(r.lot_id), onHand: toBigInt(r.on_hand) }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

