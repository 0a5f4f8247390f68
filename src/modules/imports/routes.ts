import { createHash } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '../../app/context.js';
import { validationError } from '../../core/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Cursor, IdParams, Limit } from '../../http/schemas.js';
import { CONTENT_TYPES } from '../exports/writers.js';
import { COLUMNS, IMPORT_KINDS, type ImportKind } from './columns.js';
import { loadJob } from './jobs.js';
import { commitImport, createImport, discardImport, getImport, listImports, listIssues, revalidateImport } from './service.js';
import { headerOf, streamTable, template } from './templates.js';
import { isUploadedFile } from './upload.js';

const Kind = z.enum(IMPORT_KINDS);
const Format = z.enum(['csv', 'xlsx']);
const Lang = z.enum(['en', 'zh']).default('en');
const Mode = z.enum(['all', 'good-rows']);

const JobView = z.object({
  id: z.number().int(), kind: Kind, format: Format, fileName: z.string().nullable(),
  status: z.enum(['validating', 'validated', 'committing', 'committed', 'failed', 'discarded']), running: z.boolean(),
  mode: Mode.nullable(), error: z.string().nullable(),
  options: z.object({ codeCase: z.string(), units: z.array(z.string()), nearDuplicates: z.string() }),
  columns: z.object({ matched: z.array(z.object({ header: z.string(), field: z.string().nullable() })), ignored: z.array(z.string()) }).nullable(),
  progress: z.object({
    totalBytes: z.number().int(), bytesRead: z.number().int(), percent: z.number().int(),
    rowsRead: z.number().int(), rowsValid: z.number().int(), rowsInvalid: z.number().int(), rowsWarned: z.number().int(), cellsCleaned: z.number().int(),
    rowsCommitted: z.number().int(), rowsSkipped: z.number().int(), committedThrough: z.number().int(),
  }),
  createdBy: z.number().int(), createdAt: z.string(), updatedAt: z.string(), validatedAt: z.string().nullable(), committedAt: z.string().nullable(),
});
const Issue = z.object({ field: z.string(), code: z.string(), message: z.string(), severity: z.enum(['error', 'warning']) });
const ReportedRow = z.object({ row: z.number().int(), severity: z.enum(['error', 'warning']), issues: z.array(Issue), cells: z.record(z.string(), z.string()) });

const UploadQuery = z.strictObject({
  kind: Kind,
  commit: Mode.optional().describe('Commit by itself after the dry run: `all` only if no row has errors, `good-rows` skipping bad rows'),
  codeCase: z.enum(['keep', 'upper', 'lower']).default('keep').describe('Case of codes (SKU, partner, warehouse and location codes)'),
  units: z.string().max(1000).optional().describe('Comma-separated units to accept besides the known ones'),
  nearDuplicates: z.enum(['error', 'warning']).default('error').describe('Codes equal apart from case, width and separators: an error (default) or a warning'),
  fileName: z.string().max(255).optional(),
});

