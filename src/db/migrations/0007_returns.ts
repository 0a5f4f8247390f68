import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { orgTable } from './helpers.js';

/** Tables of the returns module. */
export function returnsMigration(dialect: Dialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      void db;
      void dialect;
      void orgTable;
    },
  };
}
