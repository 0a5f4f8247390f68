import { num } from '../db/schema.js';
import type { Tx } from '../db/store.js';

/** The company's virtual location of a kind (customers, suppliers, scrap, ...): the other side of a move. */
export async function virtualLocation(tx: Tx, orgId: number, kind: 'adjustment' | 'customer' | 'supplier' | 'scrap' | 'production' | 'transit'): Promise<number> {
  const row = await tx.selectFrom('locations').select('id').where('org_id', '=', orgId).where('kind', '=', kind).where('warehouse_id', 'is', null).orderBy('id').limit(1).executeTakeFirst();
  if (!row) throw new Error(`company ${orgId} has no ${kind} location`);
  return num(row.id);
}
