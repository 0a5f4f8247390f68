import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';

/**
 * The warehouse's Discrepancy location (kind `hold`, code `<WH>/Discrepancy`), created on first
 * use: a short pick moves the missing quantity there, so on hand is unchanged until the bin is
 * counted or the quantity written off, and nobody can reserve it meanwhile.
 */
export async function holdLocation(lt: LedgerTx, orgId: number, warehouseId: number): Promise<number> {
  const existing = await findHold(lt, orgId, warehouseId);
  if (existing !== undefined) return existing;
  const warehouse = await lt.tx
    .selectFrom('warehouses')
    .select(['code', 'view_location_id'])
    .where('org_id', '=', orgId)
    .where('id', '=', warehouseId)
    .executeTakeFirstOrThrow();
  await lt.tx
    .insertInto('locations')
    .values({
      org_id: orgId, code: `${warehouse.code}/Discrepancy`, name: 'Discrepancy (short picks to count)', kind: 'hold',
      warehouse_id: warehouseId, parent_id: warehouse.view_location_id === null ? null : num(warehouse.view_location_id), created_at: nowIso(),
    })
    // Two short picks creating it at once: the second finds the first one's row.
    .onConflict((oc) => oc.columns(['org_id', 'code']).doNothing())
    .execute();
  const created = await findHold(lt, orgId, warehouseId);
  if (created === undefined) throw new Error(`location ${warehouse.code}/Discrepancy exists but is not a hold location of its warehouse`);
  return created;
}

async function findHold(lt: LedgerTx, orgId: number, warehouseId: number): Promise<number | undefined> {
  const row = await lt.tx
    .selectFrom('locations')
    .select('id')
    .where('org_id', '=', orgId)
    .where('warehouse_id', '=', warehouseId)
    .where('kind', '=', 'hold')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? num(row.id) : undefined;
}
