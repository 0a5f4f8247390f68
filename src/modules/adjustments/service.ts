import type { Selectable } from 'kysely';
import { DecimalFormatError, formatScaled, parseScaled, toBigInt, toJsonNumber, valueOf, ONE } from '../../core/decimal.js';
import { conflict, insufficientStock, notFound, validationError, type FieldError } from '../../core/errors.js';
import { isCalendarDate } from '../../core/text.js';
import { num, type AdjustmentsTable } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { PHYSICAL_KINDS } from '../../ledger/locations.js';
import { postMoves, StockShortage, type MoveRequest } from '../../ledger/post.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { queryMoves } from '../../ledger/queries.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { itemsBySku } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { createLot, findLot, serialOnHand } from '../stock/lots.js';
import { documentFields, estimatedValue } from '../approvals/fields.js';
import { availabilityShortage } from '../approvals/availability.js';
import { latestApproval, startApproval } from '../approvals/instances.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

export const ADJUSTMENT = 'inventory-adjustment';

export interface AdjustmentInput {
  warehouse: string;
  /** A stock location, zone or bin of the warehouse (its code); the stock location by default. */
  location?: string;
  reason?: string;
  lines: Array<{ sku: string; quantity: number; lot?: string; expiresOn?: string; unitCost?: number }>;
}

interface PreparedLine {
  itemId: number;
  sku: string;
  quantity: bigint;
  lotCode: string | null;
  expiresOn: string | null;
  unitCost: bigint | null;
  tracking: string;
}

/**
 * Post an inventory adjustment: positive lines move stock from the company's inventory-adjustment
 * location into the warehouse, negative lines move it out (never below what is available).
 */
export async function postAdjustment(ctx: ServiceContext, input: AdjustmentInput) {
  authorize(ctx.actor, 'stock.adjust');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const locationId = await adjustedLocation(tx, orgId, warehouse, input.location);
    const items = await itemsBySku(tx, orgId, input.lines);
    const lines = prepareLines(input, items);
    const adjustmentLocation = await virtualLocation(tx, orgId, 'adjustment');

    const at = nowIso();
    const doc = await tx
      .insertInto('adjustments')
      .values({ org_id: orgId, warehouse_id: warehouse.id, reason: input.reason ?? null, status: 'posted', created_by: userId, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const adjustmentId = num(doc.id);

    const moves: MoveRequest[] = [];
    const serialsSeen = new Set<string>();
    for (const [index, line] of lines.entries()) {
      let lotId = 0;
      if (line.lotCode !== null) {
        const lot = await findLot(tx, orgId, line.itemId, line.lotCode);
        if (lot && line.expiresOn !== null && lot.expiresOn !== line.expiresOn) {
          throw validationError(`lot ${line.lotCode} expires on ${lot.expiresOn ?? 'no date'}`, [{ field: `lines.${index}.expiresOn`, message: `lot ${line.lotCode} already expires on ${lot.expiresOn ?? 'no date'}` }]);
        }
        if (!lot && line.quantity < 0n) {
          throw insufficientStock(`${line.sku} has no lot ${line.lotCode}`, undefined, [{ field: `lines.${index}.lot`, message: `no stock of lot ${line.lotCode}` }]);
        }
        const resolved = lot ?? (await createLot(tx, orgId, line.itemId, line.lotCode, line.expiresOn));
        lotId = resolved.id;
        if (line.tracking === 'serial' && line.quantity > 0n) {
          const key = `${line.itemId}:${line.lotCode}`;
          if (serialsSeen.has(key) || (await serialOnHand(tx, orgId, line.itemId, lotId)) > 0n) {
            throw conflict(`serial ${line.lotCode} of ${line.sku} is already in stock`, { field: `lines.${index}.lot` });
          }
          serialsSeen.add(key);
        }
      }
      await tx
        .insertInto('adjustment_lines')
        .values({ org_id: orgId, adjustment_id: adjustmentId, line_no: index + 1, item_id: line.itemId, lot_id: lotId, quantity: line.quantity, unit_cost: line.unitCost })
        .execute();
      const positive = line.quantity > 0n;
      moves.push({
        itemId: line.itemId,
        lotId,
        fromLocationId: positive ? adjustmentLocation : locationId,
        toLocationId: positive ? locationId : adjustmentLocation,
        quantity: positive ? line.quantity : -line.quantity,
        unitCost: line.unitCost,
      });
    }

    // With a matching approval flow (docs/approvals.md) the adjustment waits: no moves until it completes.
    const fields = async () => documentFields(tx, orgId, { number: documentReference(ADJUSTMENT, adjustmentId), warehouseId: warehouse.id, amount: await estimatedValue(lt, orgId, lines), itemIds: lines.map((l) => l.itemId) });
    const approval = await startApproval(lt, orgId, { documentType: ADJUSTMENT, documentId: adjustmentId, fields, requestedBy: userId, submittedBy: userId, actionData: { locationId } });
    if (approval) {
      const shortage = await availabilityShortage(tx, orgId, moves);
      if (shortage) throw shortageProblem(shortage, moves, lines.map((l) => l.sku));
      await tx.updateTable('adjustments').set({ status: PENDING_APPROVAL }).where('org_id', '=', orgId).where('id', '=', adjustmentId).execute();
      const body = await adjustmentView(tx, orgId, adjustmentId);
      return {
        status: 201,
        body,
        audit: { action: 'stock.adjust.request', targetType: ADJUSTMENT, targetId: adjustmentId, detail: { reason: input.reason ?? null, lines: body.lines, approval: approval.id, flow: approval.flowName } },
        events: [{ type: 'stock.adjustment-pending', payload: body }, { type: 'approval.started', payload: { approval: approval.id, flow: approval.flowName, documentType: ADJUSTMENT, documentId: adjustmentId, document: body.number } }],
      };
    }
    await postAdjustmentMoves(lt, orgId, adjustmentId, userId, moves, lines.map((l) => l.sku));
    await fillBackordersAfterMoves(lt, orgId, moves); // stock added may serve waiting sales orders

    const body = await adjustmentView(tx, orgId, adjustmentId);
    return {
      status: 201,
      body,
      audit: { action: 'stock.adjust', targetType: ADJUSTMENT, targetId: adjustmentId, detail: { reason: input.reason ?? null, lines: body.lines } },
      events: [{ type: 'stock.adjusted', payload: body }],
    };
  });
}

