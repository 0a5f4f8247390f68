/**
 * What a shipped sales order can still take back, per order line and lot: what its shipments
 * carried minus what earlier returns (RMAs) took back. Prefills the RMA create form; the API
 * checks it again (422 on `lines.i.quantity`), this only saves typing.
 */
import { api } from '../api/client';

/** Quantities are exact to 6 decimals on the server: add and subtract them as scaled integers, never as floats. */
const SCALE = 1_000_000n;
export function toScaled(value: number): bigint {
  const [whole, fraction = ''] = value.toFixed(6).split('.');
  const negative = whole!.startsWith('-');
  const scaled = BigInt(whole!.replace('-', '')) * SCALE + BigInt(fraction.padEnd(6, '0'));
  return negative ? -scaled : scaled;
}
export function fromScaled(value: bigint): number {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const text = `${abs / SCALE}.${String(abs % SCALE).padStart(6, '0')}`;
  return Number(negative ? `-${text}` : text);
}

interface OrderView {
  id: number;
  lines: Array<{ line: number; sku: string; shipped: number }>;
  shipments: Array<{ id: number; status: string }>;
}
interface ShipmentView { lines: Array<{ line: number; sku: string; lot: string | null; quantity: number }> }
interface ReturnView { lines: Array<{ orderLine: number; lot: string | null; returned: number }> }

export type ReturnableLine = {
  line: number;
  sku: string;
  lot?: string;
  returnable: number;
  quantity: number;
};

export async function returnableLines(orderId: number): Promise<ReturnableLine[]> {
  const order = await api.get<OrderView>(`/sales-orders/${orderId}`);
  // A packed shipment has not left yet; only what went out can come back.
  const gone = order.shipments.filter((s) => s.status !== 'packed');
  const shipments = await Promise.all(gone.map((s) => api.get<ShipmentView>(`/shipments/${s.id}`)));
  const returns = await api.get<{ items: ReturnView[] }>('/sales-returns', { salesOrder: orderId, limit: 1000 });

  const key = (line: number, lot: string | null | undefined) => `${line}\u0000${lot ?? ''}`;
  const shipped = new Map<string, { line: number; lot: string | null; quantity: bigint }>();
  for (const s of shipments) {
    for (const l of s.lines) {
      const k = key(l.line, l.lot);
      const entry = shipped.get(k) ?? { line: l.line, lot: l.lot, quantity: 0n };
      entry.quantity += toScaled(l.quantity);
      shipped.set(k, entry);
    }
  }
  // Shipments from before split shipping carry no lines: the order line's shipped total, lot unknown.
  for (const l of order.lines) {
    const fromShipments = [...shipped.values()].filter((e) => e.line === l.line).reduce((sum, e) => sum + e.quantity, 0n);
    const missing = toScaled(l.shipped) - fromShipments;
    if (missing > 0n) {
      const k = key(l.line, null);
      const entry = shipped.get(k) ?? { line: l.line, lot: null, quantity: 0n };
      entry.quantity += missing;
      shipped.set(k, entry);
    }
  }
  const returned = new Map<string, bigint>();
  for (const r of returns.items) for (const l of r.lines) returned.set(key(l.orderLine, l.lot), (returned.get(key(l.orderLine, l.lot)) ?? 0n) + toScaled(l.returned));

  const sku = new Map(order.lines.map((l) => [l.line, l.sku]));
  return [...shipped.entries()]
    .map(([k, e]) => ({ ...e, left: e.quantity - (returned.get(k) ?? 0n) }))
    .filter((e) => e.left > 0n)
    .sort((a, b) => a.line - b.line || String(a.lot).localeCompare(String(b.lot)))
    .map((e) => ({ line: e.line, sku: sku.get(e.line) ?? '', ...(e.lot ? { lot: e.lot } : {}), returnable: fromScaled(e.left), quantity: fromScaled(e.left) }));
}
