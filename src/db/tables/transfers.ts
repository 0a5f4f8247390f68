/** Tables of the transfers module (see src/modules/transfers). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TransfersTables {}
