/**
 * Look-up: scan an item (SKU, EAN/UPC, GS1) to see where it is and how much, or a bin to see what
 * is in it. Read-only, so it works straight against the API (no queue). Prints the item's label.
 */
import { useState } from 'react';
import { Alert, Button, Descriptions, Table, Tag } from 'antd';
import { api, ApiError, authHeaders, apiUrl } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { ScanField, gs1ErrorMessage, type ScanState } from '../scan/ScanField';
import type { Gs1Data } from '../scan/gs1.js';
import { findItem, interpretScan, storageLocations, type Item, type StockRow } from './data';

type Result =
  | { kind: 'item'; item: Item; rows: StockRow[]; gs1?: Gs1Data }
  | { kind: 'location'; id: number; code: string; rows: StockRow[] };

/** Opens a label PDF (the API needs the bearer token, so it is fetched, then shown). */
export async function openLabel(path: string, body?: unknown): Promise<void> {
  const res = await fetch(apiUrl(path), body === undefined
    ? { headers: authHeaders() }
    : { method: 'POST', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export default function LookupScreen() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const [state, setState] = useState<ScanState>({ kind: 'idle', message: t('lookup.hint') });
  const [result, setResult] = useState<Result>();

  const onScan = async (text: string) => {
    const scan = interpretScan(text);
    if (scan.kind === 'error') return setState({ kind: 'error', message: gs1ErrorMessage(scan.error.code, scan.error.message) });
    setState({ kind: 'busy', message: '…' });
    try {
      const item = await findItem(scan.itemCodes);
      if (item) {
        const { items } = await api.get<{ items: StockRow[] }>('/stock', { sku: item.sku, warehouse, nonZero: 'true' });
        setResult({ kind: 'item', item, rows: items, ...(scan.kind === 'gs1' ? { gs1: scan.data } : {}) });
        return setState({ kind: 'ok', message: `${item.sku} · ${item.name}` });
      }
      if (scan.kind === 'plain' && warehouse) {
        const locations = await storageLocations(warehouse);
        const location = locations.find((l) => l.code.toLowerCase() === scan.code.toLowerCase());
        if (location) {
          const { items } = await api.get<{ items: StockRow[] }>('/stock', { warehouse, nonZero: 'true' });
          setResult({ kind: 'location', id: location.id, code: location.code, rows: items.filter((r) => r.location === location.code || r.location.startsWith(`${location.code}/`)) });
          return setState({ kind: 'ok', message: `${t('m.bin')} ${location.code}` });
        }
      }
      setResult(undefined);
      setState({ kind: 'error', message: t('m.unknownItem', { code: scan.kind === 'plain' ? scan.code : scan.raw }) });
    } catch (error) {
      setState({ kind: 'error', message: error instanceof ApiError ? error.message : (error as Error).message });
    }
  };

  const stockColumns = [
    { title: t('lookup.location'), dataIndex: 'location', render: (v: string) => v },
    { title: t('m.lot'), dataIndex: 'lot', render: (v: string | null, r: StockRow) => (v ? <>{v}{r.expiresOn ? <div style={{ color: '#666', fontSize: 12 }}>{r.expiresOn}</div> : null}</> : '') },
    { title: t('lookup.onHand'), dataIndex: 'onHand', align: 'right' as const },
    { title: t('lookup.available'), dataIndex: 'available', align: 'right' as const },
  ];

  return (
    <div data-testid="lookup-screen">
      <ScanField onScan={onScan} state={state} placeholder={t('lookup.hint')} />
      {result?.kind === 'item' && (
        <section style={{ marginTop: 12 }} data-testid="lookup-item">
          <Descriptions size="small" column={1} bordered style={{ background: '#fff' }} items={[
            { key: 'sku', label: 'SKU', children: <strong data-testid="lookup-sku">{result.item.sku}</strong> },
            { key: 'name', label: t('m.item'), children: result.item.name },
            ...(result.item.barcode ? [{ key: 'barcode', label: 'Barcode', children: result.item.barcode }] : []),
            ...(result.gs1?.lot ? [{ key: 'lot', label: t('m.lot'), children: <Tag color="blue">{result.gs1.lot}</Tag> }] : []),
            ...(result.gs1?.expiry ? [{ key: 'exp', label: t('m.expiry'), children: result.gs1.expiry }] : []),
          ]} />
          <h3 style={{ fontSize: 15, marginTop: 12 }}>{t('lookup.stock')}</h3>
          <Table<StockRow> size="small" pagination={false} rowKey={(r) => `${r.location}#${r.lot ?? ''}`} dataSource={result.rows}
            columns={[...stockColumns, {
              title: '', dataIndex: 'lot', key: 'label',
              render: (lot: string | null) => lot ? <Button size="small" aria-label={t('m.printLabel')} onClick={() => void openLabel('/labels', { labels: [{ sku: result.item.sku, lot }] }).catch((e: Error) => setState({ kind: 'error', message: e.message }))}>🏷</Button> : null,
            }]}
            locale={{ emptyText: t('lookup.noStock') }} data-testid="lookup-stock"
            rowClassName={(r) => (result.gs1?.lot && r.lot === result.gs1.lot ? 'ck-highlight' : '')} />
          <Button block style={{ marginTop: 12 }} onClick={() => void openLabel(`/labels/items/${result.item.id}`).catch((e: Error) => setState({ kind: 'error', message: e.message }))}>
            {t('m.printLabel')}
          </Button>
        </section>
      )}
      {result?.kind === 'location' && (
        <section style={{ marginTop: 12 }} data-testid="lookup-location">
          <h3 style={{ fontSize: 15 }}>{t('lookup.binContents')}: {result.code}</h3>
          <Table<StockRow> size="small" pagination={false} rowKey={(r) => `${r.sku}#${r.location}#${r.lot ?? ''}`} dataSource={result.rows}
            columns={[{ title: 'SKU', dataIndex: 'sku' }, ...stockColumns]} locale={{ emptyText: t('lookup.noStock') }} />
          <Button block style={{ marginTop: 12 }} onClick={() => void openLabel(`/labels/locations/${result.id}`).catch((e: Error) => setState({ kind: 'error', message: e.message }))}>
            {t('m.printLabel')}
          </Button>
        </section>
      )}
      {!warehouse && <Alert style={{ marginTop: 12 }} type="info" title={t('m.chooseWarehouse')} />}
    </div>
  );
}
