import type { Tx } from '../db/store.js';
import type { Dialect } from '../db/dialect.js';
import type { SelectQueryBuilder } from 'kysely';

/** What ledger operations need: the command's transaction and the engine it runs on. */
export interface LedgerTx {
  tx: Tx;
  dialect: Dialect;
}

/** Row locks only exist on PostgreSQL; SQLite has one writer (BEGIN IMMEDIATE) instead. */
export function lockRows<DB, TB extends keyof DB, O>(
  lt: LedgerTx,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return lt.dialect === 'postgres' ? query.forUpdate() : query;
}

export const nowIso = () => new Date().toISOString();
