import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly, bigType, orgTable } from './helpers.js';

/**
 * Tables of approval flows (src/modules/approvals, docs/approvals.md): the configured flows, the
 * instances started when a document is submitted (each with a JSON snapshot of its flow's steps,
 * so that editing a flow never changes what is already under way), the append-only decisions,
 * and delegations while away.
 */
export function approvalsMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await table(db, 'approval_flows')
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('conditions', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', big, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_flows_type_idx').on('approval_flows').columns(['org_id', 'document_type', 'priority']).execute();

      await table(db, 'approval_instances')
        .addColumn('flow_id', big, (c) => c.notNull())
        .addColumn('flow_name', 'text', (c) => c.notNull())
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('document_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_step', 'integer', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('action_data', 'text')
        .addColumn('requested_by', big, (c) => c.notNull())
        .addColumn('submitted_by', big, (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_instances_document_idx').on('approval_instances').columns(['org_id', 'document_type', 'document_id']).execute();
      await db.schema.createIndex('approval_instances_status_idx').on('approval_instances').columns(['org_id', 'status']).execute();

      await table(db, 'approval_decisions')
        .addColumn('instance_id', big, (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('entry', 'integer')
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('decided_by', big, (c) => c.notNull())
        .addColumn('on_behalf_of', big)
        .addColumn('reason', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_decisions_instance_idx').on('approval_decisions').columns(['org_id', 'instance_id']).execute();
      await appendOnly(db, dialect, 'approval_decisions', 'approval decisions are append-only');

      await table(db, 'approval_delegations')
        .addColumn('from_user_id', big, (c) => c.notNull())
        .addColumn('to_user_id', big, (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('approval_delegations_to_idx').on('approval_delegations').columns(['org_id', 'to_user_id']).execute();
    },
  };
}
