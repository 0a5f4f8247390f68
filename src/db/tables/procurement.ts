/** Tables of the procurement module (see src/modules/procurement). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProcurementTables {}
