import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { PHYSICAL_KINDS } from '../../ledger/locations.js';

export interface Lot {
  id: number;
  code: string;
  expiresOn: string | null;
}

export async function findLot(tx: Tx, orgId: number, itemId: number, code: string): Promise<Lot | undefined> {
  const row = await tx.selectFrom('lots').selectAll().where('org_id', '=', orgId).where('item_id', '=', itemId).where('code', '=', code).executeTakeFirst();
  return row ? { id: num(row.id), code: row.code, expiresOn: row.expires_on } : undefined;
}

export async function createLot(tx: Tx, orgId: number, itemId: number, code: string, expiresOn: string | null): Promise<Lot> {
  const row = await tx
    .insertInto('lots')
    .values({ org_id: orgId, item_id: itemId, code, expires_on: expiresOn, created_at: nowIso() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: num(row.id), code, expiresOn };
}

/** On-hand of one lot (or serial) of an item over the company's physical and in-transit locations. */
export async function lotOnHand(tx: Tx, orgId: number, itemId: number, lotId: number): Promise<bigint> {
  const row = await tx
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .select(sql<string>`coalesce(sum(b.on_hand), 0)`.as('q'))
    .where('b.org_id', '=', orgId)
    .where('b.item_id', '=', itemId)
    .where('b.lot_id', '=', lotId)
    .where('l.kind', 'in', [...PHYSICAL_KINDS, 'transit'])
    .executeTakeFirstOrThrow();
  return toBigInt(row.q);
}

/**
 * On-hand of a serial, with its lot row locked first (a no-op UPDATE takes the row lock on
 * PostgreSQL; SQLite has one writer anyway), so that two documents bringing the same serial back
 * at the same moment are checked one after the other and only one gets it in.
 */
export async function serialOnHand(tx: Tx, orgId: number, itemId: number, lotId: number): Promise<bigint> {
  await tx.updateTable('lots').set({ code: sql`code` }).where('org_id', '=', orgId).where('id', '=', lotId).execute();
  return lotOnHand(tx, orgId, itemId, lotId);
}
