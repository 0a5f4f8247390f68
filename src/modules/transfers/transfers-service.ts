import { sql } from 'kysely';
import { toJsonNumber } from '../../core/decimal.js';
import { conflict, insufficientStock, notFound, validationError, type FieldError, type ShortLine } from '../../core/errors.js';
import { isCalendarDate, todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import type { TransferStatus } from '../../db/tables/transfers.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { postMoves, type MoveRequest } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { requireTransferWarehouse } from '../users/scope.js';
import { itemsBySku, type Item } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { allocateShipment } from './transfers-allocation.js';
import { TRANSFER, transferLines, transferView, type TransferLineState } from './transfers-view.js';
import { positiveQuantity, throwIfErrors } from './shared.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

/**
 * Transfers between two warehouses of the company. Ship moves the stock (all lines or nothing,
 * first-expired-first-out) from the source's available locations to `Virtual/In transit` and
 * records per line which lots left; receipts bring those same lots into the destination's stock
 * location, partly or at once; close writes off what never arrived to `Virtual/Inventory
 * adjustment` and keeps the difference on the line.
 */
const TRANSITIONS: Record<TransferStatus, TransferStatus[]> = {
  draft: ['shipped', 'cancelled'],
  shipped: ['partially_received', 'received', 'closed'],
  partially_received: ['partially_received', 'received', 'closed'],
  received: [],
  closed: [],
  cancelled: [],
};
const ACTION: Record<TransferStatus, string> = {
  draft: 'drafted', shipped: 'shipped', partially_received: 'received', received: 'received', closed: 'closed', cancelled: 'cancelled',
};

export interface TransferInput {
  from: string;
  to: string;
  expectedOn?: string;
  note?: string;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface ReceiptInput {
  lines: Array<{ line: number; quantity: number; lot?: string }>;
}

export async function createTransfer(ctx: ServiceContext, input: TransferInput) {
  authorize(ctx.actor, 'transfer.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const from = await warehouseByCode(tx, orgId, input.from, 'from');
    const to = await warehouseByCode(tx, orgId, input.to, 'to');
    requireWarehouse(ctx.actor, from.id); // warehouse scope: a transfer is made by the sending side
    const errors: FieldError[] = [];
    if (from.id === to.id) errors.push({ field: 'to', message: 'a transfer goes to another warehouse' });
    if (input.expectedOn !== undefined && !isCalendarDate(input.expectedOn)) errors.push({ field: 'expectedOn', message: 'must be a date YYYY-MM-DD' });
    const items = await itemsBySku(tx, orgId, input.lines);
    const quantities = input.lines.map((line, i) => positiveQuantity(line.quantity, items[i]!, `lines.${i}.quantity`, errors));
    throwIfErrors(errors);
    const at = nowIso();
    const doc = await tx
      .insertInto('transfers')
      .values({
        org_id: orgId, from_warehouse_id: from.id, to_warehouse_id: to.id, status: 'draft', expected_on: input.expectedOn ?? null, note: input.note ?? null,
        receipt_count: 0, created_by: userId, created_at: at, updated_at: at, shipped_at: null, received_at: null, closed_at: null, cancelled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(doc.id);
    await tx
      .insertInto('transfer_lines')
      .values(input.lines.map((_, i) => ({ org_id: orgId, transfer_id: id, line_no: i + 1, item_id: items[i]!.id, quantity: quantities[i]! })))
      .execute();
    const body = await transferView(tx, orgId, id);
    return { status: 201, body, audit: { action: 'transfer.create', targetType: TRANSFER, targetId: id, detail: { from: body.from, to: body.to, lines: body.lines } }, events: [{ type: 'transfer.created', payload: body }] };
  });
}

/** The transfer's row, locked first (before any balance), if it may go to `next`. */
async function lockTransfer(lt: LedgerTx, orgId: number, id: number, next: TransferStatus) {
  const doc = await lockRows(lt, lt.tx.selectFrom('transfers').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!doc) throw notFound(`transfer ${id}`);
  if (!TRANSITIONS[doc.status].includes(next)) {
    throw conflict(`transfer ${documentReference(TRANSFER, id)} is ${doc.status} and cannot be ${ACTION[next]}`, { currentStatus: doc.status });
  }
  return doc;
}

async function setStatus(tx: Tx, orgId: number, id: number, status: TransferStatus, extra: { receipt_count?: number } = {}) {
  const at = nowIso();
  const stamp =
    status === 'shipped' ? { shipped_at: at } : status === 'received' ? { received_at: at } : status === 'closed' ? { closed_at: at } : status === 'cancelled' ? { cancelled_at: at } : {};
  await tx.updateTable('transfers').set({ status, updated_at: at, ...stamp, ...extra }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

export async function cancelTransfer(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'transfer.write');
  await requireTransferWarehouse(ctx.store.read, ctx.actor, id, 'from');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    await lockTransfer(lt, orgId, id, 'cancelled');
    await setStatus(lt.tx, orgId, id, 'cancelled');
    const body = await transferView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'transfer.cancel', targetType: TRANSFER, targetId: id }, events: [{ type: 'transfer.cancelled', payload: body }] };
  });
}

