import { toJsonNumber } from '../../core/decimal.js';
import type { Tx } from '../../db/store.js';
import { queryMoves } from '../../ledger/queries.js';

/** The moves documents of one type posted, in posting order, as document views show them. */
export async function documentMoves(tx: Tx, orgId: number, documentType: string, documentIds: number[]) {
  const all = [];
  for (const documentId of documentIds) {
    const { moves } = await queryMoves(tx, orgId, { documentType, documentId, limit: 10_000 });
    all.push(...moves);
  }
  return all
    .sort((a, b) => a.id - b.id)
    .map((m) => ({
      id: m.id,
      sku: m.sku,
      from: m.from,
      to: m.to,
      quantity: toJsonNumber(m.quantity),
      lot: m.lot,
      document: m.document,
      unitCost: m.unitCost === null ? null : toJsonNumber(m.unitCost),
      value: m.value === null ? null : toJsonNumber(m.value),
      postedAt: m.postedAt,
    }));
}
