import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { conflict, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { postMoves, type MoveRequest } from '../../ledger/post.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';
import { createCount } from '../counts/create.js';
import { fillBackorders } from '../sales/backorders.js';
import { requireWarehouseCode } from '../users/scope.js';
import { COUNT_SUGGESTION, fieldErrors } from './model.js';
import { listSuggestionRows, suggestionView } from './suggestions-view.js';
import type { CountSuggestionStatus } from '../../db/tables/picking.js';

export async function listCountSuggestions(ctx: ServiceContext, filter: { status?: CountSuggestionStatus; warehouse?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'count.view');
  await requireWarehouseCode(ctx.store.read, ctx.actor, filter.warehouse);
  return listSuggestionRows(ctx.store.read, ctx.actor.orgId, { ...filter, warehouseIds: visibleWarehouseIds(ctx.actor) });
}

export async function getCountSuggestion(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.view');
  const view = await suggestionView(ctx.store.read, ctx.actor.orgId, id);
  requireWarehouse(ctx.actor, view.warehouseId);
  return view;
}

/**
 * Someone looked for the missing quantity: `found` of it goes back from Discrepancy to the bin
 * (available again, and the backorder fill may reserve it), the rest is written off to
 * Virtual/Inventory adjustment (a valued loss). One posting; the suggestion is resolved.
 */
export async function resolveCountSuggestion(ctx: ServiceContext, id: number, input: { found: number }) {
  authorize(ctx.actor, 'count.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const row = await lockRows(lt, lt.tx.selectFrom('count_suggestions').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
    if (!row) throw notFound(`count suggestion ${id}`);
    requireWarehouse(ctx.actor, num(row.warehouse_id));
    const item = await lt.tx.selectFrom('items').select(['unit', 'unit_precision']).where('org_id', '=', orgId).where('id', '=', num(row.item_id)).executeTakeFirstOrThrow();
    let found = 0n;
    try {
      found = parseScaled(input.found, num(item.unit_precision));
    } catch (e) {
      throw fieldErrors([{ field: 'found', message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${num(item.unit_precision)})` }]);
    }
    const held = toBigInt(row.quantity);
    if (found < 0n || found > held) throw fieldErrors([{ field: 'found', message: `must be between 0 and the ${toJsonNumber(held)} ${item.unit} held` }]);
    if (row.status === 'resolved') throw conflict(`count suggestion ${id} is already resolved`, { currentStatus: row.status });

    const moves: MoveRequest[] = [];
    const base = { itemId: num(row.item_id), lotId: num(row.lot_id), fromLocationId: num(row.hold_location_id) };
    if (found > 0n) moves.push({ ...base, toLocationId: num(row.location_id), quantity: found });
    if (held - found > 0n) moves.push({ ...base, toLocationId: await virtualLocation(lt.tx, orgId, 'adjustment'), quantity: held - found });
    const posting = await postMoves(lt, { orgId, postingKey: `${COUNT_SUGGESTION}:${id}:resolve`, documentType: COUNT_SUGGESTION, documentId: id, postedBy: userId, moves });
    const at = nowIso();
    await lt.tx
      .updateTable('count_suggestions')
      .set({ status: 'resolved', found_quantity: found, resolved_by: userId, resolved_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    if (found > 0n) await fillBackorders(lt, orgId, { warehouseId: num(row.warehouse_id), itemIds: [num(row.item_id)] });
    const body = await suggestionView(lt.tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'count-suggestion.resolve', targetType: COUNT_SUGGESTION, targetId: id, detail: { found: toJsonNumber(found), writtenOff: toJsonNumber(held - found), moves: posting.moves.map((m) => m.id) } },
      events: [{ type: 'count-suggestion.resolved', payload: body }],
    };
  });
}

/**
 * Open a draft stock count of the suggestion's bin through the counts module (its own command:
 * the counts module owns its documents), then link it here. Calling it again for a suggestion
 * already counting answers the linked count instead of opening another.
 */
export async function openCountForSuggestion(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.write');
  const { orgId } = ctx.actor;
  const current = await suggestionView(ctx.store.read, orgId, id);
  requireWarehouse(ctx.actor, current.warehouseId);
  if (current.status === 'resolved') throw conflict(`count suggestion ${id} is already resolved`, { currentStatus: current.status });
  if (current.status === 'counting' && current.countId !== null) return { status: 200, body: current };
  // The inner command must not claim the caller's Idempotency-Key: the link below does.
  const count = await createCount({ ...ctx, idempotency: undefined }, {
    warehouse: current.warehouse,
    scope: { type: 'zone', locations: [current.bin] },
    note: `${current.number}: ${current.missing} ${current.sku}${current.lot ? ` lot ${current.lot}` : ''} not found when picking`,
  });
  const countId = (count.body as { id: number }).id;
  return runCommand(ctx, async (lt) => {
    const linked = await lt.tx
      .updateTable('count_suggestions')
      .set({ status: 'counting', count_id: countId })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (linked.numUpdatedRows !== 1n) throw conflict(`count suggestion ${id} changed meanwhile; stock count ${countId} was opened as a draft and can be cancelled`);
    const body = await suggestionView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'count-suggestion.count', targetType: COUNT_SUGGESTION, targetId: id, detail: { countId } }, events: [{ type: 'count-suggestion.counting', payload: body }] };
  });
}