/** Take every line from the source warehouse into transit, or nothing (409 naming the short lines). */
export async function shipTransfer(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'transfer.write');
  await requireTransferWarehouse(ctx.store.read, ctx.actor, id, 'from');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const doc = await lockTransfer(lt, orgId, id, 'shipped');
    const lines = await transferLines(tx, orgId, id);
    const transit = await virtualLocation(tx, orgId, 'transit');
    const { allocations, shortages } = await allocateShipment(lt, {
      orgId, warehouseId: num(doc.from_warehouse_id), transitLocationId: transit, today: todayIso(),
      demands: lines.map((l) => ({ lineId: l.id, itemId: l.itemId, quantity: l.quantity })),
    });
    if (shortages.length > 0) {
      const short = new Map(shortages.map((s) => [s.itemId, s]));
      const shortLines: ShortLine[] = lines
        .filter((l) => short.has(l.itemId))
        .map((l) => ({ line: l.lineNo, sku: l.sku, requested: toJsonNumber(l.quantity), available: toJsonNumber(short.get(l.itemId)!.available) }));
      throw insufficientStock(
        `not enough available stock in the source warehouse for ${shortLines.map((s) => `line ${s.line} (${s.sku}: ${s.requested} requested, ${s.available} available)`).join(', ')}`,
        shortLines,
        shortLines.map((s) => ({ field: `lines.${s.line - 1}.quantity`, message: `only ${s.available} available` })),
      );
    }
    const moves: MoveRequest[] = allocations.map((a) => ({ itemId: a.itemId, lotId: a.lotId, fromLocationId: a.locationId, toLocationId: transit, quantity: a.quantity }));
    await postMoves(lt, { orgId, postingKey: `${TRANSFER}:${id}:ship`, documentType: TRANSFER, documentId: id, postedBy: userId, moves });
    // What each line shipped per lot: receipts and close work from these rows.
    const shipped = new Map<string, { lineId: number; lotId: number; quantity: bigint }>();
    for (const a of allocations) {
      const key = `${a.lineId}:${a.lotId}`;
      const row = shipped.get(key) ?? { lineId: a.lineId, lotId: a.lotId, quantity: 0n };
      row.quantity += a.quantity;
      shipped.set(key, row);
    }
    await tx
      .insertInto('transfer_line_lots')
      .values([...shipped.values()].map((s) => ({ org_id: orgId, transfer_id: id, line_id: s.lineId, lot_id: s.lotId, shipped: s.quantity, received: 0n, difference: 0n })))
      .execute();
    await setStatus(tx, orgId, id, 'shipped');
    const body = await transferView(tx, orgId, id);
    return { status: 200, body, audit: { action: 'transfer.ship', targetType: TRANSFER, targetId: id, detail: { moves: body.moves.map((m) => m.id) } }, events: [{ type: 'transfer.shipped', payload: body }] };
  });
}

interface Take {
  line: TransferLineState;
  lot: TransferLineState['lots'][number];
  quantity: bigint;
}

/**
 * Which shipped lots a receipt takes back: a named lot must be one its line shipped; without a
 * name the line's lots in transit are taken first-expired-first-out. Never more than is still in
 * transit on the line (422, nothing written).
 */
function planReceipt(lines: TransferLineState[], input: ReceiptInput): Take[] {
  const errors: FieldError[] = [];
  const left = new Map<number, bigint>(lines.flatMap((l) => l.lots.map((x) => [x.rowId, x.inTransit] as const)));
  const takes: Take[] = [];
  const entries = input.lines.map((entry, index) => ({ entry, index }));
  // Named lots first, so that an unnamed entry cannot take the lot another entry names.
  entries.sort((a, b) => Number(a.entry.lot === undefined) - Number(b.entry.lot === undefined) || a.index - b.index);
  for (const { entry, index } of entries) {
    const at = (name: string, message: string) => errors.push({ field: `lines.${index}.${name}`, message });
    const line = lines.find((l) => l.lineNo === entry.line);
    if (!line) {
      at('line', `the transfer has no line ${entry.line}`);
      continue;
    }
    const item = { unit: line.unit, unitPrecision: line.unitPrecision } as Item;
    const lineErrors: FieldError[] = [];
    const quantity = positiveQuantity(entry.quantity, item, `lines.${index}.quantity`, lineErrors);
    errors.push(...lineErrors);
    if (lineErrors.length > 0) continue;
    let candidates = line.lots;
    if (entry.lot !== undefined) {
      if (line.tracking === 'none') {
        at('lot', `${line.sku} is not lot or serial tracked`);
        continue;
      }
      candidates = line.lots.filter((x) => x.lot === entry.lot);
      if (candidates.length === 0) {
        at('lot', `line ${line.lineNo} did not ship ${line.tracking} ${entry.lot} of ${line.sku}`);
        continue;
      }
    }
    const open = candidates.reduce((s, x) => s + left.get(x.rowId)!, 0n);
    if (quantity > open) {
      at('quantity', `only ${toJsonNumber(open)}${entry.lot !== undefined ? ` of ${entry.lot}` : ''} is still in transit on line ${line.lineNo}`);
      continue;
    }
    let rest = quantity;
    for (const lot of candidates) {
      const take = rest < left.get(lot.rowId)! ? rest : left.get(lot.rowId)!;
      if (take === 0n) continue;
      takes.push({ line, lot, quantity: take });
      left.set(lot.rowId, left.get(lot.rowId)! - take);
      rest -= take;
      if (rest === 0n) break;
    }
  }
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors.sort((a, b) => a.field.localeCompare(b.field)));
  return takes;
}

