/**
 * Put-away on the phone: scan the item (GS1 fills the lot), see the suggested bin
 * (GET /putaway-suggestions), scan the bin it goes to, confirm the quantity. The move is an
 * internal transfer from the warehouse's stock location, sent through the offline queue.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, Tag, type InputRef } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../scan/ScanField';
import { QueueFullError } from '../scan/queue.js';
import { scanQueue, useOnline } from '../scan/useScanQueue';
import { findItem, interpretScan, looksLikeScan, matchLocation, parseQuantity, shortCode, storageLocations, type Item } from './data';

const PREFIX = { color: '#8c8c8c', marginRight: 4 } as const;

interface Suggestion { location: string; source: string }

export default function PutAwayScreen({ warehouse }: { warehouse: string }) {
  const { t } = useI18n();
  const online = useOnline();
  const scanField = useRef<ScanFieldHandle>(null);
  const qtyInput = useRef<InputRef>(null);
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('putaway.stepItem') });
  const [item, setItem] = useState<Item>();
  const [lot, setLot] = useState('');
  const [suggestion, setSuggestion] = useState<Suggestion>();
  const [to, setTo] = useState<string>();
  const [qty, setQty] = useState('');
  const locations = useQuery({ queryKey: ['storage-locations', warehouse], queryFn: () => storageLocations(warehouse), staleTime: 60_000 });

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
      if (!item) return setState({ kind: 'error', message: t('m.scanItemFirst') });
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
    const label = `${item.sku}${lot ? ` #${lot}` : ''} × ${quantity} → ${shortCode(to)}`;
    try {
      scanQueue().enqueue({
        path: '/internal-transfers',
        body: { warehouse, note: 'put-away (mobile)', lines: [{ item: item.sku, to, quantity, ...(lot.trim() ? { lot: lot.trim() } : {}) }] },
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
      <ScanField ref={scanField} onScan={onScan} state={state} />
      {item && (
        <div style={{ background: '#fff', borderRadius: 8, padding: 12, marginTop: 12 }}>
          <div style={{ fontSize: 17, fontWeight: 600 }}>{item.sku} · {item.name}</div>
          {suggestion && <div style={{ marginTop: 4 }}>{t('putaway.suggested', { location: '' })}<Tag color="blue">{suggestion.location}</Tag></div>}
          <div style={{ marginTop: 4 }}>{t('m.bin')}: <strong>{to ?? '—'}</strong></div>
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
