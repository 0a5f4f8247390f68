import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of approval flows (src/modules/approvals, docs/approvals.md). */
type Id = ColumnType<Int, Int | undefined, never>;

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** A configured flow; `conditions` and `steps` are JSON (src/modules/approvals/model.ts). */
export interface ApprovalFlowsTable {
  org_id: Int; id: Id; document_type: string; name: string; priority: Int; active: Int;
  conditions: string; steps: string; created_by: Int; created_at: string; updated_by: Int; updated_at: string;
}

/**
 * One run of a flow for one document. `steps` is the snapshot of the flow's steps taken at start
 * (with the ones whose condition did not hold marked skipped), `fields` the document's values the
 * conditions were evaluated on, `action_data` what the document needs to finish its deferred action.
 */
export interface ApprovalInstancesTable {
  org_id: Int; id: Id; flow_id: Int; flow_name: string; document_type: string; document_id: Int;
  status: ApprovalStatus; current_step: Int; steps: string; fields: string; action_data: string | null;
  requested_by: Int; submitted_by: Int; submitted_at: string; completed_at: string | null;
  rejection_reason: string | null; updated_at: string;
}

/** Append-only. `entry` is the approver entry of the step that the decision satisfied. */
export interface ApprovalDecisionsTable {
  org_id: Int; id: Id; instance_id: Int; step: Int; entry: Int | null; decision: 'approve' | 'reject' | 'withdraw';
  decided_by: Int; on_behalf_of: Int | null; reason: string | null; decided_at: string;
}

export interface ApprovalDelegationsTable {
  org_id: Int; id: Id; from_user_id: Int; to_user_id: Int; starts_on: string; ends_on: string;
  note: string | null; created_at: string; revoked_at: string | null;
}

export interface ApprovalTables {
  approval_flows: ApprovalFlowsTable;
  approval_instances: ApprovalInstancesTable;
  approval_decisions: ApprovalDecisionsTable;
  approval_delegations: ApprovalDelegationsTable;
}
