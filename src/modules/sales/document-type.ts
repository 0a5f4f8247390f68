/** The ledger's document type of sales orders (reservations, moves, audit targets). */
export const SALES_ORDER = 'sales-order';
