import type { Kysely, Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound, type FieldError } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { InternalTransfersTable } from '../../db/tables/transfers.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { AVAILABLE_KINDS } from '../../ledger/locations.js';
import { postMoves, StockShortage, type MoveRequest } from '../../ledger/post.js';
import { queryMoves } from '../../ledger/queries.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { warehouseByCode } from '../warehouses/service.js';
import { containsPattern, existingLot, itemsByCode, likeLower, locationCodes, moveView, oneSerial, positiveQuantity, referencedId, shortageProblem, throwIfErrors, warehouseLocation } from './shared.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

/**
 * Internal transfers move stock between the available locations of one warehouse (its stock
 * location, zones and bins) in one step: put-away after inspection (stock -> bin) and bin-to-bin
 * moves. Input and Rejected stay out: inspection decides what leaves them. Reserved stock stays
 * where it is reserved (postMoves moves only what is available).
 */
export const INTERNAL_TRANSFER = 'internal-transfer';

export interface InternalTransferInput {
  warehouse: string;
  note?: string;
  lines: Array<{ item: string; from?: string; to: string; quantity: number; lot?: string }>;
}

export async function postInternalTransfer(ctx: ServiceContext, input: InternalTransferInput) {
  authorize(ctx.actor, 'stock.move');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const items = await itemsByCode(tx, orgId, input.lines.map((l) => l.item), (i) => `lines.${i}.item`, true);
    const errors: FieldError[] = [];
    const stockCode = (await locationCodes(tx, orgId, [warehouse.stockLocationId])).get(warehouse.stockLocationId)!;
    const lines: Array<{ itemId: number; sku: string; lotId: number; fromId: number; toId: number; quantity: bigint }> = [];
    for (const [i, line] of input.lines.entries()) {
      const item = items[i]!;
      const quantity = positiveQuantity(line.quantity, item, `lines.${i}.quantity`, errors);
      oneSerial(item, quantity, `lines.${i}.quantity`, errors);
      const from = await warehouseLocation(tx, orgId, warehouse, line.from ?? stockCode, AVAILABLE_KINDS, `lines.${i}.from`, errors);
      const to = await warehouseLocation(tx, orgId, warehouse, line.to, AVAILABLE_KINDS, `lines.${i}.to`, errors);
      if (from && to && from.id === to.id) errors.push({ field: `lines.${i}.to`, message: `${to.code} is where the stock already is` });
      const lotId = await existingLot(tx, orgId, item, line.lot, `lines.${i}.lot`, errors);
      lines.push({ itemId: item.id, sku: item.sku, lotId, fromId: from?.id ?? 0, toId: to?.id ?? 0, quantity });
    }
    throwIfErrors(errors);

    const doc = await tx
      .insertInto('internal_transfers')
      .values({ org_id: orgId, warehouse_id: warehouse.id, note: input.note ?? null, status: 'done', created_by: userId, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(doc.id);
    await tx
      .insertInto('internal_transfer_lines')
      .values(lines.map((l, i) => ({ org_id: orgId, internal_transfer_id: id, line_no: i + 1, item_id: l.itemId, lot_id: l.lotId, from_location_id: l.fromId, to_location_id: l.toId, quantity: l.quantity })))
      .execute();
    const moves: MoveRequest[] = lines.map((l) => ({ itemId: l.itemId, lotId: l.lotId, fromLocationId: l.fromId, toLocationId: l.toId, quantity: l.quantity }));
    try {
      await postMoves(lt, { orgId, postingKey: `${INTERNAL_TRANSFER}:${id}`, documentType: INTERNAL_TRANSFER, documentId: id, postedBy: userId, moves });
    } catch (error) {
      if (!(error instanceof StockShortage)) throw error;
      const codes = await locationCodes(tx, orgId, lines.map((l) => l.fromId));
      throw shortageProblem(error, moves, lines.map((l) => l.sku), (locationId) => codes.get(locationId) ?? String(locationId));
    }
    await fillBackordersAfterMoves(lt, orgId, moves); // stock made available may serve waiting sales orders
    const body = await internalTransferView(tx, orgId, id);
    return {
      status: 201,
      body,
      audit: { action: 'stock.move', targetType: INTERNAL_TRANSFER, targetId: id, detail: { warehouse: body.warehouse, lines: body.lines } },
      events: [{ type: 'stock.moved', payload: body }],
    };
  });
}

