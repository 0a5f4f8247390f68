import { runCommand } from '../../../app/command.js';
import { conflict } from '../../../core/errors.js';
import { num } from '../../../db/schema.js';
import { Name, Sku, Unit } from '../../../http/schemas.js';
import { nowIso } from '../../../ledger/context.js';
import { toItem, type Tracking } from '../../items/service.js';
import { applyCodeCase, comparableForm } from '../clean.js';
import { CodeIndex } from '../near-duplicates.js';
import { insertMany } from '../bulk.js';
import { RowCheck, where, type CheckedRow, type KindHandler, type PassContext, type RawRow } from '../kind.js';
import { z } from 'zod';
import { KNOWN_UNITS, UnitList } from './units.js';

export interface ItemRow {
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: Tracking;
  category: string | null;
  barcode: string | null;
  /** Reorder settings, scaled like every quantity; null: not set. */
  reorderPoint: bigint | null;
  safetyStock: bigint | null;
  reorderQuantity: bigint | null;
}

const REORDER_FIELDS = ['reorderPoint', 'safetyStock', 'reorderQuantity'] as const;

const TRACKING: Record<string, Tracking> = {
  none: 'none', no: 'none', '无': 'none', '不追踪': 'none', '否': 'none',
  lot: 'lot', batch: 'lot', '批次': 'lot', '批号': 'lot',
  serial: 'serial', sn: 'serial', '序列号': 'serial', '序列': 'serial',
};
const ITEM_COLUMNS = (
  [['org_id', 'bigint'], ['sku', 'text'], ['name', 'text'], ['unit', 'text'], ['unit_precision', 'integer'], ['tracking', 'text'],
    ['barcode', 'text'], ['category', 'text'], ['archived', 'integer'], ['created_at', 'text'], ['updated_at', 'text'],
    ['reorder_point', 'bigint'], ['safety_stock', 'bigint'], ['reorder_quantity', 'bigint']] as const
).map(([name, pgType]) => ({ name, pgType }));
const ShortText = z.string().max(64, 'at most 64 characters');

/** Reads the company's items page by page (ids ascending), never all rows at once. */
export async function* pagesOf<T>(fetch: (after: number) => Promise<Array<T & { id: unknown }>>): AsyncGenerator<T[]> {
  let after = 0;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length === 0) return;
    yield rows;
    after = num(rows[rows.length - 1]!.id as number);
  }
}

