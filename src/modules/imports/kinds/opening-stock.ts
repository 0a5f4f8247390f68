import { sql } from 'kysely';
import { DecimalFormatError, ONE, toJsonNumber, valueOf } from '../../../core/decimal.js';
import { isCalendarDate } from '../../../core/text.js';
import { num } from '../../../db/schema.js';
import { LotCode } from '../../../http/schemas.js';
import { PHYSICAL_KINDS } from '../../../ledger/locations.js';
import { postAdjustment, type AdjustmentInput } from '../../adjustments/service.js';
import { applyCodeCase } from '../clean.js';
import { RowCheck, where, type CheckedRow, type KindHandler, type RawRow } from '../kind.js';
import { commandKey, rowFailure, usedKeys, withKey } from './replay.js';

export interface OpeningStockRow {
  warehouse: string;
  location: string | null;
  sku: string;
  quantity: bigint;
  unitCost: bigint | null;
  lot: string | null;
  expiresOn: string | null;
}

interface ItemInfo {
  id: number;
  precision: number;
  tracking: string;
  archived: boolean;
}

/** 2027/1/5, 2027.01.05 -> 2027-01-05; anything else unchanged for the date check. */
function dateCell(text: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : text;
}

/**
 * Opening stock (期初库存): quantities that are in the warehouses when Cangku starts. Posted
 * through the ledger exactly like inventory adjustments (from Virtual/Inventory adjustment into
 * the warehouse, valued at the unit cost): each chunk of rows becomes one adjustment per warehouse
 * and location, each with an Idempotency-Key derived from the job and the chunk, so a commit that
 * is resumed or repeated never adds the stock twice.
 */