/** Post the moves of an adjustment; a shortage is a 409 naming the short lines. */
async function postAdjustmentMoves(lt: LedgerTx, orgId: number, adjustmentId: number, postedBy: number, moves: MoveRequest[], skus: string[]) {
  try {
    await postMoves(lt, { orgId, postingKey: `${ADJUSTMENT}:${adjustmentId}`, documentType: ADJUSTMENT, documentId: adjustmentId, postedBy, moves });
  } catch (error) {
    if (!(error instanceof StockShortage)) throw error;
    throw shortageProblem(error, moves, skus);
  }
}

function shortageProblem(error: StockShortage, moves: MoveRequest[], skus: string[]) {
  const errors: FieldError[] = error.shortages.flatMap((s) =>
    moves.flatMap((m, i) =>
      m.itemId === s.itemId && m.lotId === s.lotId && m.fromLocationId === s.locationId
        ? [{ field: `lines.${i}.quantity`, message: `only ${formatScaled(s.available)} of ${skus[i]!} available` }]
        : [],
    ),
  );
  return insufficientStock(`not enough stock: ${errors.map((e) => e.message).join('; ')}`, undefined, errors);
}

/** Waits for its approval flow (src/modules/approvals); then `posted`, `rejected` or `cancelled`. */
export const PENDING_APPROVAL = 'pending_approval';

async function lockPendingAdjustment(lt: LedgerTx, orgId: number, id: number) {
  const doc = await lockRows(lt, lt.tx.selectFrom('adjustments').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!doc) throw notFound(`inventory adjustment ${id}`);
  if (doc.status !== PENDING_APPROVAL) throw conflict(`inventory adjustment ${documentReference(ADJUSTMENT, id)} is ${doc.status}, not waiting for approval`, { currentStatus: doc.status });
  return doc;
}

