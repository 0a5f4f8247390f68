/** Tables of the counts module (see src/modules/counts). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CountsTables {}
