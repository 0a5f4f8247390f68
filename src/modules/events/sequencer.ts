import { sql } from 'kysely';
import type { Store } from '../../db/store.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';

/** At most this many events are positioned per statement (a step loops until none are left). */
export const SEQUENCE_BATCH = 1000;

/**
 * The sequencer: give every committed event of the company that has no feed position yet the next
 * positions, in id order, and return the last position handed out (the feed's head).
 *
 * Why not serve the feed by id: ids are allocated at insert, but on PostgreSQL transactions commit
 * in another order. A reader that saw id 8 and moved its cursor past it would never see id 7 whose
 * transaction committed a moment later. Positions are handed out only to rows that are already
 * committed (an open transaction's rows are invisible to this statement and get positioned by a
 * later step), and one step at a time (the head row is locked until this transaction commits, and
 * the next step reads it only after that commit is visible). So whoever sees position p also sees
 * every position below it: the feed read by position is a prefix that only grows at its end.
 *
 * Runs inside the caller's transaction; on SQLite the single writer serializes it instead.
 */
export async function assignFeedPositions(lt: LedgerTx, orgId: number): Promise<number> {
  const { tx } = lt;
  await tx
    .insertInto('event_feed_heads')
    .values({ org_id: orgId, last_position: 0, updated_at: nowIso() })
    .onConflict((oc) => oc.column('org_id').doNothing())
    .execute();
  const head = await lockRows(lt, tx.selectFrom('event_feed_heads').select('last_position').where('org_id', '=', orgId)).executeTakeFirstOrThrow();
  const start = num(head.last_position);
  let last = start;
  for (;;) {
    // One statement numbers a batch in id order; both engines support UPDATE ... FROM and row_number().
    const result = await sql`
      UPDATE outbox_events SET feed_position = ${last} + numbered.rn
      FROM (
        SELECT id, row_number() OVER (ORDER BY id) AS rn FROM outbox_events
        WHERE org_id = ${orgId} AND feed_position IS NULL ORDER BY id LIMIT ${SEQUENCE_BATCH}
      ) AS numbered
      WHERE outbox_events.org_id = ${orgId} AND outbox_events.id = numbered.id`.execute(tx);
    const positioned = Number(result.numAffectedRows ?? 0n);
    last += positioned;
    if (positioned < SEQUENCE_BATCH) break;
  }
  if (last !== start) {
    await tx.updateTable('event_feed_heads').set({ last_position: last, updated_at: nowIso() }).where('org_id', '=', orgId).execute();
  }
  return last;
}

/** Companies with committed events still waiting for a position (the partial index answers it). */
export async function orgsWithUnpositionedEvents(store: Store): Promise<number[]> {
  const rows = await store.read.selectFrom('outbox_events').select('org_id').distinct().where('feed_position', 'is', null).execute();
  return rows.map((r) => num(r.org_id));
}

/**
 * Position the company's committed events now, in a transaction of its own, if any are waiting.
 * Readers of the feed call it first, so that they see every event committed before their request.
 */
export async function sequenceEvents(store: Store, orgId: number): Promise<void> {
  const waiting = await store.read.selectFrom('outbox_events').select('id').where('org_id', '=', orgId).where('feed_position', 'is', null).limit(1).executeTakeFirst();
  if (!waiting) return;
  await store.run((tx) => assignFeedPositions({ tx, dialect: store.dialect }, orgId));
}

/** The last position handed out for the company (0 before the first event). */
export async function feedHead(store: Store, orgId: number): Promise<number> {
  const head = await store.read.selectFrom('event_feed_heads').select('last_position').where('org_id', '=', orgId).executeTakeFirst();
  return head ? num(head.last_position) : 0;
}
