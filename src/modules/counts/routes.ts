import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit } from '../../http/schemas.js';
import { abcReport } from './abc.js';
import { createCount } from './create.js';
import { enterCounts } from './entries.js';
import { postCount } from './post.js';
import { getCount, listCounts, varianceReport } from './queries.js';
import { approveCount, cancelCount, rejectCount, submitCount } from './review.js';
import { countSheet } from './sheet.js';
import { startCount } from './start.js';
import { AbcReport, CountSummary, CountView, CreateBody, EntriesBody, EntriesResult, NoBody, PostBody, RejectBody, Status, SubmitBody, VarianceReport } from './schemas.js';

const tag = 'counts';

export const countsRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST', path: '/stock-counts', tag, summary: 'Create a draft stock count (full, zone, items or ABC classes; blind by default)', body: CreateBody,
    responses: { 201: { description: 'Created as draft', schema: CountView } },
    handler: ({ ctx, body }) => createCount(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/stock-counts', tag, summary: 'List stock counts, newest first',
    query: z.strictObject({ status: Status.optional(), warehouse: Code.optional(), after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of counts', schema: z.object({ items: z.array(CountSummary), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listCounts(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/stock-counts/abc', tag, summary: 'ABC classes of the items of a warehouse by stock value (A: top 80%, B: next 15%, C: rest)',
    query: z.strictObject({ warehouse: Code }),
    responses: { 200: { description: 'Items ranked by value with their class', schema: AbcReport } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await abcReport(ctx, query.warehouse) }),
  }),
  defineRoute({
    method: 'GET', path: '/stock-counts/{id}', tag, summary: 'Get a stock count with its lines, entries and (once posted) moves; blind counts hide book quantities from counters', params: IdParams,
    responses: { 200: { description: 'The count', schema: CountView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getCount(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/stock-counts/{id}/variances', tag, summary: 'Variance report: book, counted, variance quantity and value per line, totals and accuracy', params: IdParams,
    responses: { 200: { description: 'The variances', schema: VarianceReport } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await varianceReport(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/stock-counts/{id}/pdf', tag, summary: 'Printable count sheet (PDF); blind counts print no book quantities', params: IdParams,
    responses: { 200: { description: 'application/pdf' } },
    handler: async ({ ctx, params }) => {
      const { pdf, fileName } = await countSheet(ctx, params.id);
      return { status: 200, body: pdf, contentType: 'application/pdf', fileName };
    },
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/start', tag, summary: 'Start: snapshot the balances in scope with their book quantity and unit cost', params: IdParams, body: NoBody,
    responses: { 200: { description: 'In progress', schema: CountView } },
    handler: ({ ctx, params }) => startCount(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/entries', tag, summary: 'Enter counted quantities (scan-friendly: location, SKU or barcode, lot); any bad entry refuses the batch', params: IdParams, body: EntriesBody,
    responses: { 200: { description: 'Recorded', schema: EntriesResult } },
    handler: ({ ctx, params, body }) => enterCounts(ctx, params.id, body.entries),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/submit', tag, summary: 'Counting done: uncounted lines count as zero (or are excluded, not for full counts)', params: IdParams, body: SubmitBody,
    responses: { 200: { description: 'Counted', schema: CountView } },
    handler: ({ ctx, params, body }) => submitCount(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/approve', tag, summary: 'Approve the variances (count.approve; not the person who submitted)', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Approved', schema: CountView } },
    handler: ({ ctx, params }) => approveCount(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/reject', tag, summary: 'Send a submitted count back to counting', params: IdParams, body: RejectBody,
    responses: { 200: { description: 'In progress again', schema: CountView } },
    handler: ({ ctx, params, body }) => rejectCount(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/post', tag, summary: 'Post the variances to the ledger (to/from Virtual/Inventory adjustment)', params: IdParams, body: PostBody,
    responses: { 200: { description: 'Posted', schema: CountView } },
    handler: ({ ctx, params, body }) => postCount(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'POST', path: '/stock-counts/{id}/cancel', tag, summary: 'Cancel a count before posting', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Cancelled', schema: CountView } },
    handler: ({ ctx, params }) => cancelCount(ctx, params.id),
  }),
];
