/**
 * Rights per action. Roles are fixed sets of rights for now; configurable roles and warehouse
 * scoping come with the users-and-roles work (see docs/security.md).
 */
export const PERMISSIONS = [
  'item.view', 'item.write',
  'warehouse.view', 'warehouse.write',
  'stock.view', 'stock.adjust',
  'sales.view', 'sales.write', 'sales.confirm', 'sales.ship', 'sales.cancel',
  'user.manage', 'audit.view',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'manager', 'sales', 'clerk', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const VIEW: Permission[] = ['item.view', 'warehouse.view', 'stock.view', 'sales.view'];

const RIGHTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set(PERMISSIONS.filter((p) => p !== 'user.manage')),
  sales: new Set<Permission>([...VIEW, 'sales.write', 'sales.confirm', 'sales.cancel']),
  clerk: new Set<Permission>([...VIEW, 'stock.adjust', 'sales.ship']),
  viewer: new Set<Permission>(VIEW),
};

export function hasPermission(role: string, permission: Permission): boolean {
  return RIGHTS[role as Role]?.has(permission) ?? false;
}
