/**
 * Receiving on the phone against an approved purchase order: scan each item (GS1 fills lot and
 * expiry, a case's (37) count fills the quantity), confirm the quantity, and post the receipt.
 * The receipt goes through the offline queue as one POST /receipts with its idempotency key, so a
 * retry after a lost answer never receives twice. Goods land in the warehouse's Input location
 * (inspection is a desk task).
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Empty, Input, Tag, type InputRef } from 'antd';
import { Rows, rowStyle } from './Rows';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../scan/ScanField';
import { QueueFullError } from '../scan/queue.js';
import { scanQueue, useOnline } from '../scan/useScanQueue';
import { findItem, interpretScan, looksLikeScan, parseQuantity, type Item } from './data';

const PREFIX = { color: '#666', marginRight: 4 } as const;

interface PoLine { line: number; sku: string; name: string; unit: string; quantity: number; received: number; remaining: number }
interface PurchaseOrder { id: number; number: string; status: string; supplier: string; supplierName: string; warehouse: string; lines: PoLine[] }
interface DraftLine { line: number; sku: string; quantity: number; lot?: string; expiresOn?: string }

export function ReceiveList({ warehouse }: { warehouse: string }) {
  const { t } = useI18n();
  const { data, isLoading, error } = useQuery({
    queryKey: ['purchase-orders', 'open', warehouse],
    queryFn: async () => {
      const [approved, partial] = await Promise.all(
        ['approved', 'partially_received'].map((status) => api.get<Page<PurchaseOrder>>('/purchase-orders', { status, warehouse, limit: 50 })),
      );
      return [...approved!.items, ...partial!.items].sort((a, b) => b.id - a.id);
    },
  });
  if (error) return <Alert type="error" title={(error as Error).message} />;
  return (
    <div>
      <h2 style={{ fontSize: 18 }}>{t('receive.choose')}</h2>
      <Rows
        loading={isLoading}
        empty={<Empty description={t('receive.none')} />}
        items={data ?? []}
        rowKey={(po) => po.id}
        render={(po) => (
          <div style={rowStyle}>
            <Link to={String(po.id)} data-testid={`po-${po.number}`} style={{ fontSize: 17, width: '100%' }}>
              {po.number} · {po.supplierName} <Tag>{po.status}</Tag>
            </Link>
          </div>
        )}
      />
    </div>
  );
}

export function ReceiveScreen() {
  const { id } = useParams();
  const poId = Number(id);
  const { t } = useI18n();
  const online = useOnline();
  const navigate = useNavigate();
  const scanField = useRef<ScanFieldHandle>(null);
  const qtyInput = useRef<InputRef>(null);
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('count.stepItem') });
  const [current, setCurrent] = useState<{ item: Item; line: PoLine }>();
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [qty, setQty] = useState('');
  // The lines scanned so far survive a reload or a locked phone until the receipt is posted.
  const draftKey = `cangku.receiveDraft.${poId}`;
  const [draft, setDraftState] = useState<DraftLine[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(draftKey) ?? '[]') as DraftLine[];
    } catch {
      return [];
    }
  });
  const setDraft = (update: (d: DraftLine[]) => DraftLine[]) =>
    setDraftState((d) => {
      const next = update(d);
      if (next.length) localStorage.setItem(draftKey, JSON.stringify(next));
      else localStorage.removeItem(draftKey);
      return next;
    });
  const po = useQuery({ queryKey: ['purchase-order', poId], queryFn: () => api.get<PurchaseOrder>(`/purchase-orders/${poId}`) });

  useEffect(() => {
    if (current) qtyInput.current?.focus();
  }, [current]);

  const inDraft = (line: number) => draft.filter((d) => d.line === line).reduce((s, d) => s + d.quantity, 0);

  const onScan = async (text: string) => {
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    setState({ kind: 'busy', message: '…' });
    const item = await findItem(scan.itemCodes).catch(() => undefined);
    if (!item) return setState({ kind: 'error', message: t('m.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    const lines = (po.data?.lines ?? []).filter((l) => l.sku === item.sku);
    const line = lines.find((l) => l.remaining - inDraft(l.line) > 0) ?? lines[0];
    if (!line) return setState({ kind: 'error', message: t('receive.notOnOrder', { sku: item.sku }) });
    const gs1 = scan.kind === 'gs1' ? scan.data : undefined;
    setCurrent({ item, line });
    setLot((item.tracking === 'serial' ? gs1?.serial : gs1?.lot) ?? '');
    setExpiry(gs1?.expiry ?? '');
    setQty(item.tracking === 'serial' ? '1' : gs1?.count !== undefined ? String(gs1.count) : '');
    setState({ kind: 'ok', message: `${item.sku} ${item.name} — ${t('receive.remaining', { n: line.remaining - inDraft(line.line) })}` });
  };

  const add = () => {
    if (!current) return setState({ kind: 'error', message: t('m.scanItemFirst') });
    if (looksLikeScan(qty)) {
      const text = qty;
      setQty('');
      return void onScan(text);
    }
    const quantity = parseQuantity(qty, current.item.unitPrecision, false);
    if (quantity === undefined) return setState({ kind: 'error', message: t('m.badQty', { d: current.item.unitPrecision }) });
    if (current.item.tracking !== 'none' && !lot.trim()) return setState({ kind: 'error', message: t('m.lotRequired') });
    const entry: DraftLine = { line: current.line.line, sku: current.item.sku, quantity, ...(lot.trim() ? { lot: lot.trim() } : {}), ...(expiry ? { expiresOn: expiry } : {}) };
    setDraft((d) => [...d, entry]);
    setState({ kind: 'ok', message: t('receive.added', { label: `${entry.sku}${entry.lot ? ` #${entry.lot}` : ''} × ${quantity}` }) });
    setCurrent(undefined);
    setQty('');
    setLot('');
    setExpiry('');
    scanField.current?.focus();
  };

  const post = () => {
    if (!po.data || draft.length === 0) return;
    try {
      scanQueue().enqueue({ path: '/receipts', body: { purchaseOrder: po.data.id, lines: draft }, label: `${po.data.number} · ${draft.length}` });
      setDraft(() => []);
      setState({ kind: online ? 'ok' : 'queued', message: online ? t('receive.posted') : t('m.queued') });
      setTimeout(() => navigate('..', { relative: 'path' }), 800);
    } catch (error) {
      setState({ kind: 'error', message: error instanceof QueueFullError ? t('m.queueFull') : (error as Error).message });
    }
  };

  if (po.error) return <Alert type="error" title={(po.error as Error).message} />;
  return (
    <div data-testid="receive-screen">
      <h2 style={{ fontSize: 18 }}>{po.data ? `${po.data.number} · ${po.data.supplierName}` : '…'}</h2>
      <ScanField ref={scanField} onScan={onScan} state={state} />
      {current && (
        <div style={{ background: '#fff', borderRadius: 8, padding: 12, marginTop: 12 }}>
          <div style={{ fontSize: 17, fontWeight: 600 }}>#{current.line.line} {current.item.sku} · {current.item.name}</div>
          {current.item.tracking !== 'none' && (
            <>
              <Input size="large" prefix={<span style={PREFIX}>{t(current.item.tracking === 'serial' ? 'm.serial' : 'm.lot')}</span>} value={lot} onChange={(e) => setLot(e.target.value)} style={{ marginTop: 8 }} />
              <Input size="large" type="date" prefix={<span style={PREFIX}>{t('m.expiry')}</span>} value={expiry} onChange={(e) => setExpiry(e.target.value)} style={{ marginTop: 8 }} />
            </>
          )}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Input ref={qtyInput} size="large" inputMode="decimal" prefix={<span style={PREFIX}>{t('m.qty')}</span>} suffix={current.item.unit} value={qty} onChange={(e) => setQty(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} />
            <Button size="large" type="primary" onClick={add}>{t('m.confirm')}</Button>
          </div>
        </div>
      )}
      <div style={{ marginTop: 12 }} />
      <Rows
        items={po.data?.lines ?? []}
        rowKey={(l) => l.line}
        render={(l) => (
          <div style={rowStyle}>
            <span>#{l.line} {l.sku} <span style={{ color: '#666' }}>{l.name}</span></span>
            <span>{l.received + inDraft(l.line)} / {l.quantity} {l.unit}</span>
          </div>
        )}
      />
      {draft.length > 0 && (
        <section style={{ marginTop: 12 }}>
          <h3 style={{ fontSize: 15 }}>{t('receive.draft')}</h3>
          {draft.map((d, i) => (
            <div key={i} style={{ display: 'flex', justifyContent: 'space-between', padding: '4px 0' }}>
              <span>#{d.line} {d.sku}{d.lot ? ` #${d.lot}` : ''}{d.expiresOn ? ` (${d.expiresOn})` : ''} × {d.quantity}</span>
              <Button size="small" danger onClick={() => setDraft((all) => all.filter((_, j) => j !== i))}>{t('m.discard')}</Button>
            </div>
          ))}
          <Button block size="large" type="primary" style={{ marginTop: 8 }} onClick={post} data-testid="receive-post">{t('receive.post', { n: draft.length })}</Button>
        </section>
      )}
    </div>
  );
}
