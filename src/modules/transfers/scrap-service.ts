import type { Kysely, Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { conflict, notFound, type FieldError } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { ScrapReason, ScrapsTable } from '../../db/tables/transfers.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { postMoves, StockShortage, type MoveRequest } from '../../ledger/post.js';
import { queryMoves } from '../../ledger/queries.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { warehouseByCode } from '../warehouses/service.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { documentFields, estimatedValue } from '../approvals/fields.js';
import { availabilityShortage } from '../approvals/availability.js';
import { latestApproval, startApproval } from '../approvals/instances.js';
import { containsPattern, existingLot, itemsByCode, likeLower, locationCodes, moveView, oneSerial, positiveQuantity, referencedId, shortageProblem, throwIfErrors, warehouseLocation } from './shared.js';

/**
 * Scrap takes stock out of a warehouse for good (damaged, expired, failed quality, lost): it moves
 * to `Virtual/Scrap` and leaves the valuation at its FIFO cost. It comes from the stock location,
 * a zone or bin, or the Rejected location where inspection put what it refused; reserved stock is
 * never scrapped (release the order first).
 */
export const SCRAP = 'scrap';

export const SCRAP_REASONS: ReadonlyArray<{ code: ScrapReason; name: string }> = [
  { code: 'damaged', name: '损坏 Damaged' },
  { code: 'expired', name: '过期 Expired' },
  { code: 'quality', name: '质量不合格 Failed quality' },
  { code: 'lost', name: '丢失 Lost' },
  { code: 'other', name: '其他 Other' },
];
export const SCRAP_REASON_CODES = SCRAP_REASONS.map((r) => r.code) as [ScrapReason, ...ScrapReason[]];

const SCRAP_FROM = ['stock', 'zone', 'bin', 'rejected'] as const;

export interface ScrapInput {
  warehouse: string;
  location?: string;
  reason: ScrapReason;
  note?: string;
  lines: Array<{ sku: string; quantity: number; lot?: string }>;
}

export async function postScrap(ctx: ServiceContext, input: ScrapInput) {
  authorize(ctx.actor, 'stock.scrap');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const errors: FieldError[] = [];
    const stockCode = (await locationCodes(tx, orgId, [warehouse.stockLocationId])).get(warehouse.stockLocationId)!;
    const location = await warehouseLocation(tx, orgId, warehouse, input.location ?? stockCode, SCRAP_FROM, 'location', errors);
    const items = await itemsByCode(tx, orgId, input.lines.map((l) => l.sku), (i) => `lines.${i}.sku`, false);
    const lines: Array<{ itemId: number; sku: string; lotId: number; quantity: bigint }> = [];
    for (const [i, line] of input.lines.entries()) {
      const item = items[i]!;
      const quantity = positiveQuantity(line.quantity, item, `lines.${i}.quantity`, errors);
      oneSerial(item, quantity, `lines.${i}.quantity`, errors);
      const lotId = await existingLot(tx, orgId, item, line.lot, `lines.${i}.lot`, errors);
      lines.push({ itemId: item.id, sku: item.sku, lotId, quantity });
    }
    throwIfErrors(errors);
    const scrapLocation = await virtualLocation(tx, orgId, 'scrap');

    const doc = await tx
      .insertInto('scraps')
      .values({ org_id: orgId, warehouse_id: warehouse.id, location_id: location!.id, reason: input.reason, note: input.note ?? null, status: 'posted', created_by: userId, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(doc.id);
    await tx
      .insertInto('scrap_lines')
      .values(lines.map((l, i) => ({ org_id: orgId, scrap_id: id, line_no: i + 1, item_id: l.itemId, lot_id: l.lotId, quantity: l.quantity })))
      .execute();
    const moves: MoveRequest[] = lines.map((l) => ({ itemId: l.itemId, lotId: l.lotId, fromLocationId: location!.id, toLocationId: scrapLocation, quantity: l.quantity }));
    // With a matching approval flow (docs/approvals.md) the scrap waits: no moves until it completes.
    const fields = async () => documentFields(tx, orgId, { number: documentReference(SCRAP, id), warehouseId: warehouse.id, amount: await estimatedValue(lt, orgId, lines), itemIds: lines.map((l) => l.itemId) });
    const approval = await startApproval(lt, orgId, { documentType: SCRAP, documentId: id, fields, requestedBy: userId, submittedBy: userId });
    if (approval) {
      const shortage = await availabilityShortage(tx, orgId, moves);
      if (shortage) throw shortageProblem(shortage, moves, lines.map((l) => l.sku), () => location!.code);
      await tx.updateTable('scraps').set({ status: SCRAP_PENDING_APPROVAL }).where('org_id', '=', orgId).where('id', '=', id).execute();
      const body = await scrapView(tx, orgId, id);
      return {
        status: 201,
        body,
        audit: { action: 'stock.scrap.request', targetType: SCRAP, targetId: id, detail: { reason: body.reason, location: body.location, lines: body.lines, approval: approval.id, flow: approval.flowName } },
        events: [{ type: 'stock.scrap-pending', payload: body }, { type: 'approval.started', payload: { approval: approval.id, flow: approval.flowName, documentType: SCRAP, documentId: id, document: body.number } }],
      };
    }
    try {
      await postMoves(lt, { orgId, postingKey: `${SCRAP}:${id}`, documentType: SCRAP, documentId: id, postedBy: userId, moves });
    } catch (error) {
      if (!(error instanceof StockShortage)) throw error;
      throw shortageProblem(error, moves, lines.map((l) => l.sku), () => location!.code);
    }
    const body = await scrapView(tx, orgId, id);
    return {
      status: 201,
      body,
      audit: { action: 'stock.scrap', targetType: SCRAP, targetId: id, detail: { reason: body.reason, location: body.location, lines: body.lines, value: body.value } },
      events: [{ type: 'stock.scrapped', payload: body }],
    };
  });
}

/** Waits for its approval flow (src/modules/approvals); then `posted`, `rejected` or `cancelled`. */
export const SCRAP_PENDING_APPROVAL = 'pending_approval';

async function lockPendingScrap(lt: LedgerTx, orgId: number, id: number) {
  const doc = await lockRows(lt, lt.tx.selectFrom('scraps').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!doc) throw notFound(`scrap ${id}`);
  if (doc.status !== SCRAP_PENDING_APPROVAL) throw conflict(`scrap ${documentReference(SCRAP, id)} is ${doc.status}, not waiting for approval`, { currentStatus: doc.status });
  return doc;
}

/**
 * The approval flow of a pending scrap completed: post its stored lines now, in the approval's
 * transaction (a shortage now is a 409 and the last signature is not taken).
 */
export async function postPendingScrap(lt: LedgerTx, orgId: number, id: number) {
  const { tx } = lt;
  const doc = await lockPendingScrap(lt, orgId, id);
  const location = num(doc.location_id);
  const scrapLocation = await virtualLocation(tx, orgId, 'scrap');
  const lines = await tx
    .selectFrom('scrap_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .select(['s.item_id', 's.lot_id', 's.quantity', 'i.sku'])
    .where('s.org_id', '=', orgId)
    .where('s.scrap_id', '=', id)
    .orderBy('s.line_no')
    .execute();
  const moves: MoveRequest[] = lines.map((l) => ({ itemId: num(l.item_id), lotId: num(l.lot_id), fromLocationId: location, toLocationId: scrapLocation, quantity: toBigInt(l.quantity) }));
  try {
    await postMoves(lt, { orgId, postingKey: `${SCRAP}:${id}`, documentType: SCRAP, documentId: id, postedBy: num(doc.created_by), moves });
  } catch (error) {
    if (!(error instanceof StockShortage)) throw error;
    const code = (await locationCodes(tx, orgId, [location])).get(location) ?? String(location);
    throw shortageProblem(error, moves, lines.map((l) => l.sku), () => code);
  }
  await tx.updateTable('scraps').set({ status: 'posted' }).where('org_id', '=', orgId).where('id', '=', id).execute();
  return scrapView(tx, orgId, id);
}

/** The flow was rejected or withdrawn: the scrap never posts. */
export async function closePendingScrap(lt: LedgerTx, orgId: number, id: number, status: 'rejected' | 'cancelled') {
  await lockPendingScrap(lt, orgId, id);
  await lt.tx.updateTable('scraps').set({ status }).where('org_id', '=', orgId).where('id', '=', id).execute();
  return scrapView(lt.tx, orgId, id);
}

export async function scrapView(db: Kysely<DB> | Tx, orgId: number, id: number) {
  const doc = await db.selectFrom('scraps').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!doc) throw notFound(`scrap ${id}`);
  return toView(db, orgId, doc);
}

async function toView(db: Kysely<DB> | Tx, orgId: number, doc: Selectable<ScrapsTable>) {
  const id = num(doc.id);
  const warehouse = await db.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(doc.warehouse_id)).executeTakeFirstOrThrow();
  const location = await db.selectFrom('locations').select('code').where('org_id', '=', orgId).where('id', '=', num(doc.location_id)).executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('scrap_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 's.org_id').onRef('l.id', '=', 's.lot_id'))
    .select(['s.line_no', 'i.sku', 'i.name', 's.quantity', 'l.code as lot', 'l.expires_on'])
    .where('s.org_id', '=', orgId)
    .where('s.scrap_id', '=', id)
    .orderBy('s.line_no')
    .execute();
  const { moves } = await queryMoves(db, orgId, { documentType: SCRAP, documentId: id, limit: 10_000 });
  return {
    id,
    number: documentReference(SCRAP, id),
    warehouse: warehouse.code,
    location: location.code,
    reason: doc.reason,
    note: doc.note,
    status: doc.status,
    createdAt: doc.created_at,
    createdBy: num(doc.created_by),
    lines: lines.map((l) => ({ line: num(l.line_no), sku: l.sku, name: l.name, quantity: toJsonNumber(toBigInt(l.quantity)), lot: l.lot ?? null, expiresOn: l.expires_on ?? null })),
    /** What the scrapped stock was worth (FIFO), the loss to book. */
    value: toJsonNumber(moves.reduce((s, m) => s + (m.value ?? 0n), 0n)),
    moves: moves.map((m) => ({ ...moveView(m), value: m.value === null ? null : toJsonNumber(m.value) })),
    /** Its latest approval flow run (docs/approvals.md), null when none applied. */
    approval: await latestApproval(db, orgId, SCRAP, id),
  };
}

export async function getScrap(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'stock.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'scraps', id);
  return scrapView(ctx.store.read, ctx.actor.orgId, id);
}

/** Newest first; `q` finds a reference (SCR-000012), a SKU or barcode on a line, or a word of the note. */
export async function listScraps(ctx: ServiceContext, filter: { warehouse?: string; reason?: ScrapReason; sku?: string; q?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const lineItems = db
    .selectFrom('scrap_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .select('s.scrap_id')
    .where('s.org_id', '=', orgId);
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  let query = scopeToWarehouses(db.selectFrom('scraps as d').selectAll('d').where('d.org_id', '=', orgId), 'd.warehouse_id', ctx.actor);
  if (filter.warehouse !== undefined) query = query.where('d.warehouse_id', 'in', db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', filter.warehouse));
  if (filter.reason !== undefined) query = query.where('d.reason', '=', filter.reason);
  if (filter.sku !== undefined) query = query.where('d.id', 'in', lineItems.where('i.sku', '=', filter.sku));
  if (filter.q !== undefined && filter.q.trim() !== '') {
    const q = filter.q.trim();
    const refId = referencedId(q, SCRAP);
    query = query.where((eb) =>
      eb.or([
        ...(refId !== undefined ? [eb('d.id', '=', refId)] : []),
        eb(eb.fn('lower', ['d.note']), 'like', likeLower(containsPattern(q))),
        eb('d.id', 'in', lineItems.where((e) => e.or([e('i.sku', '=', q), e('i.barcode', '=', q)]))),
      ]),
    );
  }
  if (filter.after !== undefined) query = query.where('d.id', '<', filter.after);
  const rows = await query.orderBy('d.id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => toView(db, orgId, r)));
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}

export function scrapReasons(ctx: ServiceContext) {
  authorize(ctx.actor, 'stock.view');
  return { items: SCRAP_REASONS.map((r) => ({ code: r.code, name: r.name })) };
}