export const itemsImport: KindHandler<ItemRow> = {
  permission: 'item.write',
  async start(pass: PassContext) {
    const { ctx, options } = pass;
    const { orgId } = ctx.actor;
    const db = ctx.store.read;
    // Warnings (similar codes, same names) matter in the dry run; the commit only needs the errors.
    const warnings = pass.phase === 'validate';
    const skus = new CodeIndex(warnings);
    const names = new Map<string, { row: number; code: string }>();
    const barcodes = new Map<string, { row: number; code: string }>();
    const units = new UnitList(KNOWN_UNITS, options.units);
    for await (const page of pagesOf((after) =>
      db.selectFrom('items').select(['id', 'sku', 'name', 'unit', 'barcode']).where('org_id', '=', orgId).where('id', '>', after).orderBy('id').limit(5000).execute(),
    )) {
      for (const item of page) {
        skus.add(item.sku, 0);
        const form = comparableForm(item.name);
        if (!names.has(form)) names.set(form, { row: 0, code: item.sku });
        if (item.barcode && !barcodes.has(item.barcode)) barcodes.set(item.barcode, { row: 0, code: item.sku });
        units.add(item.unit);
      }
    }

    const checkRow = (row: RawRow): CheckedRow<ItemRow> => {
      const c = new RowCheck(row);
      const skuCell = c.required('sku');
      const sku = c.schema('sku', Sku, skuCell === undefined ? undefined : applyCodeCase(skuCell, options.codeCase));
      const name = c.schema('name', Name, c.required('name'));
      const unitCell = c.schema('unit', Unit, c.required('unit'));
      let unit: string | undefined;
      if (unitCell !== undefined) {
        unit = units.canonical(unitCell);
        if (unit === undefined) c.error('unit', 'unknown-unit', `unknown unit ${unitCell} (name it in units= to accept it)`);
      }
      const precisionCell = c.integer('unitPrecision', 0, 6);
      const unitPrecision = precisionCell ?? 0;
      const tracking = c.choice('tracking', TRACKING) ?? 'none';
      const category = c.schema('category', ShortText) ?? null;
      const barcode = c.schema('barcode', ShortText) ?? null;
      // Reorder settings: exact decimals in the item's unit, as the item API checks them. With a
      // bad precision cell they are only checked as numbers (the precision error is the one to fix).
      const reorder = {} as Record<(typeof REORDER_FIELDS)[number], bigint | null>;
      const precisionOk = precisionCell !== undefined || c.cell('unitPrecision') === undefined;
      for (const field of REORDER_FIELDS) {
        const value = c.decimal(field, precisionOk ? unitPrecision : 6, precisionOk ? ` (unit precision ${unitPrecision})` : '') ?? null;
        if (value !== null && value < 0n) c.error(field, 'invalid', `${c.cell(field)} must be 0 or more`);
        reorder[field] = value;
      }

      if (sku !== undefined) {
        const match = skus.observe(sku, row.rowNo);
        if (match.exact) {
          if (match.exact.row === 0) c.error('sku', 'exists', `an item with SKU ${sku} already exists`);
          else c.error('sku', 'duplicate', `SKU ${sku} repeats row ${match.exact.row}`);
        } else if (match.sameForm) {
          const message = `SKU ${sku} is the same as ${match.sameForm.code} (${where(match.sameForm.row)}) apart from case, width or separators`;
          if (options.nearDuplicates === 'error') c.error('sku', 'near-duplicate', message);
          else c.warn('sku', 'near-duplicate', message);
        } else if (match.similar) {
          c.warn('sku', 'similar', `SKU ${sku} is one character away from ${match.similar.code} (${where(match.similar.row)})`);
        }
      }
      if (name !== undefined && warnings) {
        const form = comparableForm(name);
        const same = names.get(form);
        if (same) c.warn('name', 'same-name', `the same name as ${same.code} (${where(same.row)})`);
        else names.set(form, { row: row.rowNo, code: sku ?? `row ${row.rowNo}` });
      }
      if (barcode !== null && warnings) {
        const same = barcodes.get(barcode);
        if (same) c.warn('barcode', 'same-barcode', `barcode ${barcode} is also on ${same.code} (${where(same.row)})`);
        else barcodes.set(barcode, { row: row.rowNo, code: sku ?? `row ${row.rowNo}` });
      }
      return c.done(sku !== undefined && name !== undefined && unit !== undefined ? { sku, name, unit, unitPrecision, tracking, category, barcode, ...reorder } : undefined);
    };

    return {
      check: async (rows) => rows.map(checkRow),
      async commit(rows, advance) {
        await runCommand(ctx, async (lt) => {
          const { tx } = lt;
          const at = nowIso();
          const inserted = await insertMany(lt, 'items', ITEM_COLUMNS, rows.map(({ value: v }) => [
            orgId, v!.sku, v!.name, v!.unit, v!.unitPrecision, v!.tracking, v!.barcode, v!.category, 0, at, at,
            v!.reorderPoint, v!.safetyStock, v!.reorderQuantity,
          ]), ['org_id', 'sku']);
          if (inserted.length < rows.length) {
            const made = new Set(inserted.map((r) => r.sku));
            const taken = rows.filter((r) => !made.has(r.value!.sku)).map((r) => `${r.value!.sku} (row ${r.rowNo})`);
            throw conflict(`items were created meanwhile with SKU ${taken.slice(0, 10).join(', ')}`);
          }
          await advance(tx);
          const items = inserted.map(toItem);
          return {
            status: 200,
            body: null,
            audit: { action: 'import.commit', targetType: 'import', targetId: pass.jobId, detail: { kind: 'items', rows: [rows[0]?.rowNo, rows.at(-1)?.rowNo], created: items.length } },
            events: items.map((item) => ({ type: 'item.created', payload: item })),
          };
        });
      },
    };
  },
};
