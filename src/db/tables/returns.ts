/** Tables of the returns module (see src/modules/returns). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReturnsTables {}
