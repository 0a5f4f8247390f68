/**
 * Pick by scan at a desk with a keyboard-wedge (USB) scanner: scan the bin, scan the item (GS1 fills
 * lot/serial and count), type the quantity, Enter. Each pick is POST /pick-waves/{id}/scan, which
 * finds the wave's open task for that bin, item and lot; what the API refuses (422 naming bin, item
 * or lot; 409 on the quantity) is shown as it says, with the refusal sound, and the panel goes back
 * to the step the API named. One Idempotency-Key per pick: a repeated Enter or a retry after a lost
 * answer books it once.
 */
import '../../mobile/i18n'; // the scan field's texts (scan.*)
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Input, Space, Steps, Tag, Typography, type InputRef } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { useI18n } from '../../i18n';
import { describeError } from '../../components/forms';
import { fieldLabel } from '../../components/values';
import { ScanField, gs1ErrorMessage, type ScanFieldHandle, type ScanState } from '../../scan/ScanField';
import { interpretScan } from '../../scan/interpret';
import { findItem, looksLikeScan, matchLocation, parseQuantity, storageLocations, type Item } from '../../mobile/data';
import { useCommandKey, type Task, type Wave } from './types';

type Step = 'bin' | 'item' | 'qty';
interface Entry { id: number; ok: boolean; text: string }
interface ScanBody { bin: string; item: string; lot?: string; quantity: number }

const STEPS: Step[] = ['bin', 'item', 'qty'];
const MAX_LOG = 8;

/** The API's refusal in one line: each field it names, labelled, with its message. */
function refusal(error: unknown): { text: string; field?: string } {
  if (error instanceof ApiError && error.fieldErrors.length > 0) {
    const label = (f: string) => (f === 'item' ? fieldLabel('sku') : f === 'bin' ? fieldLabel('location') : fieldLabel(f));
    return { text: error.fieldErrors.map((e) => `${label(e.field)}: ${e.message}`).join('; '), field: error.fieldErrors[0]!.field };
  }
  return { text: describeError(error) };
}