/**
 * The approval flow of a pending adjustment completed: post its stored lines now, in the approval's
 * transaction, as its creator would have at creation (a shortage now is a 409 and the last
 * signature is not taken). A serial added meanwhile by someone else is refused again (409).
 */
export async function postPendingAdjustment(lt: LedgerTx, orgId: number, id: number, actionData: { locationId?: number }) {
  const { tx } = lt;
  const doc = await lockPendingAdjustment(lt, orgId, id);
  const warehouse = await tx.selectFrom('warehouses').select('stock_location_id').where('org_id', '=', orgId).where('id', '=', num(doc.warehouse_id)).executeTakeFirstOrThrow();
  const locationId = actionData.locationId ?? num(warehouse.stock_location_id);
  const adjustmentLocation = await virtualLocation(tx, orgId, 'adjustment');
  const lines = await tx
    .selectFrom('adjustment_lines as a')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'a.org_id').onRef('l.id', '=', 'a.lot_id'))
    .select(['a.item_id', 'a.lot_id', 'a.quantity', 'a.unit_cost', 'i.sku', 'i.tracking', 'l.code as lot'])
    .where('a.org_id', '=', orgId)
    .where('a.adjustment_id', '=', id)
    .orderBy('a.line_no')
    .execute();
  const moves: MoveRequest[] = [];
  for (const [index, line] of lines.entries()) {
    const quantity = toBigInt(line.quantity);
    const itemId = num(line.item_id);
    const lotId = num(line.lot_id);
    if (line.tracking === 'serial' && quantity > 0n && (await serialOnHand(tx, orgId, itemId, lotId)) > 0n) {
      throw conflict(`serial ${line.lot ?? ''} of ${line.sku} is already in stock`, { field: `lines.${index}.lot` });
    }
    const positive = quantity > 0n;
    moves.push({
      itemId, lotId,
      fromLocationId: positive ? adjustmentLocation : locationId,
      toLocationId: positive ? locationId : adjustmentLocation,
      quantity: positive ? quantity : -quantity,
      unitCost: line.unit_cost === null ? null : toBigInt(line.unit_cost),
    });
  }
  await postAdjustmentMoves(lt, orgId, id, num(doc.created_by), moves, lines.map((l) => l.sku));
  await fillBackordersAfterMoves(lt, orgId, moves); // as on immediate posting: stock added may serve waiting orders
  await tx.updateTable('adjustments').set({ status: 'posted' }).where('org_id', '=', orgId).where('id', '=', id).execute();
  return adjustmentView(tx, orgId, id);
}

/** The flow was rejected or withdrawn: the adjustment never posts. */
export async function closePendingAdjustment(lt: LedgerTx, orgId: number, id: number, status: 'rejected' | 'cancelled') {
  await lockPendingAdjustment(lt, orgId, id);
  await lt.tx.updateTable('adjustments').set({ status }).where('org_id', '=', orgId).where('id', '=', id).execute();
  return adjustmentView(lt.tx, orgId, id);
}

