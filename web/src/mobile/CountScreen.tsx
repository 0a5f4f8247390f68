/**
 * Counting on the phone: pick a count in progress, scan a bin, scan items (GS1 fills lot and,
 * for a case label, the count), type the quantity. Each entry goes through the offline queue as
 * POST /stock-counts/{id}/entries with its own idempotency key; entering a line again replaces it.
 * Scanning another bin label at any time switches the bin.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Empty, Input, Progress, Tag, type InputRef } from 'antd';
import { Rows, rowStyle } from './Rows';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../scan/ScanField';
import { QueueFullError, type QueueEvent } from '../scan/queue.js';
import { scanQueue, useOnline, useQueuedCommands, useQueueEvents } from '../scan/useScanQueue';
import { findItem, interpretScan, prefetchItems, looksLikeScan, matchLocation, parseQuantity, shortCode, storageLocations, type Item } from './data';

interface CountLine { line: number; location: string; sku: string; name: string; unit: string; lot: string | null; found: boolean; state: 'pending' | 'counted' | 'zeroed' | 'excluded'; counted: number | null }
interface CountView { id: number; number: string; warehouse: string; status: string; blind: boolean; note: string | null; lines: CountLine[] }
interface CountSummary { id: number; number: string; warehouse: string; status: string; note: string | null; scope: { type: string } }

export function CountList({ warehouse }: { warehouse: string }) {
  const { t } = useI18n();
  const { data, isLoading, error } = useQuery({
    queryKey: ['stock-counts', 'in_progress', warehouse],
    queryFn: () => api.get<Page<CountSummary>>('/stock-counts', { status: 'in_progress', warehouse, limit: 50 }),
  });
  if (error) return <Alert type="error" title={(error as Error).message} />;
  return (
    <div>
      <h2 style={{ fontSize: 18 }}>{t('count.choose')}</h2>
      <Rows
        loading={isLoading}
        empty={<Empty description={t('count.none')} />}
        items={data?.items ?? []}
        rowKey={(c) => c.id}
        render={(c) => (
          <div style={rowStyle}>
            <Link to={String(c.id)} data-testid={`count-${c.number}`} style={{ fontSize: 17, width: '100%' }}>
              {c.number} <Tag>{c.scope.type}</Tag> {c.note}
            </Link>
          </div>
        )}
      />
    </div>
  );
}

const PREFIX = { color: '#666', marginRight: 4 } as const;

interface Current { item: Item; lot?: string }

export function CountScreen() {
  const { id } = useParams();
  const countId = Number(id);
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const online = useOnline();
  const scanField = useRef<ScanFieldHandle>(null);
  const qtyInput = useRef<InputRef>(null);
  const lotInput = useRef<InputRef>(null);
  const [bin, setBin] = useState<string>();
  const [current, setCurrent] = useState<Current>();
  const [lot, setLot] = useState('');
  const [qty, setQty] = useState('');
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('count.stepBin') });
  const [recent, setRecent] = useState<Array<{ id: string; label: string }>>([]);
  const commands = useQueuedCommands();

  const count = useQuery({ queryKey: ['stock-count', countId], queryFn: () => api.get<CountView>(`/stock-counts/${countId}`) });
  const locations = useQuery({
    queryKey: ['storage-locations', count.data?.warehouse],
    queryFn: () => storageLocations(count.data!.warehouse),
    enabled: !!count.data,
    staleTime: 60_000,
  });

  // After an item scan the quantity (or the lot, if the scan had none) takes the keys.
  useEffect(() => {
    if (current) (current.item.tracking !== 'none' && !current.lot ? lotInput : qtyInput).current?.focus();
  }, [current]);

  // The count's items resolve offline too.
  const skus = (count.data?.lines ?? []).map((l) => l.sku).join(',');
  useEffect(() => {
    if (skus) void prefetchItems(skus.split(',')).catch(() => undefined);
  }, [skus]);

  // A sent entry changes the count's lines: read them again.
  useQueueEvents(
    useCallback(
      (e: QueueEvent) => {
        if (e.type === 'sent' && e.command.path === `/stock-counts/${countId}/entries`) void queryClient.invalidateQueries({ queryKey: ['stock-count', countId] });
      },
      [countId, queryClient],
    ),
  );

  const record = (item: Item, lotCode: string | undefined, quantity: number) => {
    if (!bin) return;
    const label = `${shortCode(bin)} · ${item.sku}${lotCode ? ` #${lotCode}` : ''} × ${quantity}`;
    try {
      const command = scanQueue().enqueue({
        path: `/stock-counts/${countId}/entries`,
        body: { entries: [{ location: bin, item: item.sku, ...(lotCode ? { lot: lotCode } : {}), quantity }] },
        label,
      });
      setRecent((r) => [{ id: command.id, label }, ...r].slice(0, 20));
      setState({ kind: online ? 'ok' : 'queued', message: online ? t('count.recorded', { label }) : `${t('m.queued')}: ${label}` });
    } catch (error) {
      setState({ kind: 'error', message: error instanceof QueueFullError ? t('m.queueFull') : (error as Error).message });
      return;
    }
    setCurrent(undefined);
    setLot('');
    setQty('');
    scanField.current?.focus();
  };

  const onScan = async (text: string) => {
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    const location = matchLocation(scan, locations.data ?? []);
    if (location) {
      setBin(location.code);
      setCurrent(undefined);
      setQty('');
      return setState({ kind: 'ok', message: `${t('m.bin')} ${location.code} — ${t('count.stepItem')}` });
    }
    if (!bin) return setState({ kind: 'error', message: scan.kind === 'plain' && /\//.test(scan.code) ? t('m.unknownBin', { code: scan.code }) : t('m.scanBinFirst') });
    setState({ kind: 'busy', message: '…' });
    let item: Item | undefined;
    try {
      item = await findItem(scan.itemCodes);
    } catch (error) {
      return setState({ kind: 'error', message: (error as Error).message });
    }
    if (!item) return setState({ kind: 'error', message: t('m.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    const gs1 = scan.kind === 'gs1' ? scan.data : undefined;
    const lotCode = item.tracking === 'serial' ? gs1?.serial ?? gs1?.lot : gs1?.lot;
    // A serial is one unit: its scan is the whole count of it.
    if (item.tracking === 'serial' && lotCode) return record(item, lotCode, 1);
    setCurrent({ item, lot: lotCode });
    setLot(lotCode ?? '');
    setQty(gs1?.count !== undefined ? String(gs1.count) : '');
    setState({ kind: 'ok', message: `${item.sku} ${item.name} — ${t('count.stepQty')}` });
  };

  const confirm = () => {
    if (!current) return setState({ kind: 'error', message: t('m.scanItemFirst') });
    if (looksLikeScan(qty)) {
      // The scanner typed into the quantity field: that is the next scan, not a quantity.
      const text = qty;
      setQty('');
      return void onScan(text);
    }
    const quantity = parseQuantity(qty, current.item.unitPrecision);
    if (quantity === undefined) return setState({ kind: 'error', message: t('m.badQty', { d: current.item.unitPrecision }) });
    const lotCode = lot.trim() || undefined;
    if (current.item.tracking !== 'none' && !lotCode) return setState({ kind: 'error', message: t('m.lotRequired') });
    record(current.item, lotCode, quantity);
  };

  const onQtyKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      confirm();
    }
  };

  // A failed refresh keeps the count last read (offline, flaky Wi-Fi): scanning goes on into the queue.
  if (count.error && !count.data) return <Alert type="error" title={(count.error as Error).message} />;
  const view = count.data;
  const lines = view?.lines ?? [];
  const counted = lines.filter((l) => l.state === 'counted').length;
  const here = bin ? lines.filter((l) => l.location === bin) : [];
  const stateOf = (id: string) => (commands.find((c) => c.id === id)?.state ?? 'sent');

  return (
    <div data-testid="count-screen">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h2 style={{ fontSize: 18, margin: 0 }}>{view?.number ?? '…'}</h2>
        <span data-testid="count-progress">{t('count.progress', { counted, lines: lines.length })}</span>
      </div>
      <Progress percent={lines.length ? Math.round((counted / lines.length) * 100) : 0} size="small" showInfo={false} aria-label={t('count.progress', { counted, lines: lines.length })} />
      <div style={{ margin: '8px 0', fontSize: 16 }}>
        {t('m.bin')}: <strong data-testid="current-bin">{bin ?? '—'}</strong>
      </div>
      <ScanField ref={scanField} onScan={onScan} state={state} />
      {current && (
        <div style={{ background: '#fff', borderRadius: 8, padding: 12, marginTop: 12 }} data-testid="count-entry">
          <div style={{ fontSize: 17, fontWeight: 600 }}>{current.item.sku} · {current.item.name}</div>
          {current.item.tracking !== 'none' && (
            <Input ref={lotInput} size="large" prefix={<span style={PREFIX}>{t(current.item.tracking === 'serial' ? 'm.serial' : 'm.lot')}</span>} value={lot} onChange={(e) => setLot(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && qtyInput.current?.focus()} style={{ marginTop: 8 }} data-testid="lot-input" />
          )}
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <Input ref={qtyInput} size="large" inputMode="decimal" prefix={<span style={PREFIX}>{t('m.qty')}</span>} suffix={current.item.unit} value={qty} onChange={(e) => setQty(e.target.value)} onKeyDown={onQtyKey} data-testid="qty-input" />
            <Button size="large" type="primary" onClick={confirm} data-testid="qty-confirm">{t('m.confirm')}</Button>
          </div>
        </div>
      )}
      {bin && (
        <section style={{ marginTop: 16 }}>
          <h3 style={{ fontSize: 15 }}>{t('count.linesHere')}</h3>
          <Rows
            items={here}
            empty={t('m.none')}
            rowKey={(l) => l.line}
            render={(l) => (
              <div data-testid={`line-${l.line}`} style={rowStyle}>
                <span>{l.sku}{l.lot ? ` #${l.lot}` : ''} <span style={{ color: '#666' }}>{l.name}</span></span>
                <span>
                  {l.found && <Tag color="purple">{t('count.found')}</Tag>}
                  <Tag color={l.state === 'counted' ? 'green' : 'default'}>{t(`count.state.${l.state}`)}</Tag>
                  {l.counted !== null && <strong data-testid={`line-${l.line}-counted`}>{l.counted}</strong>}
                </span>
              </div>
            )}
          />
        </section>
      )}
      {recent.length > 0 && (
        <section style={{ marginTop: 16 }}>
          <h3 style={{ fontSize: 15 }}>{t('count.recent')}</h3>
          {recent.map((r) => {
            const s = stateOf(r.id);
            return (
              <div key={r.id} data-testid="recent-entry" data-state={s} style={{ display: 'flex', justifyContent: 'space-between', padding: '4px 0' }}>
                <span>{r.label}</span>
                <Tag color={s === 'sent' ? 'green' : s === 'failed' ? 'red' : 'gold'}>{s === 'sent' ? t('m.sentOk') : s === 'failed' ? t('m.refused') : t('m.waiting')}</Tag>
              </div>
            );
          })}
        </section>
      )}
    </div>
  );
}