export const importRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/imports/templates/{file}', tag: 'imports', summary: 'Download an import template: items|partners|locations|opening-stock .csv|.xlsx (headers in English or Chinese)',
    params: z.strictObject({ file: z.string().regex(/^(items|partners|locations|opening-stock)\.(csv|xlsx)$/, 'KIND.csv or KIND.xlsx') }),
    query: z.strictObject({ lang: Lang }),
    responses: { 200: { description: 'The template file' } },
    handler: async ({ ctx, params, query }) => {
      authorize(ctx.actor, 'import.run');
      const [kind, format] = params.file.split('.') as [ImportKind, 'csv' | 'xlsx'];
      return { status: 200, body: template(kind, format, query.lang), contentType: CONTENT_TYPES[format], fileName: `${kind}-template-${query.lang}.${format}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/imports', tag: 'imports',
    summary: 'Upload a CSV or XLSX file (the raw body, Content-Type text/csv or the XLSX type) as an import job; its dry run starts at once (202)',
    query: UploadQuery,
    responses: { 202: { description: 'The job, validating', schema: JobView } },
    handler: async ({ ctx, query, request }) => {
      const file = request.body;
      if (!isUploadedFile(file)) throw validationError('send the file itself as the request body, with Content-Type text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', undefined, 415);
      if (file.size === 0) throw validationError('the file is empty', [{ field: 'body', message: 'the file is empty' }]);
      if (ctx.idempotency) {
        // The same key must mean the same file and options, wherever the upload was spooled to.
        ctx.idempotency = { key: ctx.idempotency.key, hash: createHash('sha256').update(`POST /imports\n${JSON.stringify(query)}\n${file.sha256}`).digest('hex') };
      }
      const units = (query.units ?? '').split(',').map((u) => u.normalize('NFKC').trim()).filter((u) => u !== '');
      const result = await createImport(ctx, {
        kind: query.kind, file, ...(query.fileName ? { fileName: query.fileName } : {}),
        options: { codeCase: query.codeCase, units, nearDuplicates: query.nearDuplicates }, ...(query.commit ? { commit: query.commit } : {}),
      });
      if (!result.replayed) file.claimed = true;
      return result;
    },
  }),
  defineRoute({
    method: 'GET', path: '/imports', tag: 'imports', summary: 'List import jobs, newest first',
    query: z.strictObject({ after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of jobs', schema: z.object({ items: z.array(JobView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listImports(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/imports/{id}', tag: 'imports', summary: 'An import job with its progress (rows read, valid, invalid, committed)', params: IdParams,
    responses: { 200: { description: 'The job', schema: JobView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getImport(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/imports/{id}/issues', tag: 'imports', summary: 'The rows of a job with errors or warnings, in file order, each with its reasons per field', params: IdParams,
    query: z.strictObject({ severity: z.enum(['error', 'warning']).optional(), after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of reported rows', schema: z.object({ items: z.array(ReportedRow), next: z.string().optional() }) } },
    handler: async ({ ctx, params, query }) => ({ status: 200, body: await listIssues(ctx, params.id, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/imports/{id}/report', tag: 'imports', summary: 'Download the bad rows (row, errors, warnings and the cells) as CSV or XLSX, to fix and upload again', params: IdParams,
    query: z.strictObject({ format: Format.default('csv'), severity: z.enum(['error', 'all']).default('error'), lang: Lang }),
    responses: { 200: { description: 'The report file' } },
    handler: async ({ ctx, params, query }) => {
      const job = await loadJob(ctx.store.read, ctx.actor.orgId, params.id);
      const first = await listIssues(ctx, params.id, { limit: 1000, ...(query.severity === 'error' ? { severity: 'error' as const } : {}) });
      const kind = job.kind as ImportKind;
      const keys = COLUMNS[kind].map((c) => c.key);
      const zh = query.lang === 'zh';
      const describe = (issues: typeof first.items[number]['issues'], severity: 'error' | 'warning') =>
        issues.filter((i) => i.severity === severity).map((i) => `${headerOf(kind, i.field, query.lang)}: ${i.message}`).join('; ');
      const body = streamTable(query.format, zh ? '错误行' : 'bad rows', async (writer) => {
        await writer.row([zh ? '行号' : 'row', zh ? '错误' : 'errors', zh ? '警告' : 'warnings', ...keys.map((k) => headerOf(kind, k, query.lang))]);
        let page = first;
        for (;;) {
          for (const r of page.items) await writer.row([r.row, describe(r.issues, 'error'), describe(r.issues, 'warning'), ...keys.map((k) => r.cells[k] ?? '')]);
          if (!page.next) break;
          page = await listIssues(ctx, params.id, { limit: 1000, after: Number(page.next), ...(query.severity === 'error' ? { severity: 'error' as const } : {}) });
        }
      });
      return { status: 200, body, contentType: CONTENT_TYPES[query.format], fileName: `import-${params.id}-${query.severity === 'error' ? 'errors' : 'issues'}.${query.format}` };
    },
  }),
  defineRoute({
    method: 'POST', path: '/imports/{id}/commit', tag: 'imports',
    summary: 'Import a validated job (202): mode all (default) only when no row has errors; good-rows imports the rows without errors. Resumes a commit cut short; a committed job is 409',
    params: IdParams, body: z.strictObject({ mode: Mode.default('all') }),
    responses: { 202: { description: 'The job, committing', schema: JobView } },
    handler: ({ ctx, params, body }) => commitImport(ctx, params.id, body.mode),
  }),
  defineRoute({
    method: 'POST', path: '/imports/{id}/validate', tag: 'imports', summary: 'Run the dry run of a job again (after adding the missing warehouse, item or unit)', params: IdParams,
    responses: { 202: { description: 'The job, validating', schema: JobView } },
    handler: ({ ctx, params }) => revalidateImport(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/imports/{id}/discard', tag: 'imports', summary: 'Give up a job that is not committed: its uploaded file is deleted, the job and its report stay', params: IdParams,
    responses: { 200: { description: 'The job, discarded', schema: JobView } },
    handler: ({ ctx, params }) => discardImport(ctx, params.id),
  }),
];
