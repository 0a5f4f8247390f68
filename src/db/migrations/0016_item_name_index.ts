import type { Kysely } from 'kysely';

/**
 * The items screen sorts by name with page numbers: without an index the last page of 100,000
 * items sorts the whole table (~600 ms); with (org, name, id) it walks the index.
 */
export function itemNameIndexMigration() {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('items_name_idx').on('items').columns(['org_id', 'name', 'id']).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('items_name_idx').execute();
    },
  };
}
