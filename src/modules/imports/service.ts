import { unlink } from 'node:fs/promises';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { conflict, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import type { ImportKind } from './columns.js';
import { jobKey, loadJob, running, toJobView } from './jobs.js';
import type { ImportOptions } from './kind.js';
import { HANDLERS } from './kinds/index.js';
import { sniffFormat } from './reader.js';
import { commitJob, startInBackground } from './run.js';
import type { UploadedFile } from './upload.js';

export type CommitMode = 'all' | 'good-rows';

function authorizeKind(ctx: ServiceContext, kind: ImportKind) {
  authorize(ctx.actor, 'import.run');
  authorize(ctx.actor, HANDLERS[kind].permission);
}

/**
 * Accept an uploaded file as an import job and start its dry run in the background (202). With
 * `commit`, the job commits by itself after the dry run: `all` only when no row has an error,
 * `good-rows` always (skipping the bad rows).
 */
export async function createImport(ctx: ServiceContext, input: { kind: ImportKind; file: UploadedFile; fileName?: string; options: ImportOptions; commit?: CommitMode }) {
  try {
    authorizeKind(ctx, input.kind);
  } catch (error) {
    await unlink(input.file.path).catch(() => undefined);
    throw error;
  }
  const format = await sniffFormat(input.file.path);
  const { orgId, userId } = ctx.actor;
  const response = await runCommand(ctx, async ({ tx }) => {
    const at = nowIso();
    const row = await tx
      .insertInto('import_jobs')
      .values({
        org_id: orgId, kind: input.kind, format, file_name: input.fileName ?? null, file_path: input.file.path, file_size: input.file.size,
        options: JSON.stringify(input.options), status: 'validating', mode: input.commit ?? null, error: null, columns: null,
        created_by: userId, created_at: at, updated_at: at, validated_at: null, committed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = toJobView(row);
    return { status: 202, body: view, audit: { action: 'import.upload', targetType: 'import', targetId: view.id, detail: { kind: input.kind, format, fileName: input.fileName ?? null, size: input.file.size, options: input.options } } };
  });
  if (response.replayed) {
    // The same upload again under the same Idempotency-Key: the first job answers, this copy goes.
    await unlink(input.file.path).catch(() => undefined);
    return response;
  }
  const jobId = response.body.id;
  startInBackground(ctx, jobId, 'validate', input.commit ? async (jobCtx) => {
    const job = await loadJob(jobCtx.store.read, orgId, jobId);
    if (job.status !== 'validated') return;
    if (input.commit === 'all' && num(job.rows_invalid) > 0) return;
    await beginCommit(jobCtx, jobId, input.commit!);
    await commitJob(jobCtx, jobId);
  } : undefined);
  return { ...response, body: { ...response.body, running: true } };
}

/** Move a job to `committing` if its state allows; refusals are 409/422 and change nothing. */
async function beginCommit(ctx: ServiceContext, jobId: number, mode: CommitMode, inProcess = true) {
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const job = await lockRows(lt, lt.tx.selectFrom('import_jobs').selectAll().where('org_id', '=', orgId).where('id', '=', jobId)).executeTakeFirst();
    if (!job) throw conflict(`import ${jobId} does not exist`);
    const busy = !inProcess && running.has(jobKey(orgId, jobId));
    if (job.status === 'committed') throw conflict(`import ${jobId} is already committed: importing it again would write its rows twice`);
    if (job.status === 'discarded') throw conflict(`import ${jobId} was discarded`);
    if (busy) throw conflict(`import ${jobId} is still ${job.status}`);
    if (job.validated_at === null) throw conflict(`import ${jobId} has not been validated${job.error ? `: ${job.error}` : ''}`);
    if (num(job.committed_through) > 0 && job.mode !== null && job.mode !== mode) throw conflict(`import ${jobId} was partly committed with mode ${job.mode}; resume it with the same mode`);
    if (mode === 'all' && num(job.rows_invalid) > 0) {
      throw validationError(`${num(job.rows_invalid)} rows have errors: nothing is imported until the file is clean (or commit with mode good-rows)`, [{ field: 'mode', message: `${num(job.rows_invalid)} rows have errors` }]);
    }
    const row = await lt.tx.updateTable('import_jobs').set({ status: 'committing', mode, error: null, updated_at: nowIso() })
      .where('org_id', '=', orgId).where('id', '=', jobId).returningAll().executeTakeFirstOrThrow();
    return { status: 202, body: toJobView(row), audit: { action: 'import.commit-start', targetType: 'import', targetId: jobId, detail: { mode, resumeAfterRow: num(job.committed_through) } } };
  });
}

/** Commit a validated job (or resume one cut short) in the background (202). */
export async function commitImport(ctx: ServiceContext, jobId: number, mode: CommitMode) {
  const job = await loadJob(ctx.store.read, ctx.actor.orgId, jobId);
  authorizeKind(ctx, job.kind as ImportKind);
  const response = await beginCommit(ctx, jobId, mode, false);
  if (!response.replayed) startInBackground(ctx, jobId, 'commit');
  return { ...response, body: { ...response.body, running: !response.replayed || running.has(jobKey(ctx.actor.orgId, jobId)) } };
}

/** Run the dry run again (after fixing master data: adding a warehouse, an item, a unit). */
export async function revalidateImport(ctx: ServiceContext, jobId: number) {
  const { orgId } = ctx.actor;
  const job = await loadJob(ctx.store.read, orgId, jobId);
  authorizeKind(ctx, job.kind as ImportKind);
  const response = await runCommand(ctx, async (lt) => {
    const locked = await lockRows(lt, lt.tx.selectFrom('import_jobs').selectAll().where('org_id', '=', orgId).where('id', '=', jobId)).executeTakeFirstOrThrow();
    if (running.has(jobKey(orgId, jobId))) throw conflict(`import ${jobId} is still ${locked.status}`);
    if (locked.status === 'committed' || num(locked.committed_through) > 0) throw conflict(`import ${jobId} has committed rows: resume its commit instead`);
    if (locked.status === 'discarded') throw conflict(`import ${jobId} was discarded`);
    const row = await lt.tx.updateTable('import_jobs').set({ status: 'validating', updated_at: nowIso() }).where('org_id', '=', orgId).where('id', '=', jobId).returningAll().executeTakeFirstOrThrow();
    return { status: 202, body: toJobView(row), audit: { action: 'import.validate', targetType: 'import', targetId: jobId } };
  });
  if (!response.replayed) startInBackground(ctx, jobId, 'validate');
  return response;
}

export async function getImport(ctx: ServiceContext, jobId: number) {
  authorize(ctx.actor, 'import.run');
  return toJobView(await loadJob(ctx.store.read, ctx.actor.orgId, jobId));
}

export async function listImports(ctx: ServiceContext, filter: { after?: number; limit: number }) {
  authorize(ctx.actor, 'import.run');
  let query = ctx.store.read.selectFrom('import_jobs').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map(toJobView);
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}

export interface ReportedRow {
  row: number;
  severity: 'error' | 'warning';
  issues: Array<{ field: string; code: string; message: string; severity: 'error' | 'warning' }>;
  cells: Record<string, string>;
}

/** The rows of a job with errors (and warnings), in file order, a page at a time. */
export async function listIssues(ctx: ServiceContext, jobId: number, filter: { severity?: 'error' | 'warning'; after?: number; limit: number }) {
  authorize(ctx.actor, 'import.run');
  const { orgId } = ctx.actor;
  await loadJob(ctx.store.read, orgId, jobId);
  let query = ctx.store.read.selectFrom('import_issues').selectAll().where('org_id', '=', orgId).where('job_id', '=', jobId);
  if (filter.severity) query = query.where('severity', '=', filter.severity);
  if (filter.after !== undefined) query = query.where('row_no', '>', filter.after);
  const rows = await query.orderBy('row_no').orderBy('id').limit(filter.limit + 1).execute();
  const items: ReportedRow[] = rows.slice(0, filter.limit).map((r) => ({
    row: num(r.row_no), severity: r.severity, issues: JSON.parse(r.issues) as ReportedRow['issues'], cells: JSON.parse(r.cells) as Record<string, string>,
  }));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.row) : undefined };
}

