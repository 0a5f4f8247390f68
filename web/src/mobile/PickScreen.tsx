/**
 * Picking on the phone against the picking API: choose an open wave, then walk its tasks in bin
 * order — scan the bin, scan the item (GS1 fills lot/serial), confirm the quantity. Each pick is
 * POST /pick-tasks/{id}/scan through the offline queue; "short" reports what is missing
 * (POST /pick-tasks/{id}/short). The screen moves on at once and counts what it queued, so a
 * picker is never held up by the network; a refused pick shows up red in the queue.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Empty, Input, Progress, Tag, type InputRef } from 'antd';
import { Rows, rowStyle } from './Rows';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../scan/ScanField';
import { QueueFullError, type QueueEvent } from '../scan/queue.js';
import { scanQueue, useOnline, useQueueEvents } from '../scan/useScanQueue';
import { findItem, interpretScan, looksLikeScan, matchLocation, parseQuantity, shortCode, storageLocations } from './data';

interface PickTask { id: number; number: string; order: string; customer: string; bin: string; sku: string; name: string; unit: string; tracking: 'none' | 'lot' | 'serial'; lot: string | null; quantity: number; picked: number; short: number; remaining: number; status: 'open' | 'done' | 'closed' }
interface Wave { id: number; number: string; warehouse: string; status: string; tasks: PickTask[] }
interface WaveSummary { id: number; number: string; tasks: number; openTasks: number; note: string | null }

export default function PickScreen({ warehouse }: { warehouse: string }) {
  const { t } = useI18n();
  const [waveId, setWaveId] = useState<number>();
  const waves = useQuery({
    queryKey: ['pick-waves', 'open', warehouse],
    queryFn: () => api.get<Page<WaveSummary>>('/pick-waves', { status: 'open', warehouse, limit: 50 }),
    enabled: waveId === undefined,
  });
  if (waveId !== undefined) return <WaveScreen id={waveId} warehouse={warehouse} />;
  if (waves.error) return <Alert type="error" title={(waves.error as Error).message} />;
  return (
    <div>
      <h2 style={{ fontSize: 18 }}>{t('m.pick')}</h2>
      <Rows
        loading={waves.isLoading}
        empty={<Empty description={t('m.none')} />}
        items={waves.data?.items ?? []}
        rowKey={(w) => w.id}
        render={(w) => (
          <div style={rowStyle}>
            <Button type="link" style={{ fontSize: 17, padding: 0 }} onClick={() => setWaveId(w.id)} data-testid={`wave-${w.number}`}>
              {w.number} <Tag>{w.openTasks}/{w.tasks}</Tag> {w.note}
            </Button>
          </div>
        )}
      />
    </div>
  );
}

function WaveScreen({ id, warehouse }: { id: number; warehouse: string }) {
  const { t } = useI18n();
  const online = useOnline();
  const queryClient = useQueryClient();
  const scanField = useRef<ScanFieldHandle>(null);
  const qtyInput = useRef<InputRef>(null);
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('count.stepBin') });
  const [bin, setBin] = useState<string>();
  const [ready, setReady] = useState<{ sku: string; lot?: string }>();
  const [qty, setQty] = useState('');
  /** Quantities queued per task, not yet in the server's answer. */
  const [queued, setQueued] = useState<Record<number, number>>({});
  const wave = useQuery({ queryKey: ['pick-wave', id], queryFn: () => api.get<Wave>(`/pick-waves/${id}`) });
  const locations = useQuery({ queryKey: ['storage-locations', warehouse], queryFn: () => storageLocations(warehouse), staleTime: 60_000 });

  useQueueEvents(
    useCallback(
      (e: QueueEvent) => {
        if ((e.type === 'sent' || e.type === 'failed') && e.command.path.startsWith('/pick-tasks/')) {
          const taskId = Number(e.command.path.split('/')[2]);
          const q = (e.command.body as { quantity?: number } | undefined)?.quantity ?? 0;
          setQueued((all) => ({ ...all, [taskId]: Math.max(0, (all[taskId] ?? 0) - q) }));
          void queryClient.invalidateQueries({ queryKey: ['pick-wave', id] });
        }
      },
      [id, queryClient],
    ),
  );

  useEffect(() => {
    if (ready) qtyInput.current?.select();
  }, [ready]);

  const tasks = wave.data?.tasks ?? [];
  const left = (task: PickTask) => (task.status === 'open' ? task.remaining - (queued[task.id] ?? 0) : 0);
  const task = tasks.find((x) => left(x) > 0);

  const onScan = async (text: string) => {
    if (!task) return;
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    const location = matchLocation(scan, locations.data ?? []);
    if (location) {
      if (location.code !== task.bin) return setState({ kind: 'error', message: `${t('m.bin')} ${location.code} ≠ ${task.bin}` });
      setBin(location.code);
      return setState({ kind: 'ok', message: `${t('m.bin')} ${shortCode(location.code)} — ${t('count.stepItem')}` });
    }
    if (bin !== task.bin) return setState({ kind: 'error', message: t('m.scanBinFirst') });
    const item = await findItem(scan.itemCodes).catch(() => undefined);
    if (!item || item.sku !== task.sku) return setState({ kind: 'error', message: t('m.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    const gs1 = scan.kind === 'gs1' ? scan.data : undefined;
    const lot = task.tracking === 'serial' ? gs1?.serial ?? gs1?.lot : gs1?.lot;
    if (task.lot && lot && lot !== task.lot) return setState({ kind: 'error', message: `${t('m.lot')} ${lot} ≠ ${task.lot}` });
    setReady({ sku: item.sku, lot: task.lot ?? undefined });
    setQty(String(task.tracking === 'serial' ? 1 : left(task)));
    setState({ kind: 'ok', message: `${item.sku} — ${t('count.stepQty')}` });
  };

  const enqueue = (path: string, body: unknown, label: string, quantity: number) => {
    try {
      scanQueue().enqueue({ path, body, label });
      setQueued((all) => ({ ...all, [task!.id]: (all[task!.id] ?? 0) + quantity }));
      setState({ kind: online ? 'ok' : 'queued', message: online ? label : `${t('m.queued')}: ${label}` });
      setReady(undefined);
      setQty('');
      scanField.current?.focus();
    } catch (error) {
      setState({ kind: 'error', message: error instanceof QueueFullError ? t('m.queueFull') : (error as Error).message });
    }
  };

  const confirm = () => {
    if (!task || !ready) return setState({ kind: 'error', message: t('m.scanItemFirst') });
    if (looksLikeScan(qty)) {
      const text = qty;
      setQty('');
      return void onScan(text);
    }
    const quantity = parseQuantity(qty, 6, false);
    if (quantity === undefined || quantity > left(task)) return setState({ kind: 'error', message: t('m.badQty', { d: 6 }) });
    enqueue(`/pick-tasks/${task.id}/scan`, { bin: task.bin, item: ready.sku, ...(ready.lot ? { lot: ready.lot } : {}), quantity }, `${task.number} ${task.sku} × ${quantity}`, quantity);
  };

  const short = () => {
    if (!task) return;
    enqueue(`/pick-tasks/${task.id}/short`, {}, `${task.number} ${task.sku} ${t('pick.short')} ${left(task)}`, left(task));
  };

  if (wave.error) return <Alert type="error" title={(wave.error as Error).message} />;
  const done = tasks.filter((x) => left(x) === 0).length;
  return (
    <div data-testid="pick-screen">
      <h2 style={{ fontSize: 18, margin: 0 }}>{wave.data?.number ?? '…'} <span style={{ fontSize: 14, color: '#666' }}>{done}/{tasks.length}</span></h2>
      <Progress percent={tasks.length ? Math.round((done / tasks.length) * 100) : 0} size="small" showInfo={false} aria-label={`${t('m.pick')} ${done}/${tasks.length}`} />
      {task ? (
        <div style={{ background: '#fff', borderRadius: 8, padding: 12, margin: '8px 0' }} data-testid="pick-task">
          <div style={{ fontSize: 28, fontWeight: 700 }}>{shortCode(task.bin)}</div>
          <div style={{ fontSize: 17 }}>{task.sku} · {task.name}{task.lot ? <Tag color="blue" style={{ marginLeft: 8 }}>{task.lot}</Tag> : null}</div>
          <div>{left(task)} {task.unit} · {task.order} {task.customer}</div>
        </div>
      ) : (
        wave.data && <Alert type="success" title={`${wave.data.number} ✓`} style={{ margin: '8px 0' }} />
      )}
      {task && <ScanField ref={scanField} onScan={onScan} state={state} />}
      {task && ready && (
        <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
          <Input ref={qtyInput} size="large" inputMode="decimal" prefix={<span style={{ color: '#666', marginRight: 4 }}>{t('m.qty')}</span>} suffix={task.unit} value={qty} onChange={(e) => setQty(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); confirm(); } }} />
          <Button size="large" type="primary" onClick={confirm}>{t('m.confirm')}</Button>
        </div>
      )}
      {task && <Button danger block style={{ marginTop: 12 }} onClick={short}>{t('pick.short')}</Button>}
    </div>
  );
}