/** Bring shipped lots from transit into the destination's stock location; partial receipts allowed. */
export async function receiveTransfer(ctx: ServiceContext, id: number, input: ReceiptInput) {
  authorize(ctx.actor, 'transfer.write');
  await requireTransferWarehouse(ctx.store.read, ctx.actor, id, 'to');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const doc = await lockTransfer(lt, orgId, id, 'received');
    const lines = await transferLines(tx, orgId, id);
    const takes = planReceipt(lines, input);
    const transit = await virtualLocation(tx, orgId, 'transit');
    const destination = await tx.selectFrom('warehouses').select('stock_location_id').where('org_id', '=', orgId).where('id', '=', num(doc.to_warehouse_id)).executeTakeFirstOrThrow();
    const receipt = num(doc.receipt_count) + 1;
    const moves: MoveRequest[] = takes.map((t) => ({ itemId: t.line.itemId, lotId: t.lot.lotId, fromLocationId: transit, toLocationId: num(destination.stock_location_id), quantity: t.quantity }));
    await postMoves(lt, { orgId, postingKey: `${TRANSFER}:${id}:receive:${receipt}`, documentType: TRANSFER, documentId: id, postedBy: userId, moves });
    await fillBackordersAfterMoves(lt, orgId, moves); // received goods may serve waiting sales orders
    for (const t of takes) {
      await tx.updateTable('transfer_line_lots').set({ received: sql`received + ${t.quantity}` }).where('org_id', '=', orgId).where('id', '=', t.lot.rowId).execute();
    }
    const stillInTransit = lines.reduce((s, l) => s + l.lots.reduce((x, lot) => x + lot.inTransit, 0n), 0n) - takes.reduce((s, t) => s + t.quantity, 0n);
    const status: TransferStatus = stillInTransit === 0n ? 'received' : 'partially_received';
    await setStatus(tx, orgId, id, status, { receipt_count: receipt });
    const body = await transferView(tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'transfer.receive', targetType: TRANSFER, targetId: id, detail: { receipt, lines: takes.map((t) => ({ line: t.line.lineNo, lot: t.lot.lot, quantity: toJsonNumber(t.quantity) })) } },
      events: [{ type: status === 'received' ? 'transfer.received' : 'transfer.partially-received', payload: body }],
    };
  });
}

/** End the transfer: what is still in transit is a difference, written off to inventory adjustment. */
export async function closeTransfer(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'transfer.write');
  await requireTransferWarehouse(ctx.store.read, ctx.actor, id, 'to');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    await lockTransfer(lt, orgId, id, 'closed');
    const lines = await transferLines(tx, orgId, id);
    const open = lines.flatMap((line) => line.lots.filter((lot) => lot.inTransit > 0n).map((lot) => ({ line, lot })));
    if (open.length > 0) {
      const transit = await virtualLocation(tx, orgId, 'transit');
      const adjustment = await virtualLocation(tx, orgId, 'adjustment');
      const moves: MoveRequest[] = open.map(({ line, lot }) => ({ itemId: line.itemId, lotId: lot.lotId, fromLocationId: transit, toLocationId: adjustment, quantity: lot.inTransit }));
      await postMoves(lt, { orgId, postingKey: `${TRANSFER}:${id}:close`, documentType: TRANSFER, documentId: id, postedBy: userId, moves });
      for (const { lot } of open) {
        await tx.updateTable('transfer_line_lots').set({ difference: sql`difference + ${lot.inTransit}` }).where('org_id', '=', orgId).where('id', '=', lot.rowId).execute();
      }
    }
    await setStatus(tx, orgId, id, 'closed');
    const body = await transferView(tx, orgId, id);
    const differences = body.lines.filter((l) => l.difference !== 0).map((l) => ({ line: l.line, sku: l.sku, difference: l.difference }));
    return { status: 200, body, audit: { action: 'transfer.close', targetType: TRANSFER, targetId: id, detail: { differences } }, events: [{ type: 'transfer.closed', payload: body }] };
  });
}
