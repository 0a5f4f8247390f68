import { num } from '../../../db/schema.js';
import { Code, LocationCode, Name } from '../../../http/schemas.js';
import { createLocation, createWarehouse } from '../../warehouses/service.js';
import { applyCodeCase } from '../clean.js';
import { RowCheck, where, type CheckedRow, type KindHandler, type RawRow } from '../kind.js';
import { commandKey, rowFailure, usedKeys, withKey } from './replay.js';

export type LocationRow =
  | { kind: 'warehouse'; code: string; name: string }
  | { kind: 'zone' | 'bin'; code: string; name?: string; warehouse: string; parent?: string; fullCode: string };

const KINDS: Record<string, 'warehouse' | 'zone' | 'bin'> = {
  warehouse: 'warehouse', '仓库': 'warehouse',
  zone: 'zone', area: 'zone', '库区': 'zone', '区域': 'zone',
  bin: 'bin', '库位': 'bin', '货位': 'bin', '储位': 'bin',
};

interface Place {
  row: number;
  kind: string;
  warehouse: string | null;
}

/**
 * Warehouses, zones and bins, in file order: a zone may be the parent of bins in later rows, a
 * warehouse may hold zones in later rows. Committed row by row through the warehouses module's own
 * commands (they create a warehouse's stock, input and rejected locations), with one
 * Idempotency-Key per row.
 */
export const locationsImport: KindHandler<LocationRow> = {
  permission: 'warehouse.write',
  async start(pass) {
    const { ctx, options, jobId } = pass;
    const { orgId } = ctx.actor;
    const db = ctx.store.read;
    const warehouses = new Map<string, number>(); // code -> row (0 = exists)
    const places = new Map<string, Place>(); // full location code -> what it is
    const warehouseIds = new Map<number, string>();
    for (const w of await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).execute()) {
      warehouses.set(w.code, 0);
      warehouseIds.set(num(w.id), w.code);
    }
    for (const l of await db.selectFrom('locations').select(['code', 'kind', 'warehouse_id']).where('org_id', '=', orgId).execute()) {
      places.set(l.code, { row: 0, kind: l.kind, warehouse: l.warehouse_id === null ? null : warehouseIds.get(num(l.warehouse_id)) ?? null });
    }
    const rowKey = (rowNo: number) => commandKey(jobId, `row-${rowNo}`);

    const checkRow = (row: RawRow, replayed: boolean): CheckedRow<LocationRow> => {
      const c = new RowCheck(row);
      const kind = c.required('kind') === undefined ? undefined : c.choice('kind', KINDS);
      const codeCell = c.required('code');
      const code = c.schema('code', Code, codeCell === undefined ? undefined : applyCodeCase(codeCell, options.codeCase));
      if (kind === 'warehouse') {
        const name = c.schema('name', Name, c.required('name'));
        if (code !== undefined) {
          const seen = warehouses.get(code) ?? places.get(code)?.row;
          if (seen !== undefined && !replayed) c.error('code', seen === 0 ? 'exists' : 'duplicate', seen === 0 ? `warehouse or location ${code} already exists` : `warehouse ${code} repeats row ${seen}`);
          if (seen === undefined || replayed) {
            warehouses.set(code, row.rowNo);
            places.set(code, { row: row.rowNo, kind: 'warehouse', warehouse: code });
            places.set(`${code}/Stock`, { row: row.rowNo, kind: 'stock', warehouse: code });
          }
        }
        return c.done(code !== undefined && name !== undefined ? { kind, code, name } : undefined);
      }
      const name = c.schema('name', Name);
      const warehouseCell = kind === undefined ? c.cell('warehouse') : c.required('warehouse');
      const warehouse = warehouseCell === undefined ? undefined : applyCodeCase(warehouseCell, options.codeCase);
      if (warehouse !== undefined && !warehouses.has(warehouse)) c.error('warehouse', 'unknown', `unknown warehouse ${warehouse}`);
      const parentCell = c.schema('parent', LocationCode);
      const parentCode = parentCell ?? (warehouse !== undefined ? `${warehouse}/Stock` : undefined);
      if (parentCode !== undefined && warehouse !== undefined && warehouses.has(warehouse)) {
        const parent = places.get(parentCode);
        if (!parent || parent.warehouse !== warehouse) c.error('parent', 'unknown', `no location ${parentCode} in warehouse ${warehouse} (nor in an earlier row)`);
        else if (parent.kind !== 'stock' && parent.kind !== 'zone') c.error('parent', 'invalid', `${parentCode} is a ${parent.kind}: zones and bins go under the stock location or a zone`);
      }
      let fullCode: string | undefined;
      if (code !== undefined && parentCode !== undefined && kind !== undefined) {
        fullCode = `${parentCode}/${code}`;
        const seen = places.get(fullCode);
        if (seen && !replayed) c.error('code', seen.row === 0 ? 'exists' : 'duplicate', seen.row === 0 ? `location ${fullCode} already exists` : `location ${fullCode} repeats ${where(seen.row)}`);
        if (!seen || replayed) places.set(fullCode, { row: row.rowNo, kind, warehouse: warehouse ?? null });
      }
      return c.done(kind !== undefined && code !== undefined && warehouse !== undefined && fullCode !== undefined
        ? { kind, code, warehouse, fullCode, ...(name ? { name } : {}), ...(parentCell ? { parent: parentCell } : {}) }
        : undefined);
    };

    return {
      async check(rows) {
        const replayed = pass.phase === 'commit' ? await usedKeys(ctx, rows.map((r) => rowKey(r.rowNo))) : new Set<string>();
        return rows.map((r) => checkRow(r, replayed.has(rowKey(r.rowNo))));
      },
      async commit(rows, advance) {
        for (const row of rows) {
          const v = row.value!;
          try {
            if (v.kind === 'warehouse') {
              await createWarehouse(withKey(ctx, rowKey(row.rowNo), v), { code: v.code, name: v.name });
            } else {
              const w = await db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', v.warehouse).executeTakeFirstOrThrow();
              await createLocation(withKey(ctx, rowKey(row.rowNo), v), num(w.id), { code: v.code, kind: v.kind, ...(v.name ? { name: v.name } : {}), ...(v.parent ? { parent: v.parent } : {}) });
            }
          } catch (error) {
            throw rowFailure(row.rowNo, error, 'code');
          }
        }
        await ctx.store.run(advance);
      },
    };
  },
};
