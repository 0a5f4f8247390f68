import { fieldError, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireLocationWarehouse } from '../users/scope.js';
import { isPhysical } from '../../ledger/locations.js';
import { itemLabel, locationLabel, lotLabel, type LabelContent, type Symbology } from './content.js';
import { DEFAULT_SIZE, LABEL_SIZES, renderLabels } from './render.js';
import { requireLotWarehouse } from './scope.js';

/** Printing reads only: no command, no audit record (like the other PDFs). */
export type LabelTarget =
  | { item: number }
  | { location: number }
  | { lot: number }
  | { sku: string; lot: string };

export interface LabelLine { target: LabelTarget; copies: number }
export interface LabelOptions { symbology: Symbology; size?: string }

/** Where a missing target is reported: the path of a GET (404) or a line of the batch body (422). */
type Missing = (what: string, field: string) => Error;
const missingInPath: Missing = (what) => notFound(what);
const missingInBody: Missing = (what, field) => fieldError(field, `${what} not found`);

async function loadItem(ctx: ServiceContext, where: { id: number } | { sku: string }) {
  const q = ctx.store.read.selectFrom('items').selectAll().where('org_id', '=', ctx.actor.orgId);
  return ('id' in where ? q.where('id', '=', where.id) : q.where('sku', '=', where.sku)).executeTakeFirst();
}

async function contentOf(ctx: ServiceContext, target: LabelTarget, field: string, missing: Missing): Promise<{ content: LabelContent; name: string }> {
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  if ('item' in target) {
    authorize(ctx.actor, 'item.view');
    const item = await loadItem(ctx, { id: target.item });
    if (!item) throw missing(`item ${target.item}`, `${field}.item`);
    return { content: itemLabel(item), name: item.sku };
  }
  if ('location' in target) {
    authorize(ctx.actor, 'warehouse.view');
    const row = await db
      .selectFrom('locations as l')
      .leftJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'l.org_id').onRef('w.id', '=', 'l.warehouse_id'))
      .select(['l.code', 'l.name', 'l.kind', 'l.warehouse_id', 'w.code as warehouseCode', 'w.name as warehouseName'])
      .where('l.org_id', '=', orgId)
      .where('l.id', '=', target.location)
      .executeTakeFirst();
    // Virtual locations (suppliers, scrap, ...) have no shelf to stick a label on.
    if (!row || !row.warehouseCode || !isPhysical(row.kind)) throw missing(`location ${target.location}`, `${field}.location`);
    // A bin of a warehouse the user may not see: 403, as for every document of another warehouse.
    await requireLocationWarehouse(db, ctx.actor, target.location);
    return { content: locationLabel({ code: row.code, name: row.name, kind: row.kind, warehouseCode: row.warehouseCode, warehouseName: row.warehouseName ?? '' }), name: row.code };
  }
  authorize(ctx.actor, 'stock.view');
  let lot;
  let item;
  if ('sku' in target) {
    item = await loadItem(ctx, { sku: target.sku });
    if (!item) throw missing(`item ${target.sku}`, `${field}.sku`);
    lot = await db.selectFrom('lots').selectAll().where('org_id', '=', orgId).where('item_id', '=', item.id).where('code', '=', target.lot).executeTakeFirst();
    if (!lot) throw missing(`lot ${target.lot} of ${target.sku}`, `${field}.lot`);
  } else {
    lot = await db.selectFrom('lots').selectAll().where('org_id', '=', orgId).where('id', '=', target.lot).executeTakeFirst();
    item = lot ? await loadItem(ctx, { id: num(lot.item_id) }) : undefined;
    if (!lot || !item) throw missing(`lot ${target.lot}`, `${field}.lot`);
  }
  await requireLotWarehouse(db, ctx.actor, num(lot.id));
  return { content: lotLabel({ code: lot.code, expiresOn: lot.expires_on, item }), name: `${item.sku}-${lot.code}` };
}

function sizeOf(id: string | undefined) {
  const size = LABEL_SIZES.find((s) => s.id === (id ?? DEFAULT_SIZE));
  if (!size) throw fieldError('size', `unknown label size ${id}: one of ${LABEL_SIZES.map((s) => s.id).join(', ')}`);
  return size;
}

/** One label (GET /labels/items/{id} and friends): a missing target is a 404. */
export async function singleLabelPdf(ctx: ServiceContext, target: LabelTarget, copies: number, options: LabelOptions) {
  const size = sizeOf(options.size);
  const { content, name } = await contentOf(ctx, target, 'params', missingInPath);
  const pdf = await renderLabels({ labels: [{ content, copies, field: 'symbology' }], symbology: options.symbology, size, title: `Label ${name}` });
  return { pdf, fileName: `label-${name}.pdf` };
}

/** Many labels in one PDF (POST /labels): a missing target is a 422 on its line. */
export async function batchLabelPdf(ctx: ServiceContext, lines: LabelLine[], options: LabelOptions) {
  const size = sizeOf(options.size);
  const labels = [];
  for (const [i, line] of lines.entries()) {
    const { content } = await contentOf(ctx, line.target, `labels.${i}`, missingInBody);
    labels.push({ content, copies: line.copies, field: `labels.${i}` });
  }
  const pdf = await renderLabels({ labels, symbology: options.symbology, size, title: `Labels (${labels.length})` });
  return { pdf, fileName: 'labels.pdf' };
}
