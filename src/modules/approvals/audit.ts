import type { Actor } from '../../app/context.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | number;
  detail?: unknown;
}

/**
 * A second audit record in the same command: runCommand records the decision on the approval; the
 * document the decision finished (approved, posted, rejected) gets its own record too, so its trail
 * (GET /audit?targetType=&targetId=) shows what the flow did to it.
 */
export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      org_id: actor.orgId, at: nowIso(), user_id: actor.userId, action: entry.action, target_type: entry.targetType, target_id: String(entry.targetId),
      request_id: actor.requestId, detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
    })
    .execute();
}
