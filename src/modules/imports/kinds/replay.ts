import { createHash } from 'node:crypto';
import type { ServiceContext } from '../../../app/context.js';
import { DomainError } from '../../../core/errors.js';
import { RowFailure } from '../kind.js';

/**
 * Kinds committed through other modules' commands (warehouses, locations, adjustments) give every
 * command an Idempotency-Key derived from the job and its rows. A commit cut short between a
 * command and the job's cursor update runs the command again on resume: it replays the stored
 * response instead of writing twice.
 */
export const commandKey = (jobId: number, part: string) => `import-${jobId}-${part}`;

export function withKey(ctx: ServiceContext, key: string, request: unknown): ServiceContext {
  const hash = createHash('sha256').update(`import\n${JSON.stringify(request)}`).digest('hex');
  return { ...ctx, idempotency: { key, hash } };
}

/** Keys of this list that were already used (their commands ran). */
export async function usedKeys(ctx: ServiceContext, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await ctx.store.read.selectFrom('idempotency_keys').select('idem_key').where('org_id', '=', ctx.actor.orgId).where('idem_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.idem_key));
}

/** A command's refusal as the failure of the row it came from. */
export function rowFailure(rowNo: number, error: unknown, field: string): unknown {
  if (!(error instanceof DomainError)) return error;
  const errors = error.errors?.length ? error.errors : [{ field, message: error.message }];
  return new RowFailure(rowNo, errors.map((e) => ({ field: e.field.replace(/^lines\.\d+\./, ''), code: 'failed' as const, message: e.message })));
}