export const openingStockImport: KindHandler<OpeningStockRow> = {
  permission: 'stock.adjust',
  async start(pass) {
    const { ctx, options, jobId } = pass;
    const { orgId } = ctx.actor;
    const db = ctx.store.read;
    const warehouses = new Map<string, number>();
    for (const w of await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).execute()) warehouses.set(w.code, num(w.id));
    const locationsOf = new Map<number, Set<string>>();
    const physicalLocations = async (warehouseId: number) => {
      let codes = locationsOf.get(warehouseId);
      if (!codes) {
        const rows = await db.selectFrom('locations').select('code').where('org_id', '=', orgId).where('warehouse_id', '=', warehouseId).where('kind', 'in', [...PHYSICAL_KINDS]).execute();
        codes = new Set(rows.map((r) => r.code));
        locationsOf.set(warehouseId, codes);
      }
      return codes;
    };
    // Lots named in the file: item:lot -> expiry and row, so two rows cannot give one lot two dates.
    const lotsSeen = new Map<string, { expiresOn: string | null; row: number }>();
    const serialsSeen = new Map<string, number>();
    const groupKey = (firstRow: number, group: number) => commandKey(jobId, `rows-${firstRow}-${group}`);

    async function check(rows: RawRow[]): Promise<CheckedRow<OpeningStockRow>[]> {
      // A chunk whose first adjustment was posted already (a resumed commit) is not checked against
      // the stock it added itself; its commands replay.
      const replayed = pass.phase === 'commit' && (await usedKeys(ctx, rows.map((r) => groupKey(r.rowNo, 0)))).size > 0;
      const skus = [...new Set(rows.map((r) => r.cells.sku).filter((s): s is string => !!s).map((s) => applyCodeCase(s, options.codeCase)))];
      const items = new Map<string, ItemInfo>();
      for (let i = 0; i < skus.length; i += 500) {
        const found = await db.selectFrom('items').select(['id', 'sku', 'unit_precision', 'tracking', 'archived']).where('org_id', '=', orgId).where('sku', 'in', skus.slice(i, i + 500)).execute();
        for (const item of found) items.set(item.sku, { id: num(item.id), precision: num(item.unit_precision), tracking: item.tracking, archived: num(item.archived) === 1 });
      }
      // Existing lots of these items (expiry must agree) and serials already on hand.
      const lotCodes = [...new Set(rows.flatMap((r) => [r.cells.lot, r.cells.serial]).filter((s): s is string => !!s))];
      const existingLots = new Map<string, { id: number; expiresOn: string | null }>();
      const onHandSerials = new Set<string>();
      const itemIds = [...items.values()].map((i) => i.id);
      if (lotCodes.length > 0 && itemIds.length > 0) {
        for (let i = 0; i < lotCodes.length; i += 500) {
          const lots = await db.selectFrom('lots').select(['id', 'item_id', 'code', 'expires_on']).where('org_id', '=', orgId).where('item_id', 'in', itemIds).where('code', 'in', lotCodes.slice(i, i + 500)).execute();
          for (const lot of lots) existingLots.set(`${num(lot.item_id)}:${lot.code}`, { id: num(lot.id), expiresOn: lot.expires_on });
        }
        const serialLots = [...existingLots.values()].map((l) => l.id);
        for (let i = 0; i < serialLots.length; i += 500) {
          const held = await db.selectFrom('balances as b')
            .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
            .select(['b.item_id', 'b.lot_id'])
            .where('b.org_id', '=', orgId).where('b.lot_id', 'in', serialLots.slice(i, i + 500)).where('l.kind', 'in', [...PHYSICAL_KINDS, 'transit'])
            .groupBy(['b.item_id', 'b.lot_id']).having(sql`sum(b.on_hand)`, '>', 0).execute();
          for (const h of held) onHandSerials.add(`${num(h.item_id)}:${num(h.lot_id)}`);
        }
      }

      const out: CheckedRow<OpeningStockRow>[] = [];
      for (const row of rows) {
        const c = new RowCheck(row);
        const warehouseCell = c.required('warehouse');
        const warehouse = warehouseCell === undefined ? undefined : applyCodeCase(warehouseCell, options.codeCase);
        const warehouseId = warehouse === undefined ? undefined : warehouses.get(warehouse);
        if (warehouse !== undefined && warehouseId === undefined) c.error('warehouse', 'unknown', `unknown warehouse ${warehouse}`);
        const location = c.cell('location') ?? null;
        if (location !== null && warehouseId !== undefined && !(await physicalLocations(warehouseId)).has(location)) {
          c.error('location', 'unknown', `no stock location ${location} in warehouse ${warehouse}`);
        }
        const skuCell = c.required('sku');
        const sku = skuCell === undefined ? undefined : applyCodeCase(skuCell, options.codeCase);
        const item = sku === undefined ? undefined : items.get(sku);
        if (sku !== undefined && !item) c.error('sku', 'unknown', `unknown SKU ${sku}`);
        if (item?.archived) c.error('sku', 'invalid', `item ${sku} is archived`);

        const quantityCell = c.required('quantity');
        let quantity: bigint | undefined;
        if (quantityCell !== undefined && item) {
          quantity = c.decimal('quantity', item.precision, ` (precision of ${sku}: ${item.precision})`);
          if (quantity !== undefined && quantity <= 0n) {
            c.error('quantity', 'invalid', 'opening stock must be more than 0');
            quantity = undefined;
          }
        } else if (quantityCell !== undefined) {
          c.decimal('quantity', 6);
        }
        const unitCost = c.decimal('unitCost', 6) ?? null;
        if (unitCost !== null && unitCost < 0n) c.error('unitCost', 'invalid', 'must not be negative');
        if (unitCost !== null && quantity !== undefined) {
          try {
            valueOf(quantity, unitCost);
          } catch (e) {
            c.error('unitCost', 'invalid', e instanceof DecimalFormatError ? e.message : 'is out of range');
          }
        }

        const lotCell = c.schema('lot', LotCode);
        const serialCell = c.schema('serial', LotCode);
        let lot: string | null = null;
        if (item) {
          if (item.tracking === 'none') {
            if (lotCell || serialCell) c.error(lotCell ? 'lot' : 'serial', 'invalid', `${sku} is not lot or serial tracked`);
          } else if (item.tracking === 'lot') {
            if (!lotCell) c.error('lot', 'missing', `${sku} is lot tracked: name the lot`);
            if (serialCell) c.error('serial', 'invalid', `${sku} is lot tracked, not serial`);
            lot = lotCell ?? null;
          } else {
            if (serialCell && lotCell && serialCell !== lotCell) c.error('serial', 'invalid', 'serial and lot differ: give the serial number once');
            lot = serialCell ?? lotCell ?? null;
            if (!lot) c.error('serial', 'missing', `${sku} is serial tracked: name the serial number`);
            if (quantity !== undefined && quantity !== ONE) c.error('quantity', 'invalid', 'a serial number is one unit: quantity 1');
          }
        }
        const expiryCell = c.cell('expiresOn');
        let expiresOn: string | null = null;
        if (expiryCell !== undefined) {
          expiresOn = dateCell(expiryCell);
          if (!isCalendarDate(expiresOn)) {
            c.error('expiresOn', 'invalid', `${expiryCell} must be a date YYYY-MM-DD`);
            expiresOn = null;
          } else if (item && item.tracking === 'none') {
            c.error('expiresOn', 'invalid', 'an expiry date belongs to a lot');
          }
        }
        if (item && lot !== null) {
          const key = `${item.id}:${lot}`;
          const existing = existingLots.get(key);
          if (existing && expiresOn !== null && existing.expiresOn !== expiresOn) c.error('expiresOn', 'invalid', `lot ${lot} already expires on ${existing.expiresOn ?? 'no date'}`);
          const earlier = lotsSeen.get(key);
          if (earlier && expiresOn !== null && earlier.expiresOn !== null && earlier.expiresOn !== expiresOn) c.error('expiresOn', 'invalid', `lot ${lot} expires on ${earlier.expiresOn} in ${where(earlier.row)}`);
          if (!earlier || (earlier.expiresOn === null && expiresOn !== null)) lotsSeen.set(key, { expiresOn, row: row.rowNo });
          if (item.tracking === 'serial') {
            const first = serialsSeen.get(key);
            if (first !== undefined) c.error('serial', 'duplicate', `serial ${lot} of ${sku} repeats row ${first}`);
            else serialsSeen.set(key, row.rowNo);
            if (!replayed && existing && onHandSerials.has(`${item.id}:${existing.id}`)) c.error('serial', 'exists', `serial ${lot} of ${sku} is already in stock`);
          }
        }
        out.push(c.done(warehouse !== undefined && warehouseId !== undefined && sku !== undefined && item && quantity !== undefined
          ? { warehouse, location, sku, quantity, unitCost, lot, expiresOn }
          : undefined));
      }
      return out;
    }

    return {
      check,
      async commit(rows, advance) {
        // One adjustment per warehouse and location of the chunk, in order of first appearance.
        const groups = new Map<string, Array<CheckedRow<OpeningStockRow>>>();
        for (const row of rows) {
          const key = `${row.value!.warehouse}\u0000${row.value!.location ?? ''}`;
          const group = groups.get(key) ?? [];
          group.push(row);
          groups.set(key, group);
        }
        let index = 0;
        for (const group of groups.values()) {
          const first = group[0]!.value!;
          const input: AdjustmentInput = {
            warehouse: first.warehouse,
            ...(first.location ? { location: first.location } : {}),
            reason: `opening stock (import ${jobId})`,
            lines: group.map(({ value: v }) => ({
              sku: v!.sku,
              quantity: toJsonNumber(v!.quantity),
              ...(v!.lot ? { lot: v!.lot } : {}),
              ...(v!.expiresOn ? { expiresOn: v!.expiresOn } : {}),
              ...(v!.unitCost !== null ? { unitCost: toJsonNumber(v!.unitCost) } : {}),
            })),
          };
          try {
            await postAdjustment(withKey(ctx, groupKey(rows[0]!.rowNo, index), input), input);
          } catch (error) {
            const line = Number(/^lines\.(\d+)\./.exec((error as { errors?: Array<{ field: string }> }).errors?.[0]?.field ?? '')?.[1] ?? 0);
            throw rowFailure(group[line]?.rowNo ?? group[0]!.rowNo, error, 'quantity');
          }
          index++;
        }
        await ctx.store.run(advance);
      },
    };
  },
};
