import { num } from '../../db/schema.js';
import { authorize, type ServiceContext } from '../../app/context.js';

/** The append-only audit log, newest first. */
export async function auditTrail(ctx: ServiceContext, filter: { action?: string; targetType?: string; targetId?: string; before?: number; limit: number }) {
  authorize(ctx.actor, 'audit.view');
  let query = ctx.store.read.selectFrom('audit_log').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map((r) => ({
    id: num(r.id),
    at: r.at,
    userId: r.user_id === null ? null : num(r.user_id),
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    requestId: r.request_id,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
  }));
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}
