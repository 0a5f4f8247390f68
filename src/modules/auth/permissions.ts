/**
 * Rights per action. Roles are fixed sets of rights for now; configurable roles and warehouse
 * scoping come with the users-and-roles work (see docs/security.md).
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
  'webhook.manage', 'import.run', 'export.run',
  'approval.manage', 'approval.decide',
  'report.view_cost',
  'user.manage', 'audit.view', 'settings.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'manager', 'purchaser', 'sales', 'clerk', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const VIEW: Permission[] = ['item.view', 'warehouse.view', 'partner.view', 'stock.view', 'sales.view', 'purchase.view', 'transfer.view', 'count.view', 'pick.view'];

const RIGHTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((p) => p !== 'user.manage' && p !== 'settings.manage')),
  purchaser: new Set<Permission>([...VIEW, 'partner.write', 'purchase.write', 'purchase.approve']),
  sales: new Set<Permission>([...VIEW, 'partner.write', 'sales.write', 'sales.confirm', 'sales.cancel']),
  clerk: new Set<Permission>([...VIEW, 'stock.adjust', 'stock.move', 'stock.scrap', 'sales.ship', 'receipt.post', 'transfer.write', 'count.write', 'pick.write']),
  viewer: new Set<Permission>(VIEW),
};

export function hasPermission(role: string, permission: Permission): boolean {
  return RIGHTS[role as Role]?.has(permission) ?? false;
}
