import { sql, type Selectable } from 'kysely';
import { DecimalFormatError, ONE, parseScaled, toJsonNumber } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { StockCountsTable } from '../../db/tables/counts.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { isAvailableKind } from '../../ledger/locations.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { toItem, type Item } from '../items/service.js';
import { createLot, findLot, type Lot } from '../stock/lots.js';
import { unitCosts } from './costs.js';
import { countReference, lastMoveId, lockCountIn, onHandNow, parseScope, STOCK_COUNT, type AbcClass } from './model.js';
import { lockWarehouseCounts, refuseOverlap } from './overlap.js';
import { itemInScope, locationInScope, skuIds } from './scope.js';

export interface CountEntry {
  /** Code of the stock location, zone or bin counted. */
  location: string;
  /** SKU or barcode, as scanned. */
  item: string;
  lot?: string;
  quantity: number;
}

interface CheckedEntry {
  index: number;
  locationId: number;
  locationCode: string;
  item: Item;
  lotCode: string | null;
  lot: Lot | undefined;
  quantity: bigint;
}

/**
 * Record counted quantities. Each entry names a balance (location, item, lot): its line gets the
 * counted quantity and the book quantity at this moment (what the variance is measured against);
 * entering it again replaces both, and every entry stays in the history. A balance the snapshot
 * does not have becomes a new line (found stock). Any bad entry refuses the whole batch.
 */
