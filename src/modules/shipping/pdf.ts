import { formatScaled, parseScaled } from '../../core/decimal.js';
import { renderPdf } from '../../print/pdf.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireShipmentWarehouse } from '../users/scope.js';
import { shipmentView } from './view.js';

const print = (value: number | null) => (value === null ? '' : formatScaled(parseScaled(value)));

/**
 * Packing slip and label in one: where it goes, how, in which parcels, and what is in them — the
 * shipment's own lines (order line, SKU, lot, quantity), so each part of a split order prints
 * only what it carries. Shipments from before split shipping have no lines: their moves are listed.
 */
export async function packingSlip(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  const { orgId } = ctx.actor;
  await requireShipmentWarehouse(ctx.store.read, ctx.actor, id);
  const shipment = await shipmentView(ctx.store.read, orgId, id);
  const rows = shipment.lines.length > 0
    ? shipment.lines.map((l) => [String(l.line), l.sku, l.name, l.lot ?? '', `${print(l.quantity)} ${l.unit}`.trim()])
    : shipment.moves.map((m) => ['', m.sku, '', m.lot ?? '', print(m.quantity)]);
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
      ...(shipment.shippedAt ? [['发货 Shipped', shipment.shippedAt] as [string, string]] : [['装箱 Packed', shipment.packedAt ?? '-'] as [string, string]]),
      ...(shipment.promisedOn ? [['承诺送达 Promised', shipment.promisedOn] as [string, string]] : []),
      ['包裹 Packages', parcels.length > 0 ? `${parcels.length}: ${parcels.join('; ')}` : '-'],
    ],
    columns: [
      { header: '行 Line', width: 1, align: 'right' },
      { header: '物料 SKU', width: 3 },
      { header: '名称 Name', width: 5 },
      { header: '批次 Lot', width: 3 },
      { header: '数量 Qty', width: 2, align: 'right' },
    ],
    rows,
    footer: ['发货人 Packed by: ____________        收货人签收 Received by: ____________'],
  });
  return { status: 200, body: pdf, contentType: 'application/pdf', fileName: `${shipment.number}.pdf` };
}
