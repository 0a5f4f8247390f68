/** Tables of users, roles, warehouse scopes, login security (src/modules/users). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface UserTables {}
