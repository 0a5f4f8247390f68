import type { Kysely, Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { TransfersTable, TransferStatus } from '../../db/tables/transfers.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { queryMoves } from '../../ledger/queries.js';
import { authorize, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';
import { requireTransferWarehouse } from '../users/scope.js';
import { containsPattern, likeLower, moveView, referencedId } from './shared.js';

export const TRANSFER = 'transfer';

/** One transfer line with what it shipped of each lot (lot 0: not tracked) and what became of it. */
export interface TransferLineState {
  id: number;
  lineNo: number;
  itemId: number;
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: string;
  quantity: bigint;
  lots: Array<{ rowId: number; lotId: number; lot: string | null; expiresOn: string | null; shipped: bigint; received: bigint; difference: bigint; inTransit: bigint }>;
}

export async function transferLines(db: Kysely<DB> | Tx, orgId: number, transferId: number): Promise<TransferLineState[]> {
  const lines = await db
    .selectFrom('transfer_lines as t')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.item_id'))
    .select(['t.id', 't.line_no', 't.item_id', 'i.sku', 'i.name', 'i.unit', 'i.unit_precision', 'i.tracking', 't.quantity'])
    .where('t.org_id', '=', orgId)
    .where('t.transfer_id', '=', transferId)
    .orderBy('t.line_no')
    .execute();
  const lots = await db
    .selectFrom('transfer_line_lots as x')
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'x.org_id').onRef('l.id', '=', 'x.lot_id'))
    .select(['x.id', 'x.line_id', 'x.lot_id', 'l.code', 'l.expires_on', 'x.shipped', 'x.received', 'x.difference'])
    .where('x.org_id', '=', orgId)
    .where('x.transfer_id', '=', transferId)
    .execute();
  return lines.map((l) => ({
    id: num(l.id),
    lineNo: num(l.line_no),
    itemId: num(l.item_id),
    sku: l.sku,
    name: l.name,
    unit: l.unit,
    unitPrecision: num(l.unit_precision),
    tracking: l.tracking,
    quantity: toBigInt(l.quantity),
    lots: lots
      .filter((x) => num(x.line_id) === num(l.id))
      .map((x) => {
        const shipped = toBigInt(x.shipped);
        const received = toBigInt(x.received);
        const difference = toBigInt(x.difference);
        return { rowId: num(x.id), lotId: num(x.lot_id), lot: x.code ?? null, expiresOn: x.expires_on ?? null, shipped, received, difference, inTransit: shipped - received - difference };
      })
      // Receipts without a named lot take the lots in the order they were shipped: first expiring first.
      .sort((a, b) => (a.expiresOn ?? '9999-12-31').localeCompare(b.expiresOn ?? '9999-12-31') || a.lotId - b.lotId),
  }));
}

const total = (lots: TransferLineState['lots'], key: 'shipped' | 'received' | 'difference' | 'inTransit') => lots.reduce((s, l) => s + l[key], 0n);

export async function transferView(db: Kysely<DB> | Tx, orgId: number, id: number) {
  const doc = await db.selectFrom('transfers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!doc) throw notFound(`transfer ${id}`);
  return toView(db, orgId, doc);
}

async function toView(db: Kysely<DB> | Tx, orgId: number, doc: Selectable<TransfersTable>) {
  const id = num(doc.id);
  const warehouses = await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).where('id', 'in', [num(doc.from_warehouse_id), num(doc.to_warehouse_id)]).execute();
  const code = (wid: unknown) => warehouses.find((w) => num(w.id) === num(wid as number))?.code ?? '';
  const lines = await transferLines(db, orgId, id);
  const { moves } = await queryMoves(db, orgId, { documentType: TRANSFER, documentId: id, limit: 10_000 });
  return {
    id,
    number: documentReference(TRANSFER, id),
    status: doc.status,
    from: code(doc.from_warehouse_id),
    to: code(doc.to_warehouse_id),
    expectedOn: doc.expected_on,
    note: doc.note,
    lines: lines.map((l) => ({
      line: l.lineNo,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: toJsonNumber(l.quantity),
      shipped: toJsonNumber(total(l.lots, 'shipped')),
      received: toJsonNumber(total(l.lots, 'received')),
      inTransit: toJsonNumber(total(l.lots, 'inTransit')),
      difference: toJsonNumber(total(l.lots, 'difference')),
      lots: l.lots
        .filter((x) => x.lotId !== 0)
        .map((x) => ({ lot: x.lot!, expiresOn: x.expiresOn, shipped: toJsonNumber(x.shipped), received: toJsonNumber(x.received), inTransit: toJsonNumber(x.inTransit), difference: toJsonNumber(x.difference) })),
    })),
    receipts: num(doc.receipt_count),
    createdAt: doc.created_at,
    createdBy: num(doc.created_by),
    shippedAt: doc.shipped_at,
    receivedAt: doc.received_at,
    closedAt: doc.closed_at,
    cancelledAt: doc.cancelled_at,
    moves: moves.map(moveView),
  };
}

export type TransferView = Awaited<ReturnType<typeof toView>>;

export async function getTransfer(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'transfer.view');
  await requireTransferWarehouse(ctx.store.read, ctx.actor, id, 'either');
  return transferView(ctx.store.read, ctx.actor.orgId, id);
}

/** Newest first; `q` finds a reference (TR-000012), a SKU or barcode on a line, or a word of the note. */
export async function listTransfers(ctx: ServiceContext, filter: { status?: TransferStatus; from?: string; to?: string; sku?: string; q?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'transfer.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const warehouseId = (code: string) => db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', code);
  const lineItems = db
    .selectFrom('transfer_lines as t')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.item_id'))
    .select('t.transfer_id')
    .where('t.org_id', '=', orgId);
  let query = db.selectFrom('transfers as d').selectAll('d').where('d.org_id', '=', orgId);
  if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
  // Warehouse scope: transfers from or to a visible warehouse.
  const scope = visibleWarehouseIds(ctx.actor);
  if (scope !== null) query = query.where((eb) => eb.or([eb('d.from_warehouse_id', 'in', [-1, ...scope]), eb('d.to_warehouse_id', 'in', [-1, ...scope])]));
  if (filter.from !== undefined) query = query.where('d.from_warehouse_id', 'in', warehouseId(filter.from));
  if (filter.to !== undefined) query = query.where('d.to_warehouse_id', 'in', warehouseId(filter.to));
  if (filter.sku !== undefined) query = query.where('d.id', 'in', lineItems.where('i.sku', '=', filter.sku));
  if (filter.q !== undefined && filter.q.trim() !== '') {
    const q = filter.q.trim();
    const refId = referencedId(q, TRANSFER);
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
