/** Tables of picking: waves, pick tasks, scans, short picks (src/modules/picking). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PickingTables {}
