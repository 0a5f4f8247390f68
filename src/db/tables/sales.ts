/** Tables of sales orders beyond the basic lifecycle (src/modules/sales). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SalesOrderTables {}
