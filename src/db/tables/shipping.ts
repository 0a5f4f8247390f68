/** Tables of the shipping module (see src/modules/shipping). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ShippingTables {}
