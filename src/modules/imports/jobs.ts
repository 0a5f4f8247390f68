import type { Selectable } from 'kysely';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { ImportJobsTable } from '../../db/tables/imports.js';
import type { Kysely } from 'kysely';
import type { Tx } from '../../db/store.js';
import type { ImportKind } from './columns.js';
import type { ImportOptions } from './kind.js';

/** Jobs whose validation or commit runs in this process now (a job left running by a crash is not here). */
export const running = new Map<string, Promise<void>>();
export const jobKey = (orgId: number, id: number) => `${orgId}:${id}`;

export interface JobView {
  id: number;
  kind: ImportKind;
  format: string;
  fileName: string | null;
  status: ImportJobsTable['status'];
  running: boolean;
  mode: string | null;
  error: string | null;
  options: ImportOptions;
  columns: { matched: Array<{ header: string; field: string | null }>; ignored: string[] } | null;
  progress: {
    totalBytes: number; bytesRead: number; percent: number;
    rowsRead: number; rowsValid: number; rowsInvalid: number; rowsWarned: number; cellsCleaned: number;
    rowsCommitted: number; rowsSkipped: number; committedThrough: number;
  };
  createdBy: number;
  createdAt: string;
  updatedAt: string;
  validatedAt: string | null;
  committedAt: string | null;
}

export function toJobView(row: Selectable<ImportJobsTable>): JobView {
  const totalBytes = num(row.file_size);
  const bytesRead = Math.min(num(row.bytes_read), totalBytes);
  return {
    id: num(row.id),
    kind: row.kind as ImportKind,
    format: row.format,
    fileName: row.file_name,
    status: row.status,
    running: running.has(jobKey(num(row.org_id), num(row.id))),
    mode: row.mode,
    error: row.error,
    options: JSON.parse(row.options) as ImportOptions,
    columns: row.columns ? (JSON.parse(row.columns) as JobView['columns']) : null,
    progress: {
      totalBytes,
      bytesRead,
      percent: totalBytes === 0 ? 100 : Math.floor((bytesRead * 100) / totalBytes),
      rowsRead: num(row.rows_read),
      rowsValid: num(row.rows_valid),
      rowsInvalid: num(row.rows_invalid),
      rowsWarned: num(row.rows_warned),
      cellsCleaned: num(row.cells_cleaned),
      rowsCommitted: num(row.rows_committed),
      rowsSkipped: num(row.rows_skipped),
      committedThrough: num(row.committed_through),
    },
    createdBy: num(row.created_by),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    validatedAt: row.validated_at,
    committedAt: row.committed_at,
  };
}

export async function loadJob(db: Kysely<DB> | Tx, orgId: number, id: number): Promise<Selectable<ImportJobsTable>> {
  const row = await db.selectFrom('import_jobs').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`import ${id}`);
  return row;
}
