import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

type Id = ColumnType<Int, Int | undefined, never>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type ImportStatus = 'validating' | 'validated' | 'committing' | 'committed' | 'failed' | 'discarded';

/** One uploaded import file and its progress (src/modules/imports). */
export interface ImportJobsTable {
  org_id: Int; id: Id; kind: string; format: string; file_name: string | null; file_path: string;
  file_size: Int; options: string; status: ImportStatus; mode: string | null; error: string | null;
  /** JSON: the file's header, column by column, and the field each one was matched to. */
  columns: string | null;
  bytes_read: Defaulted<Int>; rows_read: Defaulted<Int>; rows_valid: Defaulted<Int>; rows_invalid: Defaulted<Int>;
  rows_warned: Defaulted<Int>; cells_cleaned: Defaulted<Int>; rows_committed: Defaulted<Int>; rows_skipped: Defaulted<Int>;
  committed_through: Defaulted<Int>;
  created_by: Int; created_at: string; updated_at: string; validated_at: string | null; committed_at: string | null;
}

/** A row of an import file with errors or warnings: its cells (JSON) and issues (JSON). */
export interface ImportIssuesTable {
  org_id: Int; id: Id; job_id: Int; row_no: Int; severity: 'error' | 'warning'; issues: string; cells: string;
}

/** Tables of spreadsheet import jobs (src/modules/imports). */
export interface ImportTables {
  import_jobs: ImportJobsTable;
  import_issues: ImportIssuesTable;
}
