import { sql, type Kysely } from 'kysely';

/**
 * FIFO consumption looks up an item's layers with stock left. Almost every layer of a busy item is
 * used up; an index over the open ones keeps that lookup independent of the item's history.
 */
export function openLayersMigration() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`CREATE INDEX valuation_layers_open_idx ON valuation_layers (org_id, item_id, id) WHERE remaining_quantity > 0`.execute(db);
    },
  };
}
