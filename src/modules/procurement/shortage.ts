import { formatScaled } from '../../core/decimal.js';
import { insufficientStock, type FieldError } from '../../core/errors.js';
import { postMoves, StockShortage, type MoveRequest, type PostingRequest } from '../../ledger/post.js';
import type { LedgerTx } from '../../ledger/context.js';

/**
 * Post, turning a ledger shortage into 409 insufficient-stock naming the request lines whose moves
 * came from the short balance. `lineOf` gives the request line index of each move.
 */
export async function postOrShort(lt: LedgerTx, request: PostingRequest, lineOf: (move: MoveRequest, index: number) => { index: number; sku: string; field: string }) {
  try {
    return await postMoves(lt, request);
  } catch (error) {
    if (!(error instanceof StockShortage)) throw error;
    const errors: FieldError[] = [];
    for (const s of error.shortages) {
      request.moves.forEach((m, i) => {
        if (m.itemId !== s.itemId || m.lotId !== s.lotId || m.fromLocationId !== s.locationId) return;
        const line = lineOf(m, i);
        const field = `lines.${line.index}.${line.field}`;
        if (!errors.some((e) => e.field === field)) errors.push({ field, message: `only ${formatScaled(s.available)} of ${line.sku} there` });
      });
    }
    throw insufficientStock(`not enough stock: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, undefined, errors);
  }
}
