import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/** Tables of spreadsheet import jobs (src/modules/imports, docs/import-export.md). */
export function importsMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      // One uploaded file: its validation (dry run) and commit progress, counters and cursor.
      await table(db, 'import_jobs')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('file_path', 'text', (c) => c.notNull())
        .addColumn('file_size', big, (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('mode', 'text')
        .addColumn('error', 'text')
        .addColumn('columns', 'text')
        .addColumn('bytes_read', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_read', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_valid', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_invalid', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_warned', big, (c) => c.notNull().defaultTo(0))
        .addColumn('cells_cleaned', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_committed', big, (c) => c.notNull().defaultTo(0))
        .addColumn('rows_skipped', big, (c) => c.notNull().defaultTo(0))
        // Rows up to this file row number are done; a resumed commit continues after it.
        .addColumn('committed_through', big, (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('validated_at', 'text')
        .addColumn('committed_at', 'text')
        .execute();
      await db.schema.createIndex('import_jobs_created_idx').on('import_jobs').columns(['org_id', 'created_at']).execute();

      // One reported row of a job: its cells as read (after cleaning) and its errors and warnings.
      await table(db, 'import_issues')
        .addColumn('job_id', big, (c) => c.notNull())
        .addColumn('row_no', big, (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('issues', 'text', (c) => c.notNull())
        .addColumn('cells', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('import_issues_job_idx').on('import_issues').columns(['org_id', 'job_id', 'row_no']).execute();
    },
  };
}
