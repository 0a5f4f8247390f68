import { num } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { warehouseByCode } from '../warehouses/service.js';
import { STOCK_COUNT, type CountScope } from './model.js';
import { checkScope } from './scope.js';
import { countView } from './view.js';

export interface NewCount {
  warehouse: string;
  scope: CountScope;
  /** Counters do not see book quantities (default). */
  blind?: boolean;
  note?: string;
}

/** A draft count: what and where to count. Nothing is read from the ledger until it starts. */
export async function createCount(ctx: ServiceContext, input: NewCount) {
  authorize(ctx.actor, 'count.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const scope = await checkScope(tx, orgId, warehouse, input.scope);
    const { type, ...rest } = scope;
    const at = nowIso();
    const row = await tx
      .insertInto('stock_counts')
      .values({
        org_id: orgId, warehouse_id: warehouse.id, scope_type: type, scope: JSON.stringify(rest), abc_classes: null,
        blind: input.blind === false ? 0 : 1, note: input.note ?? null, status: 'draft', start_move_id: null, uncounted: null,
        approval_required: 0, variance_value: null, reason_code: null, lines_total: null, lines_accurate: null,
        line_accuracy: null, value_accuracy: null, created_by: userId, created_at: at, updated_at: at,
        started_by: null, started_at: null, submitted_by: null, submitted_at: null, approved_by: null, approved_at: null,
        rejected_by: null, rejected_at: null, rejection_reason: null, posted_by: null, posted_at: null, cancelled_by: null, cancelled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(row.id);
    const body = await countView(tx, ctx.actor, id);
    return { status: 201, body, audit: { action: 'count.create', targetType: STOCK_COUNT, targetId: id, detail: { warehouse: warehouse.code, scope, blind: body.blind } }, events: [{ type: 'stock-count.created', payload: { id, number: body.number } }] };
  });
}
