import { moveJson } from '../stock/move-json.js';
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
    .map(moveJson);
}
