import { formatScaled, toJsonNumber, parseScaled } from '../../core/decimal.js';
import { renderPdf } from '../../print/pdf.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { queryMoves } from '../../ledger/queries.js';
import { ORDER_DOCUMENT } from './model.js';
import { shipmentView } from './view.js';

const print = (value: number | null) => (value === null ? '' : formatScaled(parseScaled(value)));

/** Packing slip and label in one: where it goes, how, in which parcels, and what is in them. */
export async function packingSlip(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  const shipment = await shipmentView(db, orgId, id);
  // The lines are what left the warehouse: the ship moves, summed per item and lot.
  const { moves } = await queryMoves(db, orgId, { documentType: ORDER_DOCUMENT, documentId: shipment.orderId, limit: 10_000 });
  const lines = new Map<string, { sku: string; lot: string | null; quantity: bigint }>();
  for (const m of moves) {
    const key = `${m.sku}\u0000${m.lot ?? ''}`;
    const line = lines.get(key) ?? { sku: m.sku, lot: m.lot, quantity: 0n };
    line.quantity += m.quantity;
    lines.set(key, line);
  }
  const skus = [...new Set(moves.map((m) => m.sku))];
  const items = skus.length === 0 ? [] : await db.selectFrom('items').select(['sku', 'name', 'unit']).where('org_id', '=', orgId).where('sku', 'in', skus).execute();
  const bySku = new Map(items.map((i) => [i.sku, i]));
  const parcels = shipment.packages.map((p) => {
    const dims = [p.lengthCm, p.widthCm, p.heightCm].every((d) => d !== null) ? `${print(p.lengthCm)} x ${print(p.widthCm)} x ${print(p.heightCm)} cm` : '';
    return `#${p.package}${p.reference ? ` ${p.reference}` : ''}${p.weightKg !== null ? ` ${print(p.weightKg)} kg` : ''}${dims ? ` ${dims}` : ''}`;
  });
  const pdf = await renderPdf({
    title: '装箱单 Packing slip',
    number: shipment.number,
    fields: [
      ['收货人 Ship to', shipment.customer],
      ['销售订单 Sales order', shipment.order],
      ['仓库 Warehouse', shipment.warehouse],
      ['承运人 Carrier', [shipment.carrier, shipment.service].filter(Boolean).join(' / ') || '-'],
      ['运单号 Tracking number', shipment.trackingNumber ?? '-'],
      ['发货 Shipped', shipment.shippedAt],
      ...(shipment.promisedOn ? [['承诺送达 Promised', shipment.promisedOn] as [string, string]] : []),
      ['包裹 Packages', parcels.length > 0 ? `${parcels.length}: ${parcels.join('; ')}` : '-'],
    ],
    columns: [
      { header: '物料 SKU', width: 3 },
      { header: '名称 Name', width: 5 },
      { header: '批次 Lot', width: 3 },
      { header: '数量 Qty', width: 2, align: 'right' },
    ],
    rows: [...lines.values()].map((l) => {
      const item = bySku.get(l.sku);
      return [l.sku, item?.name ?? '', l.lot ?? '', `${print(toJsonNumber(l.quantity))} ${item?.unit ?? ''}`.trim()];
    }),
    footer: ['发货人 Packed by: ____________        收货人签收 Received by: ____________'],
  });
  return { status: 200, body: pdf, contentType: 'application/pdf', fileName: `${shipment.number}.pdf` };
}