export function WaveScanPanel({ wave }: { wave: Wave }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const scanField = useRef<ScanFieldHandle>(null);
  const lotInput = useRef<InputRef>(null);
  const qtyInput = useRef<InputRef>(null);
  const [step, setStep] = useState<Step>('bin');
  const [bin, setBin] = useState<string>();
  const [item, setItem] = useState<Item>();
  const [lot, setLot] = useState('');
  const [qty, setQty] = useState('');
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('wave.stepBin') });
  const [log, setLog] = useState<Entry[]>([]);
  const [key, renewKey] = useCommandKey();
  const locations = useQuery({ queryKey: ['storage-locations', wave.warehouse], queryFn: () => storageLocations(wave.warehouse), staleTime: 60_000 });

  const open = wave.tasks.filter((x) => x.status === 'open' && x.remaining > 0);
  const atBin = bin ? open.filter((x) => x.bin === bin) : [];

  useEffect(() => {
    if (step !== 'qty') return;
    if (item && item.tracking !== 'none' && !lot) lotInput.current?.focus();
    else qtyInput.current?.select();
    // Only when the step is entered: typing a lot must not jump to the quantity.
  }, [step, item]);

  const note = (ok: boolean, text: string) => setLog((l) => [{ id: Date.now() + Math.random(), ok, text }, ...l].slice(0, MAX_LOG));

  const backTo = (next: Step) => {
    setStep(next);
    if (next === 'bin') setBin(undefined);
    if (next !== 'qty') { setItem(undefined); setLot(''); setQty(''); }
    scanField.current?.focus();
  };

  const restart = () => {
    backTo('bin');
    setState({ kind: 'idle', message: t('wave.stepBin') });
  };

  const pick = useMutation({
    mutationFn: (body: ScanBody) => api.post<Task>(`/pick-waves/${wave.id}/scan`, body, { idempotencyKey: key }),
    onSuccess: (task, body) => {
      renewKey();
      const text = t('wave.scanPicked', { task: task.number, sku: task.sku, quantity: body.quantity, bin: task.bin });
      setState({ kind: 'ok', message: text });
      note(true, text);
      void queryClient.invalidateQueries({ queryKey: ['/pick-waves'] });
      backTo('bin');
    },
    onError: (error) => {
      // No answer (network): keep the key, so sending again cannot pick twice.
      if (error instanceof ApiError && error.status === 0) return setState({ kind: 'error', message: `${describeError(error)} — ${t('wave.retry')}` });
      renewKey();
      const { text, field } = refusal(error);
      setState({ kind: 'error', message: text });
      note(false, text);
      if (field === 'bin') backTo('bin');
      else if (field === 'item' || field === 'lot') backTo('item');
      else qtyInput.current?.select();
    },
  });

  const onScan = async (text: string) => {
    if (pick.isPending) return;
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    // A location label is always a (new) bin, whatever the step.
    const location = matchLocation(scan, locations.data ?? []);
    const unknownBins = !locations.data; // not loaded: the server judges the code
    if (location || (step === 'bin' && scan.kind === 'plain' && unknownBins)) {
      const code = location?.code ?? (scan.kind === 'plain' ? scan.code : '');
      setBin(code);
      setItem(undefined);
      setLot('');
      setQty('');
      setStep('item');
      return setState({ kind: 'ok', message: t('wave.binScanned', { bin: code }) });
    }
    if (step === 'bin') {
      return setState({ kind: 'error', message: scan.kind === 'plain' ? t('wave.unknownBin', { code: scan.code }) : t('wave.binFirst') });
    }
    setState({ kind: 'busy', message: '…' });
    const found = await findItem(scan.itemCodes).catch(() => undefined);
    if (!found) return setState({ kind: 'error', message: t('wave.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    const gs1 = scan.kind === 'gs1' ? scan.data : undefined;
    const scannedLot = (found.tracking === 'serial' ? gs1?.serial ?? gs1?.lot : gs1?.lot) ?? '';
    // The task the API will book on: the first open one here of this item (and lot), in route order.
    const task = atBin.find((x) => x.sku === found.sku && (!scannedLot || x.lot === null || x.lot === scannedLot));
    setItem(found);
    setLot(scannedLot);
    setQty(found.tracking === 'serial' ? '1' : gs1?.count !== undefined ? String(gs1.count) : String(task?.remaining ?? 1));
    setStep('qty');
    renewKey();
    setState({ kind: 'ok', message: t('wave.itemScanned', { sku: found.sku }) });
  };

  const submit = () => {
    if (!bin || !item) return setState({ kind: 'error', message: t('wave.binFirst') });
    if (looksLikeScan(qty)) {
      // The scanner typed into the quantity field: it is the next scan.
      const text = qty;
      setQty('');
      return void onScan(text);
    }
    const quantity = parseQuantity(qty, item.unitPrecision, false);
    if (quantity === undefined) return setState({ kind: 'error', message: t('wave.badQty', { d: item.unitPrecision }) });
    if (item.tracking !== 'none' && !lot.trim()) {
      lotInput.current?.focus();
      return setState({ kind: 'error', message: t('wave.lotRequired') });
    }
    setState({ kind: 'busy', message: t('wave.sending') });
    pick.mutate({ bin, item: item.sku, ...(item.tracking !== 'none' ? { lot: lot.trim() } : {}), quantity });
  };

  return (
    <Card size="small" data-testid="wave-scan"
      title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t('wave.scanTitle')}</Typography.Title>}
      extra={<Button size="small" onClick={restart} data-testid="wave-scan-restart">{t('wave.restart')}</Button>}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('wave.scanHint')}</Typography.Paragraph>
      <Steps size="small" current={STEPS.indexOf(step)} style={{ marginBottom: 12 }} items={[
        { title: t('wave.stepBin'), content: <span data-testid="wave-scan-bin">{bin ?? '—'}</span> },
        { title: t('wave.stepItem'), content: <span data-testid="wave-scan-item">{item ? `${item.sku}${lot ? ` #${lot}` : ''}` : '—'}</span> },
        { title: t('wave.stepQty') },
      ]} />
      <div style={{ maxWidth: 640 }}>
        <ScanField ref={scanField} onScan={(text) => void onScan(text)} state={state} testId="wave-scan-input" placeholder={t('wave.scanPlaceholder')} />
      </div>
      {bin && step !== 'bin' && (
        atBin.length === 0
          ? <Alert type="warning" showIcon style={{ marginTop: 8, maxWidth: 640 }} title={t('wave.nothingHere', { bin })} data-testid="wave-scan-hint" />
          : <Typography.Paragraph style={{ marginTop: 8 }} data-testid="wave-scan-hint">
              {t('wave.openHere')}{' '}
              {atBin.map((x) => <Tag key={x.id}>{x.sku}{x.lot ? ` #${x.lot}` : ''} × {x.remaining} {x.unit}</Tag>)}
            </Typography.Paragraph>
      )}
      {step === 'qty' && item && (
        <Space wrap style={{ marginTop: 8 }}>
          {item.tracking !== 'none' && (
            <Input ref={lotInput} value={lot} onChange={(e) => setLot(e.target.value)} style={{ width: 200 }} aria-label={fieldLabel('lot')} data-testid="wave-scan-lot"
              prefix={<span style={{ color: '#666' }}>{fieldLabel('lot')}</span>}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); qtyInput.current?.select(); } }} />
          )}
          <Input ref={qtyInput} value={qty} onChange={(e) => setQty(e.target.value)} inputMode="decimal" style={{ width: 200 }} aria-label={fieldLabel('quantity')} data-testid="wave-scan-qty"
            prefix={<span style={{ color: '#666' }}>{fieldLabel('quantity')}</span>} suffix={item.unit}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} />
          <Button type="primary" onClick={submit} loading={pick.isPending} data-testid="wave-scan-submit">{t('flow.pick')}</Button>
        </Space>
      )}
      {log.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('wave.recent')}</Typography.Text>
          <ul data-testid="wave-scan-log" style={{ listStyle: 'none', padding: 0, margin: '4px 0 0' }}>
            {log.map((e) => (
              <li key={e.id} data-ok={e.ok} style={{ padding: '2px 0' }}>
                <Tag color={e.ok ? 'success' : 'error'} style={{ marginInlineEnd: 8 }}>{t(e.ok ? 'wave.logOk' : 'wave.logRefused')}</Tag>{e.text}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