/**
 * Give up a job that will not be committed (or finish one cut short as it is): its uploaded file
 * is deleted at once; the job and its report stay for the record. Rows already committed stay.
 */
export async function discardImport(ctx: ServiceContext, jobId: number) {
  const { orgId } = ctx.actor;
  const job = await loadJob(ctx.store.read, orgId, jobId);
  authorizeKind(ctx, job.kind as ImportKind);
  const response = await runCommand(ctx, async (lt) => {
    const locked = await lockRows(lt, lt.tx.selectFrom('import_jobs').selectAll().where('org_id', '=', orgId).where('id', '=', jobId)).executeTakeFirstOrThrow();
    if (running.has(jobKey(orgId, jobId))) throw conflict(`import ${jobId} is still ${locked.status}`);
    if (locked.status === 'committed') throw conflict(`import ${jobId} is committed`);
    const row = await lt.tx.updateTable('import_jobs').set({ status: 'discarded', updated_at: nowIso() }).where('org_id', '=', orgId).where('id', '=', jobId).returningAll().executeTakeFirstOrThrow();
    return { status: 200, body: toJobView(row), audit: { action: 'import.discard', targetType: 'import', targetId: jobId, detail: { status: locked.status, committedThrough: num(locked.committed_through) } } };
  });
  await unlink(job.file_path).catch(() => undefined);
  return response;
}
