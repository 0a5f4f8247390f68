import { toJsonNumber } from '../../core/decimal.js';
import type { MoveRow } from '../../ledger/queries.js';

/** A move as the API shows it: quantities and money as JSON numbers. */
export function moveJson(m: MoveRow) {
  return {
    id: m.id,
    sku: m.sku,
    from: m.from,
    to: m.to,
    quantity: toJsonNumber(m.quantity),
    lot: m.lot,
    document: m.document,
    documentType: m.documentType,
    documentId: m.documentId,
    unitCost: m.unitCost === null ? null : toJsonNumber(m.unitCost),
    value: m.value === null ? null : toJsonNumber(m.value),
    postedAt: m.postedAt,
  };
}
