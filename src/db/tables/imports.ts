/** Tables of spreadsheet import jobs (src/modules/imports). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ImportTables {}