export async function enterCounts(ctx: ServiceContext, id: number, entries: CountEntry[]) {
  authorize(ctx.actor, 'count.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const count = await lockCountIn(lt, orgId, id, 'in_progress', 'entering counts');
    const warehouseId = num(count.warehouse_id);
    const checked = await checkEntries(tx, orgId, count, entries);

    const lines = new Map(
      (await tx.selectFrom('stock_count_lines').select(['id', 'item_id', 'location_id', 'lot_id', 'line_no']).where('org_id', '=', orgId).where('count_id', '=', id).execute())
        .map((l) => [key(num(l.item_id), num(l.location_id), num(l.lot_id)), { id: num(l.id), lineNo: num(l.line_no), found: false }]),
    );
    let nextLineNo = Math.max(0, ...[...lines.values()].map((l) => l.lineNo)) + 1;
    const costs = await unitCosts(tx, orgId, checked.map((e) => e.item.id));
    const watermark = await lastMoveId(tx, orgId);
    const at = nowIso();
    const lotsCreated = new Map<string, Lot>();
    let foundAny = false;
    const recorded: Array<{ line: number; location: string; sku: string; lot: string | null; counted: number; found: boolean }> = [];

    for (const entry of checked) {
      let lotId = 0;
      if (entry.lotCode !== null) {
        const lotKey = `${entry.item.id}:${entry.lotCode}`;
        const lot = entry.lot ?? lotsCreated.get(lotKey) ?? (await createLot(tx, orgId, entry.item.id, entry.lotCode, null));
        lotsCreated.set(lotKey, lot);
        lotId = lot.id;
      }
      const balance = { itemId: entry.item.id, locationId: entry.locationId, lotId };
      let line = lines.get(key(balance.itemId, balance.locationId, lotId));
      if (!line) {
        if (!foundAny) await lockWarehouseCounts(lt, orgId, warehouseId);
        foundAny = true;
        const row = await tx
          .insertInto('stock_count_lines')
          .values({
            org_id: orgId, count_id: id, line_no: nextLineNo, item_id: balance.itemId, location_id: balance.locationId, lot_id: lotId,
            snapshot_quantity: 0n, unit_cost: costs.get(balance.itemId) ?? 0n, found: 1, state: 'pending',
            counted_quantity: null, book_quantity: null, counted_move_id: null, counted_by: null, counted_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        line = { id: num(row.id), lineNo: nextLineNo++, found: true };
        lines.set(key(balance.itemId, balance.locationId, lotId), line);
      }
      // Stock keeps moving while people count: the variance is measured against the book at this moment.
      const book = await onHandNow(tx, orgId, balance);
      await tx
        .updateTable('stock_count_lines')
        .set({ state: 'counted', counted_quantity: entry.quantity, book_quantity: book, counted_move_id: watermark, counted_by: userId, counted_at: at })
        .where('org_id', '=', orgId)
        .where('id', '=', line.id)
        .execute();
      await tx
        .insertInto('stock_count_entries')
        .values({ org_id: orgId, count_id: id, line_id: line.id, quantity: entry.quantity, book_quantity: book, last_move_id: watermark, entered_by: userId, entered_at: at })
        .execute();
      recorded.push({ line: line.lineNo, location: entry.locationCode, sku: entry.item.sku, lot: entry.lotCode, counted: toJsonNumber(entry.quantity), found: line.found });
    }
    if (foundAny) await refuseOverlap(lt, orgId, id);

    const progress = await tx
      .selectFrom('stock_count_lines')
      .select([sql<string>`count(*)`.as('lines'), sql<string>`sum(case when state = 'counted' then 1 else 0 end)`.as('counted')])
      .where('org_id', '=', orgId)
      .where('count_id', '=', id)
      .executeTakeFirstOrThrow();
    await tx.updateTable('stock_counts').set({ updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const body = { id, number: countReference(id), status: count.status, entries: recorded, progress: { lines: num(progress.lines), counted: num(progress.counted) } };
    return { status: 200, body, audit: { action: 'count.enter', targetType: STOCK_COUNT, targetId: id, detail: { entries: recorded } } };
  });
}

const key = (itemId: number, locationId: number, lotId: number) => `${itemId}:${locationId}:${lotId}`;

/** Every entry checked before anything is written; all problems are reported, by field. */
async function checkEntries(
  tx: Tx, orgId: number, count: Selectable<StockCountsTable>, entries: CountEntry[],
): Promise<CheckedEntry[]> {
  const warehouseId = num(count.warehouse_id);
  const scope = parseScope(count.scope_type, count.scope);
  const scopeItems = scope.type === 'items' ? new Set((await skuIds(tx, orgId, scope.skus)).values()) : undefined;
  const abc = count.abc_classes ? new Map(Object.entries(JSON.parse(count.abc_classes) as Record<string, AbcClass>).map(([k, v]) => [Number(k), v] as const)) : undefined;

  const codes = [...new Set(entries.map((e) => e.location))];
  const locations = new Map(
    (await tx.selectFrom('locations').select(['id', 'code', 'kind', 'warehouse_id']).where('org_id', '=', orgId).where('code', 'in', codes).execute()).map((l) => [l.code, l]),
  );
  const items = await itemsByCode(tx, orgId, entries.map((e) => e.item));

  const errors: FieldError[] = [];
  const checked: CheckedEntry[] = [];
  for (const [index, entry] of entries.entries()) {
    const at = (field: string, message: string) => errors.push({ field: `entries.${index}.${field}`, message });
    const location = locations.get(entry.location);
    let locationOk = false;
    if (!location) at('location', `no location ${entry.location}`);
    else if (location.warehouse_id === null || num(location.warehouse_id) !== warehouseId) at('location', `${entry.location} is not in this count's warehouse`);
    else if (!isAvailableKind(location.kind)) at('location', `${entry.location} is not a stock location, zone or bin`);
    else if (!locationInScope(scope, entry.location)) at('location', `${entry.location} is outside the count's scope`);
    else locationOk = true;

    const item = items.get(entry.item);
    let quantity = 0n;
    if (!item) at('item', `no item with sku or barcode ${entry.item}`);
    else if (!itemInScope(scope, item.id, scopeItems, abc)) at('item', `${item.sku} is outside the count's scope`);
    if (item) {
      try {
        quantity = parseScaled(entry.quantity, item.unitPrecision);
        if (quantity < 0n) at('quantity', 'a counted quantity cannot be negative');
        if (item.tracking === 'serial' && quantity !== 0n && quantity !== ONE) at('quantity', 'a serial number is one unit: count 1 or 0');
      } catch (e) {
        at('quantity', `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})`);
      }
      if (item.tracking === 'none' && entry.lot !== undefined) at('lot', `${item.sku} is not lot or serial tracked`);
      if (item.tracking !== 'none' && entry.lot === undefined) at('lot', `${item.sku} is ${item.tracking} tracked: name the ${item.tracking}`);
    }
    let lot: Lot | undefined;
    if (item && item.tracking !== 'none' && entry.lot !== undefined) {
      lot = await findLot(tx, orgId, item.id, entry.lot);
      if (!lot && quantity === 0n) at('lot', `${item.sku} has no ${item.tracking} ${entry.lot}: nothing to count as zero`);
    }
    if (locationOk && item && location) {
      checked.push({ index, locationId: num(location.id), locationCode: location.code, item, lotCode: item.tracking === 'none' ? null : entry.lot ?? null, lot, quantity });
    }
  }
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return checked;
}

/** Items by SKU or, failing that, by barcode: what a scanner reads. */
async function itemsByCode(tx: Tx, orgId: number, codes: string[]): Promise<Map<string, Item>> {
  const unique = [...new Set(codes)];
  const found = new Map<string, Item>();
  const bySku = await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('sku', 'in', unique).execute();
  for (const row of bySku) found.set(row.sku, toItem(row));
  const rest = unique.filter((c) => !found.has(c));
  if (rest.length > 0) {
    const byBarcode = await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('barcode', 'in', rest).orderBy('id').execute();
    for (const row of byBarcode) if (row.barcode !== null && !found.has(row.barcode)) found.set(row.barcode, toItem(row));
  }
  return found;
}
