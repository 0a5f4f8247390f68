/**
 * Put-away on the phone: scan the item (GS1 fills the lot), see the suggested bin
 * (GET /putaway-suggestions), scan the bin it goes to, confirm the quantity. The move is an
 * internal transfer, sent through the offline queue, from the warehouse's stock location — or,
 * when a bin is scanned while the screen waits for an item, from that bin (bin to bin, a receiving
 * dock bin). The source stays for the next items until changed or set back to the default.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, Tag, type InputRef } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../scan/ScanField';
import { QueueFullError } from '../scan/queue.js';
import { scanQueue, useOnline } from '../scan/useScanQueue';
import { findItem, interpretScan, looksLikeScan, matchLocation, parseQuantity, shortCode, storageLocations, type Item, type Warehouse } from './data';

const PREFIX = { color: '#666', marginRight: 4 } as const;

interface Suggestion { location: string; source: string }

export default function PutAwayScreen({ warehouse }: { warehouse: string }) {
  const { t } = useI18n();
  const online = useOnline();
  const scanField = useRef<ScanFieldHandle>(null);
  const qtyInput = useRef<InputRef>(null);
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('putaway.stepItemOrFrom') });
  const [item, setItem] = useState<Item>();
  const [lot, setLot] = useState('');
  const [suggestion, setSuggestion] = useState<Suggestion>();
  const [to, setTo] = useState<string>();
  const [qty, setQty] = useState('');
  /** The bin the stock comes from; undefined: the warehouse's stock location (the API's default). */
  const [from, setFrom] = useState<string>();
  const locations = useQuery({ queryKey: ['storage-locations', warehouse], queryFn: () => storageLocations(warehouse), staleTime: 60_000 });
  // Same key and query as the home screen's warehouse picker: usually already cached.
  const warehouses = useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<{ items: Warehouse[] }>('/warehouses'), staleTime: 60_000 });
  const stockLocation = warehouses.data?.items.find((w) => w.code === warehouse)?.stockLocation;

  useEffect(() => {
    if (to) qtyInput.current?.focus();
  }, [to]);

  const reset = () => {
    setItem(undefined);
    setLot('');
    setSuggestion(undefined);
    setTo(undefined);
    setQty('');
  };

  const onScan = async (text: string) => {
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    const location = matchLocation(scan, locations.data ?? []);
    if (location) {
      // Waiting for an item: the bin is where the stock comes from.
      if (!item) {
        const source = location.code === stockLocation ? undefined : location.code;
        setFrom(source);
        return setState({ kind: 'ok', message: t('putaway.fromSet', { location: location.code }) });
      }
      if (location.code === (from ?? stockLocation)) return setState({ kind: 'error', message: t('putaway.sameBin', { location: location.code }) });
      setTo(location.code);
      const differs = suggestion && suggestion.location !== location.code;
      return setState({ kind: 'ok', message: differs ? t('putaway.otherBin', { location: location.code }) : `${t('m.bin')} ${location.code}` });
    }
    setState({ kind: 'busy', message: '…' });
    const found = await findItem(scan.itemCodes).catch(() => undefined);
    if (!found) return setState({ kind: 'error', message: t('m.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    reset();
    const gs1 = scan.kind === 'gs1' ? scan.data : undefined;
    setItem(found);
    setLot((found.tracking === 'serial' ? gs1?.serial : gs1?.lot) ?? '');
    setQty(found.tracking === 'serial' ? '1' : gs1?.count !== undefined ? String(gs1.count) : '');
    try {
      const s = await api.get<Suggestion>('/putaway-suggestions', { warehouse, item: found.sku });
      setSuggestion(s);
      setState({ kind: 'ok', message: `${found.sku} — ${t('putaway.suggested', { location: s.location })}. ${t('putaway.stepBin')}` });
    } catch (error) {
      setState({ kind: 'error', message: (error as Error).message });
    }
  };

  const confirm = () => {
    if (!item) return setState({ kind: 'error', message: t('m.scanItemFirst') });
    if (looksLikeScan(qty)) {
      const text = qty;
      setQty('');
      return void onScan(text);
    }
    if (!to) return setState({ kind: 'error', message: t('putaway.stepBin') });
    const quantity = parseQuantity(qty, item.unitPrecision, false);
    if (quantity === undefined) return setState({ kind: 'error', message: t('m.badQty', { d: item.unitPrecision }) });
    if (item.tracking !== 'none' && !lot.trim()) return setState({ kind: 'error', message: t('m.lotRequired') });
    const label = `${item.sku}${lot ? ` #${lot}` : ''} × ${quantity} ${from ? `${shortCode(from)} ` : ''}→ ${shortCode(to)}`;
    try {
      scanQueue().enqueue({
        path: '/internal-transfers',
        body: { warehouse, note: 'put-away (mobile)', lines: [{ item: item.sku, ...(from ? { from } : {}), to, quantity, ...(lot.trim() ? { lot: lot.trim() } : {}) }] },
        label,
      });
      setState({ kind: online ? 'ok' : 'queued', message: online ? t('putaway.moved', { label }) : `${t('m.queued')}: ${label}` });
      reset();
      scanField.current?.focus();
    } catch (error) {
      setState({ kind: 'error', message: error instanceof QueueFullError ? t('m.queueFull') : (error as Error).message });
    }
  };

  return (
    <div data-testid="putaway-screen">
      <div data-testid="putaway-from" data-from={from ?? ''} style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginBottom: 8 }}>
        <span>{t('putaway.from')}:</span>
        {from ? <Tag color="orange" style={{ fontSize: 15, padding: '2px 8px' }}>{from}</Tag> : <strong>{stockLocation ?? '…'}</strong>}
        {!from && <span style={{ color: '#666' }}>({t('putaway.fromDefault')})</span>}
        {from && <Button onClick={() => { setFrom(undefined); setState({ kind: 'idle', message: t('putaway.stepItemOrFrom') }); scanField.current?.focus(); }} data-testid="putaway-from-reset">{t('putaway.fromReset')}</Button>}
      </div>
      <ScanField ref={scanField} onScan={onScan} state={state} />
      {item && (
        <div style={{ background: '#fff', borderRadius: 8, padding: 12, marginTop: 12 }}>
          <div style={{ fontSize: 17, fontWeight: 600 }}>{item.sku} · {item.name}</div>
          {suggestion && <div style={{ marginTop: 4 }}>{t('putaway.suggested', { location: '' })}<Tag color="blue">{suggestion.location}</Tag></div>}
          <div style={{ marginTop: 4 }}>{t('putaway.from')}: <strong>{from ?? stockLocation ?? '—'}</strong> → {t('m.bin')}: <strong>{to ?? '—'}</strong></div>
          {item.tracking !== 'none' && (
            <Input size="large" prefix={<span style={PREFIX}>{t(item.tracking === 'serial' ? 'm.serial' : 'm.lot')}</span>} value={lot} onChange={(e) => setLot(e.target.value)} style={{ marginTop: 8 }} />
          )}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Input ref={qtyInput} size="large" inputMode="decimal" prefix={<span style={PREFIX}>{t('m.qty')}</span>} suffix={item.unit} value={qty} onChange={(e) => setQty(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
            <Button size="large" type="primary" onClick={confirm}>{t('m.confirm')}</Button>
          </div>
        </div>
      )}
      {locations.error && <Alert type="error" title={(locations.error as Error).message} />}
    </div>
  );
}