export async function internalTransferView(db: Kysely<DB> | Tx, orgId: number, id: number) {
  const doc = await db.selectFrom('internal_transfers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!doc) throw notFound(`internal transfer ${id}`);
  return toView(db, orgId, doc);
}

async function toView(db: Kysely<DB> | Tx, orgId: number, doc: Selectable<InternalTransfersTable>) {
  const id = num(doc.id);
  const warehouse = await db.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(doc.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('internal_transfer_lines as a')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.item_id'))
    .innerJoin('locations as f', (j) => j.onRef('f.org_id', '=', 'a.org_id').onRef('f.id', '=', 'a.from_location_id'))
    .innerJoin('locations as t', (j) => j.onRef('t.org_id', '=', 'a.org_id').onRef('t.id', '=', 'a.to_location_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'a.org_id').onRef('l.id', '=', 'a.lot_id'))
    .select(['a.line_no', 'i.sku', 'i.name', 'i.unit', 'a.quantity', 'l.code as lot', 'l.expires_on', 'f.code as from', 't.code as to'])
    .where('a.org_id', '=', orgId)
    .where('a.internal_transfer_id', '=', id)
    .orderBy('a.line_no')
    .execute();
  const { moves } = await queryMoves(db, orgId, { documentType: INTERNAL_TRANSFER, documentId: id, limit: 10_000 });
  return {
    id,
    number: documentReference(INTERNAL_TRANSFER, id),
    warehouse: warehouse.code,
    note: doc.note,
    status: doc.status,
    createdAt: doc.created_at,
    createdBy: num(doc.created_by),
    lines: lines.map((l) => ({
      line: num(l.line_no),
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      lot: l.lot ?? null,
      expiresOn: l.expires_on ?? null,
      from: l.from,
      to: l.to,
      quantity: toJsonNumber(toBigInt(l.quantity)),
    })),
    moves: moves.map(moveView),
  };
}

export type InternalTransferView = Awaited<ReturnType<typeof toView>>;

export async function getInternalTransfer(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'stock.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'internal_transfers', id);
  return internalTransferView(ctx.store.read, ctx.actor.orgId, id);
}

/**
 * Newest first. `q` finds a reference (IT-000012), a SKU, a location code of a line or a word of
 * the note; `sku` and `location` filter on the lines.
 */
export async function listInternalTransfers(ctx: ServiceContext, filter: { warehouse?: string; sku?: string; location?: string; q?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  let query = scopeToWarehouses(db.selectFrom('internal_transfers as d').selectAll('d').where('d.org_id', '=', orgId), 'd.warehouse_id', ctx.actor);
  if (filter.warehouse !== undefined) {
    query = query.where('d.warehouse_id', 'in', (qb) => qb.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', filter.warehouse!));
  }
  const lines = linesOf(db, orgId);
  if (filter.sku !== undefined) query = query.where('d.id', 'in', lines.where('i.sku', '=', filter.sku));
  if (filter.location !== undefined) query = query.where('d.id', 'in', lines.where((eb) => eb.or([eb('f.code', '=', filter.location!), eb('t.code', '=', filter.location!)])));
  if (filter.q !== undefined && filter.q.trim() !== '') {
    const q = filter.q.trim();
    const pattern = containsPattern(q);
    const refId = referencedId(q, INTERNAL_TRANSFER);
    query = query.where((eb) =>
      eb.or([
        ...(refId !== undefined ? [eb('d.id', '=', refId)] : []),
        eb(eb.fn('lower', ['d.note']), 'like', likeLower(pattern)),
        eb('d.id', 'in', lines.where((e) => e.or([e('i.sku', '=', q), e('i.barcode', '=', q), e('f.code', '=', q), e('t.code', '=', q)]))),
      ]),
    );
  }
  if (filter.after !== undefined) query = query.where('d.id', '<', filter.after);
  const rows = await query.orderBy('d.id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => toView(db, orgId, r)));
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}

function linesOf(db: Kysely<DB>, orgId: number) {
  return db
    .selectFrom('internal_transfer_lines as a')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.item_id'))
    .innerJoin('locations as f', (j) => j.onRef('f.org_id', '=', 'a.org_id').onRef('f.id', '=', 'a.from_location_id'))
    .innerJoin('locations as t', (j) => j.onRef('t.org_id', '=', 'a.org_id').onRef('t.id', '=', 'a.to_location_id'))
    .select('a.internal_transfer_id')
    .where('a.org_id', '=', orgId);
}
