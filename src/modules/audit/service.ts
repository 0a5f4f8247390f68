import { num } from '../../db/schema.js';
import { authorize, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';

export interface AuditFilter {
  /** Exact action, or a prefix ending in `*` (`user.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  userId?: number;
  requestId?: string;
  ip?: string;
  /** ISO timestamps or dates, inclusive from, exclusive to. */
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

/** Fields that differ between `before` and `after` of a master-data change. */
function changes(detail: unknown): Array<{ field: string; before: unknown; after: unknown }> | undefined {
  if (!detail || typeof detail !== 'object') return undefined;
  const { before, after } = detail as { before?: Record<string, unknown>; after?: Record<string, unknown> };
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return undefined;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return fields.map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

/**
 * The append-only audit log, newest first: who (userId), what (action, target, detail with
 * before/after for master data), when (at), from where (ip, requestId). A user limited to some
 * warehouses sees only the entries they wrote themselves: entries are not tied to a warehouse.
 */
export async function auditTrail(ctx: ServiceContext, filter: AuditFilter) {
  authorize(ctx.actor, 'audit.view');
  let query = ctx.store.read.selectFrom('audit_log').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (visibleWarehouseIds(ctx.actor) !== null) query = query.where('user_id', '=', ctx.actor.userId);
  if (filter.action) {
    query = filter.action.endsWith('*')
      ? query.where('action', 'like', `${filter.action.slice(0, -1)}%`) // a wider match on % or _ only widens the search
      : query.where('action', '=', filter.action);
  }
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.ip) query = query.where('client_ip', '=', filter.ip);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map((r) => {
    const detail = r.detail === null ? null : (JSON.parse(r.detail) as unknown);
    const changed = changes(detail);
    return {
      id: num(r.id),
      at: r.at,
      userId: r.user_id === null ? null : num(r.user_id),
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      requestId: r.request_id,
      ip: r.client_ip ?? null,
      detail,
      ...(changed ? { changes: changed } : {}),
    };
  });
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}
