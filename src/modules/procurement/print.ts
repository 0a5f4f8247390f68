import { formatScaled, parseScaled } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';

/** Helpers for printed documents: exact numbers as text, people by name. */
export const printNumber = (value: number | null) => (value === null ? '' : formatScaled(parseScaled(value)));

export async function usernames(tx: Tx, orgId: number, ids: Array<number | null>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null && id > 0))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.selectFrom('users').select(['id', 'username']).where('org_id', '=', orgId).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [num(r.id), r.username]));
}

export const pdfReply = (body: Buffer, number: string) => ({ status: 200, body, contentType: 'application/pdf', fileName: `${number}.pdf` });
