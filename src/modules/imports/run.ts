import { unlink } from 'node:fs/promises';
import { sql } from 'kysely';
import type { ServiceContext } from '../../app/context.js';
import { conflict, DomainError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { cleanCell } from './clean.js';
import { matchHeader, type ImportKind } from './columns.js';
import { jobKey, loadJob, running } from './jobs.js';
import { RowFailure, type CheckedRow, type Issue, type ImportOptions, type KindHandler, type KindPass, type RawRow } from './kind.js';
import { HANDLERS } from './kinds/index.js';
import { readSheet, type FileFormat, type SheetRow } from './reader.js';

/** Rows per chunk: one progress update, one batch of issues, one commit transaction. */
export const CHUNK_ROWS = 1000;

/**
 * Run a job's validation or commit in the background of this process (the request that started
 * it answers 202 at once; GET /imports/{id} shows the progress). A failure of the job itself
 * (unreadable file, a row refused at commit) is recorded on the job, never thrown.
 */
export function startInBackground(requestCtx: ServiceContext, jobId: number, work: 'validate' | 'commit', then?: (ctx: ServiceContext) => Promise<void>, signal?: AbortSignal): void {
  // Not the request's Idempotency-Key: each chunk is its own command (or brings its own key).
  const ctx: ServiceContext = { store: requestCtx.store, actor: requestCtx.actor };
  const key = jobKey(ctx.actor.orgId, jobId);
  const task = (async () => {
    try {
      if (work === 'validate') await validateJob(ctx, jobId);
      else await commitJob(ctx, jobId, signal);
      if (then) await then(ctx);
    } catch (error) {
      // Stopped with the server: the job stays committing at its cursor, resumed at the next start.
      if (error instanceof CommitStopped) return;
      await failJob(ctx, jobId, error).catch(() => undefined);
    } finally {
      running.delete(key);
    }
  })();
  running.set(key, task);
}

/** A commit stopped between chunks because the server is shutting down. */
class CommitStopped extends Error {}

/** Wait until a job's background work (if any) finished: tests and the CLI. */
export async function settled(orgId: number, jobId: number): Promise<void> {
  await running.get(jobKey(orgId, jobId));
}

async function failJob(ctx: ServiceContext, jobId: number, error: unknown): Promise<void> {
  const message = error instanceof DomainError || error instanceof RowFailure ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
  if (!(error instanceof DomainError) && !(error instanceof RowFailure)) console.error(`import ${jobId} failed`, error);
  await ctx.store.run((tx) =>
    tx.updateTable('import_jobs').set({ status: 'failed', error: message.slice(0, 2000), updated_at: nowIso() })
      .where('org_id', '=', ctx.actor.orgId).where('id', '=', jobId).execute(),
  );
}

interface OpenedSheet {
  header: string[];
  fields: Array<string | null>;
  /** The data rows (after the header), in batches. */
  rows: AsyncGenerator<SheetRow[]>;
  bytesRead(): number;
}

async function* rowsAfter(first: SheetRow[], batches: AsyncGenerator<SheetRow[]>): AsyncGenerator<SheetRow[]> {
  try {
    if (first.length > 1) yield first.slice(1);
    yield* batches;
  } finally {
    await batches.return(undefined);
  }
}

async function openSheet(path: string, format: FileFormat, kind: ImportKind): Promise<OpenedSheet & { ignored: string[]; problem?: string }> {
  const reader = await readSheet(path, format);
  const first = await reader.batches.next();
  const rows = rowsAfter(first.done ? [] : first.value, reader.batches);
  if (first.done || first.value.length === 0) return { header: [], fields: [], rows, bytesRead: reader.bytesRead, ignored: [], problem: 'the file has no rows' };
  const header = first.value[0]!.cells.map((c) => cleanCell(c));
  const match = matchHeader(kind, header);
  const problems: string[] = [];
  if (match.missing.length > 0) problems.push(`missing column ${match.missing.map((c) => `${c.en} (${c.zh})`).join(', ')}`);
  if (match.duplicated.length > 0) problems.push(`repeated column ${match.duplicated.join(', ')}`);
  return { header, fields: match.fields, rows, bytesRead: reader.bytesRead, ignored: match.ignored, ...(problems.length ? { problem: problems.join('; ') } : {}) };
}

/** Cells of a sheet row by column key, cleaned; counts the cells cleaning changed. */
function toRawRow(row: SheetRow, fields: Array<string | null>, counter: { cleaned: number }): RawRow {
  const cells: Record<string, string> = {};
  fields.forEach((field, i) => {
    if (field === null) return;
    const raw = row.cells[i] ?? '';
    const clean = cleanCell(raw);
    if (clean !== raw) counter.cleaned++;
    cells[field] = clean;
  });
  return { rowNo: row.rowNo, cells };
}

function issueRecords(orgId: number, jobId: number, rows: CheckedRow<unknown>[]) {
  return rows
    .filter((r) => r.errors.length > 0 || r.warnings.length > 0)
    .map((r) => ({
      org_id: orgId,
      job_id: jobId,
      row_no: r.rowNo,
      severity: r.errors.length > 0 ? ('error' as const) : ('warning' as const),
      issues: JSON.stringify([...r.errors.map((i) => ({ ...i, severity: 'error' })), ...r.warnings.map((i) => ({ ...i, severity: 'warning' }))]),
      cells: JSON.stringify(r.cells),
    }));
}

async function jobContext(ctx: ServiceContext, jobId: number) {
  const job = await loadJob(ctx.store.read, ctx.actor.orgId, jobId);
  const handler = HANDLERS[job.kind as ImportKind] as KindHandler<unknown>;
  return { job, handler, options: JSON.parse(job.options) as ImportOptions };
}

/**
 * The dry run: read every row, clean and check it, record the rows with errors or warnings and
 * the counters chunk by chunk. Writes nothing but the job's own bookkeeping.
 */
export async function validateJob(ctx: ServiceContext, jobId: number): Promise<void> {
  const { orgId } = ctx.actor;
  const { job, handler, options } = await jobContext(ctx, jobId);
  await ctx.store.run(async (tx) => {
    await tx.deleteFrom('import_issues').where('org_id', '=', orgId).where('job_id', '=', jobId).execute();
    await tx.updateTable('import_jobs')
      .set({ status: 'validating', error: null, validated_at: null, bytes_read: 0, rows_read: 0, rows_valid: 0, rows_invalid: 0, rows_warned: 0, cells_cleaned: 0, updated_at: nowIso() })
      .where('org_id', '=', orgId).where('id', '=', jobId).execute();
  });
  const sheet = await openSheet(job.file_path, job.format as FileFormat, job.kind as ImportKind);
  const columns = JSON.stringify({ matched: sheet.header.map((header, i) => ({ header, field: sheet.fields[i] ?? null })), ignored: sheet.ignored });
  if (sheet.problem) {
    await sheet.rows.return(undefined);
    await ctx.store.run((tx) => tx.updateTable('import_jobs').set({ status: 'failed', error: sheet.problem!, columns, updated_at: nowIso() }).where('org_id', '=', orgId).where('id', '=', jobId).execute());
    return;
  }
  await ctx.store.run((tx) => tx.updateTable('import_jobs').set({ columns }).where('org_id', '=', orgId).where('id', '=', jobId).execute());
  const pass = await handler.start({ ctx, jobId, options, phase: 'validate' });
  const counter = { cleaned: 0 };
  const flush = async (chunk: RawRow[]) => {
    const checked = await pass.check(chunk);
    const records = issueRecords(orgId, jobId, checked);
    const invalid = checked.filter((r) => r.errors.length > 0).length;
    const warned = checked.filter((r) => r.errors.length === 0 && r.warnings.length > 0).length;
    const cleaned = counter.cleaned;
    counter.cleaned = 0;
    await ctx.store.run(async (tx) => {
      if (records.length > 0) for (let i = 0; i < records.length; i += 500) await tx.insertInto('import_issues').values(records.slice(i, i + 500)).execute();
      await tx.updateTable('import_jobs')
        .set({
          bytes_read: sheet.bytesRead(),
          rows_read: sql`rows_read + ${chunk.length}`,
          rows_valid: sql`rows_valid + ${chunk.length - invalid}`,
          rows_invalid: sql`rows_invalid + ${invalid}`,
          rows_warned: sql`rows_warned + ${warned}`,
          cells_cleaned: sql`cells_cleaned + ${cleaned}`,
          updated_at: nowIso(),
        })
        .where('org_id', '=', orgId).where('id', '=', jobId).execute();
    });
  };
  let chunk: RawRow[] = [];
  for await (const batch of sheet.rows) {
    for (const row of batch) {
      chunk.push(toRawRow(row, sheet.fields, counter));
      if (chunk.length >= CHUNK_ROWS) {
        await flush(chunk);
        chunk = [];
      }
    }
  }
  await flush(chunk);
  await ctx.store.run((tx) =>
    tx.updateTable('import_jobs').set({ status: 'validated', bytes_read: num(job.file_size), validated_at: nowIso(), updated_at: nowIso() })
      .where('org_id', '=', orgId).where('id', '=', jobId).execute(),
  );
}

/**
 * Commit: read the file again, check every row again (the database may have changed since the
 * dry run) and write the good rows chunk by chunk. Each chunk moves the job's cursor
 * (`committed_through`) in the same transaction as its rows (or after its idempotent commands),
 * so a commit cut short resumes after the last finished chunk and never writes a row twice.
 * mode `all` stops at the first row that is no longer valid; `good-rows` skips bad rows.
 */
export async function commitJob(ctx: ServiceContext, jobId: number, signal?: AbortSignal): Promise<void> {
  const { orgId } = ctx.actor;
  const { job, handler, options } = await jobContext(ctx, jobId);
  const mode = job.mode === 'good-rows' ? 'good-rows' : 'all';
  const sheet = await openSheet(job.file_path, job.format as FileFormat, job.kind as ImportKind);
  if (sheet.problem) throw conflict(sheet.problem);
  const pass: KindPass<unknown> = await handler.start({ ctx, jobId, options, phase: 'commit' });
  let through = num(job.committed_through);
  const counter = { cleaned: 0 };

  const flush = async (chunk: RawRow[]) => {
    if (chunk.length === 0) return;
    if (signal?.aborted) throw new CommitStopped(`import ${jobId} stopped`);
    const checked = await pass.check(chunk);
    const bad = checked.filter((r) => r.errors.length > 0);
    if (bad.length > 0 && mode === 'all') {
      await ctx.store.run(async (tx) => {
        const records = issueRecords(orgId, jobId, bad);
        await tx.deleteFrom('import_issues').where('org_id', '=', orgId).where('job_id', '=', jobId).where('row_no', 'in', bad.map((r) => r.rowNo)).execute();
        await tx.insertInto('import_issues').values(records).execute();
      });
      throw new RowFailure(bad[0]!.rowNo, bad[0]!.errors);
    }
    const good = checked.filter((r) => r.errors.length === 0);
    const last = chunk[chunk.length - 1]!.rowNo;
    const before = through;
    const advance = async (tx: Tx) => {
      const updated = await tx.updateTable('import_jobs')
        .set({
          committed_through: last,
          bytes_read: sheet.bytesRead(),
          rows_committed: sql`rows_committed + ${good.length}`,
          rows_skipped: sql`rows_skipped + ${bad.length}`,
          updated_at: nowIso(),
        })
        .where('org_id', '=', orgId).where('id', '=', jobId).where('committed_through', '=', before)
        .executeTakeFirst();
      // Someone else moved the cursor (a second commit of the same job): write nothing twice.
      if (updated.numUpdatedRows === 0n) throw conflict(`import ${jobId} is being committed by another request`);
    };
    if (good.length > 0) {
      try {
        await pass.commit(good, advance);
      } catch (error) {
        if (error instanceof RowFailure) {
          const row = good.find((r) => r.rowNo === error.rowNo);
          if (row) {
            await ctx.store.run(async (tx) => {
              await tx.deleteFrom('import_issues').where('org_id', '=', orgId).where('job_id', '=', jobId).where('row_no', '=', row.rowNo).execute();
              await tx.insertInto('import_issues').values(issueRecords(orgId, jobId, [{ ...row, errors: error.issues }])).execute();
            });
          }
        }
        throw error;
      }
    } else {
      await ctx.store.run(advance);
    }
    through = last;
  };

  let chunk: RawRow[] = [];
  for await (const batch of sheet.rows) {
    for (const row of batch) {
      if (row.rowNo <= through) continue;
      chunk.push(toRawRow(row, sheet.fields, counter));
      if (chunk.length >= CHUNK_ROWS) {
        await flush(chunk);
        chunk = [];
      }
    }
  }
  await flush(chunk);
  await ctx.store.run((tx) =>
    tx.updateTable('import_jobs').set({ status: 'committed', error: null, bytes_read: num(job.file_size), committed_at: nowIso(), updated_at: nowIso() })
      .where('org_id', '=', orgId).where('id', '=', jobId).execute(),
  );
  await unlink(job.file_path).catch(() => undefined);
}

export type { Issue };
