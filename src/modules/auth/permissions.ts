/**
 * Rights per action, and the built-in roles as sets of rights. Companies add their own roles
 * (table `roles`, src/modules/users); a custom role may not take a built-in role's name.
 */
export const PERMISSIONS = [
  'item.view', 'item.write',
  'warehouse.view', 'warehouse.write',
  'partner.view', 'partner.write',
  'stock.view', 'stock.adjust', 'stock.move', 'stock.scrap',
  'sales.view', 'sales.write', 'sales.confirm', 'sales.ship', 'sales.cancel',
  'purchase.view', 'purchase.write', 'purchase.approve',
  'receipt.post',
  'transfer.view', 'transfer.write',
  'count.view', 'count.write', 'count.approve',
  'pick.view', 'pick.write',
  'webhook.manage', 'event.view', 'import.run', 'export.run',
  'approval.manage', 'approval.decide',
  'report.view_cost', 'valuation.view', 'period.close',
  'user.manage', 'audit.view', 'settings.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `clerk` is the warehouse clerk (the stored name existing data uses). */
export const ROLES = ['admin', 'manager', 'purchaser', 'sales', 'clerk', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const VIEW: Permission[] = ['item.view', 'warehouse.view', 'partner.view', 'stock.view', 'sales.view', 'purchase.view', 'transfer.view', 'count.view', 'pick.view'];

const RIGHTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((p) => p !== 'user.manage' && p !== 'settings.manage')),
  // Buyers price purchase orders; sales reps price sales orders: both see costs and prices.
  purchaser: new Set<Permission>([...VIEW, 'partner.write', 'purchase.write', 'purchase.approve', 'report.view_cost']),
  sales: new Set<Permission>([...VIEW, 'partner.write', 'sales.write', 'sales.confirm', 'sales.cancel', 'report.view_cost']),
  clerk: new Set<Permission>([...VIEW, 'stock.adjust', 'stock.move', 'stock.scrap', 'sales.ship', 'receipt.post', 'transfer.write', 'count.write', 'pick.write']),
  finance: new Set<Permission>([...VIEW, 'report.view_cost', 'valuation.view', 'period.close', 'count.approve', 'export.run', 'audit.view']),
  viewer: new Set<Permission>(VIEW),
};

export const isBuiltInRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);
export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);

/** The rights of a built-in role; undefined for any other name. */
export function builtInRights(role: string): ReadonlySet<Permission> | undefined {
  return isBuiltInRole(role) ? RIGHTS[role] : undefined;
}

export function hasPermission(role: string, permission: Permission): boolean {
  return builtInRights(role)?.has(permission) ?? false;
}
