import { z, type ZodType } from 'zod';
import { authorize } from '../../app/context.js';
import { canSeeCosts, hideCosts, isMoneyKey } from '../../app/cost-visibility.js';
import { notFound, validationError } from '../../core/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { flattenRecord, itemSchema, recordsOf, schemaColumns, type LinesMode } from './flatten.js';
import { CONTENT_TYPES, tableWriter, type Cell, type TableFormat } from './writers.js';

/** List routes that are not data to export. */
const NOT_EXPORTED = new Set(['/auth/me', '/auth/tokens', '/exports', '/openapi.json']);
const PAGE = 1000;
/** Query parameters of a list that the export sets itself while paging. */
const PAGING = ['after', 'before', 'limit', 'offset', 'total'];

/** GET routes without path parameters that answer JSON: every list and report of the API. */
function exportable(routes: RouteSpec[]): Map<string, RouteSpec> {
  const found = new Map<string, RouteSpec>();
  for (const route of routes) {
    if (route.method !== 'GET' || route.path.includes('{') || NOT_EXPORTED.has(route.path) || route.path.startsWith('/exports')) continue;
    found.set(route.path.slice(1).replace(/\//g, '.'), route);
  }
  return found;
}

function queryShape(route: RouteSpec): Record<string, unknown> {
  const def = (route.query as unknown as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ?? {};
}

/**
 * Export any list or report as CSV or XLSX: `GET /exports/{resource}` resolves the list's own GET
 * route (`stock.summary` is GET /stock/summary), calls its handler with the caller's context (so
 * the list's own right and filters apply exactly as in the API), pages through it with its `next`
 * cursor, hides costs from roles that may not see them, flattens each record and streams the file.
 */
export function exportRoutes(routes: RouteSpec[]): RouteSpec[] {
  let resources: Map<string, RouteSpec> | undefined;
  // Resolved on first use: the route list is complete by then.
  const all = () => (resources ??= exportable(routes));

  return [
    defineRoute({
      method: 'GET', path: '/exports', tag: 'exports', summary: 'The lists and reports that can be exported',
      responses: { 200: { description: 'Exportable resources', schema: z.object({ items: z.array(z.object({ resource: z.string(), path: z.string(), summary: z.string(), filters: z.array(z.string()) })) }) } },
      handler: async ({ ctx }) => {
        authorize(ctx.actor, 'export.run');
        const items = [...all().entries()].map(([resource, route]) => ({
          resource, path: route.path, summary: route.summary, filters: Object.keys(queryShape(route)).filter((k) => !PAGING.includes(k)),
        }));
        return { status: 200, body: { items } };
      },
    }),
    defineRoute({
      method: 'GET', path: '/exports/{resource}', tag: 'exports',
      summary: 'Export a list or report (resource = its path with dots: items, stock.summary, sales-orders) as CSV or XLSX; other query parameters are the list\'s own filters',
      params: z.strictObject({ resource: z.string().regex(/^[a-z0-9.-]{1,100}$/, 'a resource listed by GET /exports') }),
      query: z.record(z.string(), z.string()),
      responses: { 200: { description: 'The file (text/csv or XLSX)' } },
      handler: async ({ ctx, params, query, request }) => {
        authorize(ctx.actor, 'export.run');
        const route = all().get(params.resource);
        if (!route) throw notFound(`export ${params.resource} (see GET /exports)`);
        const { format: formatText = 'csv', lines: linesText = 'expand', ...filters } = query;
        if (formatText !== 'csv' && formatText !== 'xlsx') throw validationError('format must be csv or xlsx', [{ field: 'query.format', message: 'must be csv or xlsx' }]);
        if (linesText !== 'expand' && linesText !== 'json') throw validationError('lines must be expand or json', [{ field: 'query.lines', message: 'must be expand or json' }]);
        const format: TableFormat = formatText;
        const mode: LinesMode = linesText;
        const shape = queryShape(route);
        for (const k of PAGING) delete filters[k];
        // Lists page by their `next` cursor (after/before); a list sorted on request pages by offset.
        const byOffset = 'offset' in shape && filters.sort !== undefined;
        const cursor = byOffset ? 'offset' : 'after' in shape ? 'after' : 'before' in shape ? 'before' : null;
        const pageQuery = (next?: string): unknown => {
          if (!route.query) return undefined;
          const raw: Record<string, string> = { ...filters, ...('limit' in shape ? { limit: String(PAGE) } : {}), ...(next !== undefined && cursor ? { [cursor]: next } : {}) };
          const parsed = route.query.safeParse(raw);
          if (!parsed.success) {
            const errors = parsed.error.issues.map((i) => ({ field: `query.${i.path.join('.') || ''}`.replace(/\.$/, ''), message: i.message }));
            throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
          }
          return parsed.data;
        };
        if (!route.query && Object.keys(filters).length > 0) throw validationError(`${route.path} takes no filters`, Object.keys(filters).map((k) => ({ field: `query.${k}`, message: 'unknown filter' })));
        const fetchPage = async (next?: string) => {
          const result = await route.handler({ body: undefined, query: pageQuery(next), params: {}, ctx, request });
          if (result.contentType || result.status !== 200) throw validationError(`${route.path} is not a list`);
          return result.body as { next?: unknown } | unknown[];
        };

        // The first page is read before answering: a missing right or a bad filter is a 4xx, not a broken file.
        const rawFirst = await fetchPage();
        const first = hideCosts(rawFirst, ctx.actor);
        const { columns: fromSchema, expandable } = schemaColumns(itemSchema(route.responses[200]?.schema as ZodType | undefined), mode);
        const flatKeys = (body: unknown) => {
          const keys = new Set<string>();
          for (const record of recordsOf(body)) for (const row of flattenRecord(record, mode, fromSchema.length ? expandable : undefined)) for (const k of Object.keys(row)) keys.add(k);
          return keys;
        };
        const rawKeys = flatKeys(rawFirst);
        const shownKeys = flatKeys(first);
        // Columns of money a caller may not see are left out, not just left empty (hideCosts
        // empties every value under a money key; the header would still say what is missing).
        const seesCosts = canSeeCosts(ctx.actor);
        const columns = [...fromSchema.filter((c) => !(rawKeys.has(c) && !shownKeys.has(c))), ...[...shownKeys].filter((k) => !fromSchema.includes(k))]
          .filter((c) => seesCosts || !c.split('.').some(isMoneyKey));

        const writer = tableWriter(format, params.resource.slice(0, 31));
        const write = async () => {
          await writer.row(columns);
          let page: unknown = first;
          let done = 0;
          for (;;) {
            const records = recordsOf(page);
            for (const record of records) {
              for (const row of flattenRecord(record, mode, fromSchema.length ? expandable : undefined)) await writer.row(columns.map((c): Cell => row[c] ?? null));
            }
            done += records.length;
            const more = cursor && !Array.isArray(page) ? (page as { next?: unknown }).next : undefined;
            const next = byOffset ? (records.length === PAGE ? done : undefined) : more;
            if (next === undefined || next === null || next === '') break;
            page = hideCosts(await fetchPage(String(next)), ctx.actor);
          }
          await writer.end();
        };
        void write().catch((error: unknown) => {
          request.log.error({ err: error }, 'export failed while streaming');
          writer.stream.destroy(error as Error);
        });
        const date = new Date().toISOString().slice(0, 10);
        return { status: 200, body: writer.stream, contentType: CONTENT_TYPES[format], fileName: `${params.resource}-${date}.${format}` };
      },
    }),
  ];
}
