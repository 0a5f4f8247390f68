import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { IdParams, LotCode, Sku } from '../../http/schemas.js';
import { SYMBOLOGIES, type Symbology } from './content.js';
import { DEFAULT_SIZE, LABEL_SIZES } from './render.js';
import { batchLabelPdf, singleLabelPdf, type LabelTarget } from './service.js';

const tag = 'labels';
const SymbologyParam = z.enum(SYMBOLOGIES as [Symbology, ...Symbology[]]).default('code128').describe('code128 (GS1-128 for GS1 data), qr or datamatrix');
const SizeParam = z.enum(LABEL_SIZES.map((s) => s.id) as [string, ...string[]]).default(DEFAULT_SIZE).describe(`Label size: ${LABEL_SIZES.map((s) => s.id).join(', ')}`);
const Copies = z.coerce.number().int().min(1).max(100).default(1);
const LabelQuery = z.strictObject({ symbology: SymbologyParam, size: SizeParam, copies: Copies });
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const BatchLine = z
  .strictObject({
    item: Id.optional().describe('Item id'),
    location: Id.optional().describe('Location id (stock location, zone or bin)'),
    lot: z.union([Id, LotCode]).optional().describe('Lot id, or the lot code together with `sku`'),
    sku: Sku.optional().describe('With a lot code: the item the lot belongs to'),
    copies: z.number().int().min(1).max(100).optional(),
  })
  .superRefine((line, ctx) => {
    const targets = [line.item !== undefined, line.location !== undefined, line.lot !== undefined].filter(Boolean).length;
    if (targets !== 1) ctx.addIssue({ code: 'custom', message: 'name exactly one of item, location and lot' });
    else if (typeof line.lot === 'string' && line.sku === undefined) ctx.addIssue({ code: 'custom', path: ['sku'], message: 'a lot code needs the sku of its item' });
    else if (line.sku !== undefined && typeof line.lot !== 'string') ctx.addIssue({ code: 'custom', path: ['sku'], message: 'sku only goes with a lot code' });
  });
const BatchBody = z.strictObject({
  symbology: SymbologyParam,
  size: SizeParam,
  labels: z.array(BatchLine).min(1, 'at least one label').max(200, 'at most 200 labels'),
}).refine((b) => b.labels.reduce((n, l) => n + (l.copies ?? 1), 0) <= 1000, { path: ['labels'], message: 'at most 1000 labels in all (copies included)' });

const pdf = (result: { pdf: Buffer; fileName: string }) => ({ status: 200, body: result.pdf, contentType: 'application/pdf', fileName: result.fileName });
const pdfResponse = { 200: { description: 'application/pdf: one page per label (roll sizes) or A4 sheets of labels' } };

function single(path: string, summary: string, target: (id: number) => LabelTarget) {
  return defineRoute({
    method: 'GET', path, tag, summary, params: IdParams, query: LabelQuery, responses: pdfResponse,
    handler: async ({ ctx, params, query }) => pdf(await singleLabelPdf(ctx, target(params.id), query.copies, { symbology: query.symbology, size: query.size })),
  });
}

export const labelRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/labels/sizes', tag, summary: 'The label sizes and symbologies the label PDFs support',
    responses: {
      200: {
        description: 'Sizes',
        schema: z.object({ symbologies: z.array(z.string()), defaultSize: z.string(), sizes: z.array(z.object({ id: z.string(), description: z.string(), widthMm: z.number(), heightMm: z.number(), perPage: z.number().int() })) }),
      },
    },
    handler: async () => ({
      status: 200,
      body: {
        symbologies: [...SYMBOLOGIES], defaultSize: DEFAULT_SIZE,
        sizes: LABEL_SIZES.map((s) => ({ id: s.id, description: s.description, widthMm: s.widthMm, heightMm: s.heightMm, perPage: s.sheet ? s.sheet.columns * s.sheet.rows : 1 })),
      },
    }),
  }),
  single('/labels/items/{id}', 'Item label (PDF): name, SKU and a barcode of the SKU, or GS1 (01) GTIN when the item barcode is a GTIN', (id) => ({ item: id })),
  single('/labels/locations/{id}', 'Bin / zone / stock location label (PDF): the location code as barcode', (id) => ({ location: id })),
  single('/labels/lots/{id}', 'Lot or serial label (PDF): GS1 (01)/(240) item, (17) expiry, (10) lot or (21) serial', (id) => ({ lot: id })),
  defineRoute({
    method: 'POST', path: '/labels', tag, summary: 'Many labels in one PDF: items, locations and lots (by id, or lot code with sku), with copies; writes nothing',
    body: BatchBody, responses: pdfResponse,
    handler: async ({ ctx, body }) => {
      const lines = body.labels.map((l) => ({
        target: (l.item !== undefined ? { item: l.item } : l.location !== undefined ? { location: l.location } : typeof l.lot === 'string' ? { sku: l.sku!, lot: l.lot } : { lot: l.lot! }) as LabelTarget,
        copies: l.copies ?? 1,
      }));
      return pdf(await batchLabelPdf(ctx, lines, { symbology: body.symbology, size: body.size }));
    },
  }),
];
