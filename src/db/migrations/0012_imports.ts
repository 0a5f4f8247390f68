import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/** Tables of spreadsheet import jobs (src/modules/imports). */
export function importsMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  void big; void table;
  return {
    async up(_db: Kysely<any>): Promise<void> {},
  };
}
