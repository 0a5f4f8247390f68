/** Tables of approval flows (src/modules/approvals). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ApprovalTables {}