function prepareLines(input: AdjustmentInput, items: Awaited<ReturnType<typeof itemsBySku>>): PreparedLine[] {
  const errors: FieldError[] = [];
  const lines = input.lines.map((line, i) => {
    const item = items[i]!;
    const at = (name: string, message: string) => errors.push({ field: `lines.${i}.${name}`, message });
    let quantity = 0n;
    try {
      quantity = parseScaled(line.quantity, item.unitPrecision);
      if (quantity === 0n) at('quantity', 'must not be zero');
    } catch (e) {
      at('quantity', `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})`);
    }
    let unitCost: bigint | null = null;
    if (line.unitCost !== undefined) {
      try {
        unitCost = parseScaled(line.unitCost);
        if (unitCost < 0n) at('unitCost', 'must not be negative');
        if (quantity < 0n) at('unitCost', 'only stock coming in takes a cost; stock going out is valued FIFO');
        else valueOf(quantity, unitCost);
      } catch (e) {
        at('unitCost', e instanceof DecimalFormatError ? e.message : 'is invalid');
      }
    }
    if (item.tracking === 'none' && line.lot !== undefined) at('lot', `${item.sku} is not lot or serial tracked`);
    if (item.tracking !== 'none' && line.lot === undefined) at('lot', `${item.sku} is ${item.tracking} tracked: name the ${item.tracking}`);
    if (item.tracking === 'serial' && quantity !== 0n && quantity !== ONE && quantity !== -ONE) at('quantity', 'a serial number is one unit: use 1 or -1');
    if (line.expiresOn !== undefined) {
      if (line.lot === undefined) at('expiresOn', 'an expiry date belongs to a lot');
      else if (!isCalendarDate(line.expiresOn)) at('expiresOn', 'must be a date YYYY-MM-DD');
    }
    return { itemId: item.id, sku: item.sku, quantity, lotCode: line.lot ?? null, expiresOn: line.expiresOn ?? null, unitCost, tracking: item.tracking };
  });
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return lines;
}

async function adjustedLocation(tx: Tx, orgId: number, warehouse: { id: number; code: string; stockLocationId: number }, code?: string): Promise<number> {
  if (code === undefined) return warehouse.stockLocationId;
  const row = await tx
    .selectFrom('locations')
    .select(['id', 'kind'])
    .where('org_id', '=', orgId)
    .where('warehouse_id', '=', warehouse.id)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row || !PHYSICAL_KINDS.includes(row.kind)) {
    throw validationError(`no stock location ${code} in warehouse ${warehouse.code}`, [{ field: 'location', message: `no stock location ${code} in warehouse ${warehouse.code}` }]);
  }
  return num(row.id);
}

export async function adjustmentView(tx: Tx, orgId: number, id: number) {
  const doc = await tx.selectFrom('adjustments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!doc) throw notFound(`inventory adjustment ${id}`);
  return toView(tx, orgId, doc);
}

async function toView(tx: Tx, orgId: number, doc: Selectable<AdjustmentsTable>) {
  const id = num(doc.id);
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(doc.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await tx
    .selectFrom('adjustment_lines as a')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'a.org_id').onRef('l.id', '=', 'a.lot_id'))
    .select(['a.line_no', 'i.sku', 'a.quantity', 'l.code as lot', 'l.expires_on', 'a.unit_cost'])
    .where('a.org_id', '=', orgId)
    .where('a.adjustment_id', '=', id)
    .orderBy('a.line_no')
    .execute();
  const { moves } = await queryMoves(tx, orgId, { documentType: ADJUSTMENT, documentId: id, limit: 10_000 });
  return {
    id,
    number: documentReference(ADJUSTMENT, id),
    warehouse: warehouse.code,
    reason: doc.reason,
    status: doc.status,
    createdAt: doc.created_at,
    createdBy: num(doc.created_by),
    lines: lines.map((l) => ({
      line: num(l.line_no),
      sku: l.sku,
      quantity: toJsonNumber(toBigInt(l.quantity)),
      lot: l.lot ?? null,
      expiresOn: l.expires_on ?? null,
      unitCost: l.unit_cost === null ? null : toJsonNumber(toBigInt(l.unit_cost)),
    })),
    moves: moves.map((m) => ({ id: m.id, sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(m.quantity), lot: m.lot })),
    /** Its latest approval flow run (docs/approvals.md), null when none applied. */
    approval: await latestApproval(tx, orgId, ADJUSTMENT, id),
  };
}

export async function getAdjustment(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'stock.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'adjustments', id);
  return adjustmentView(ctx.store.read, ctx.actor.orgId, id);
}

export async function listAdjustments(ctx: ServiceContext, filter: { after?: number; limit: number }) {
  authorize(ctx.actor, 'stock.view');
  let query = scopeToWarehouses(ctx.store.read.selectFrom('adjustments').selectAll().where('org_id', '=', ctx.actor.orgId), 'warehouse_id', ctx.actor);
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => toView(ctx.store.read, ctx.actor.orgId, r)));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
