import { DomainError } from '../core/errors.js';
import { num } from '../db/schema.js';
import { nowIso, type LedgerTx } from '../ledger/context.js';
import type { ServiceContext } from './context.js';

export interface CommandOutcome<T> {
  status: number;
  body: T;
  audit: { action: string; targetType: string; targetId: string | number; detail?: unknown };
  /** Written to the outbox in the same transaction (delivered by webhooks and the change feed). */
  events?: Array<{ type: string; payload: unknown }>;
}

export interface CommandResponse<T> {
  status: number;
  body: T;
  /** True when an earlier response was returned for a repeated Idempotency-Key. */
  replayed: boolean;
}

/**
 * Run one command in one transaction: the idempotency claim, the work, its audit record, its
 * outbox events and the stored response commit together or not at all. A key seen before with the
 * same request returns the stored response and does nothing; with another request: 422.
 * A command that fails stores nothing, so retrying it with the same key runs it again.
 */
export async function runCommand<T>(ctx: ServiceContext, work: (lt: LedgerTx) => Promise<CommandOutcome<T>>): Promise<CommandResponse<T>> {
  const { store, actor, idempotency } = ctx;
  return store.run(async (tx) => {
    const at = nowIso();
    if (idempotency) {
      const claimed = await tx
        .insertInto('idempotency_keys')
        .values({ org_id: actor.orgId, idem_key: idempotency.key, request_hash: idempotency.hash, status_code: null, response_body: null, created_at: at })
        .onConflict((oc) => oc.columns(['org_id', 'idem_key']).doNothing())
        .returning('idem_key')
        .executeTakeFirst();
      if (!claimed) {
        const earlier = await tx
          .selectFrom('idempotency_keys')
          .select(['request_hash', 'status_code', 'response_body'])
          .where('org_id', '=', actor.orgId)
          .where('idem_key', '=', idempotency.key)
          .executeTakeFirstOrThrow();
        if (earlier.request_hash !== idempotency.hash) {
          throw new DomainError('idempotency-mismatch', `Idempotency-Key ${idempotency.key} was used with a different request`);
        }
        if (earlier.status_code === null) throw new DomainError('conflict', 'a request with this Idempotency-Key is still in progress');
        return { status: num(earlier.status_code), body: JSON.parse(earlier.response_body ?? 'null') as T, replayed: true };
      }
    }

    const outcome = await work({ tx, dialect: store.dialect });

    await tx
      .insertInto('audit_log')
      .values({
        org_id: actor.orgId,
        at,
        user_id: actor.userId,
        action: outcome.audit.action,
        target_type: outcome.audit.targetType,
        target_id: String(outcome.audit.targetId),
        request_id: actor.requestId,
        client_ip: actor.ip ?? null,
        detail: outcome.audit.detail === undefined ? null : JSON.stringify(outcome.audit.detail),
      })
      .execute();
    if (outcome.events && outcome.events.length > 0) {
      await tx
        .insertInto('outbox_events')
        .values(outcome.events.map((e) => ({ org_id: actor.orgId, type: e.type, payload: JSON.stringify(e.payload), created_at: at })))
        .execute();
    }
    if (idempotency) {
      await tx
        .updateTable('idempotency_keys')
        .set({ status_code: outcome.status, response_body: JSON.stringify(outcome.body) })
        .where('org_id', '=', actor.orgId)
        .where('idem_key', '=', idempotency.key)
        .execute();
    }
    return { status: outcome.status, body: outcome.body, replayed: false };
  });
}
