/**
 * The controls of the create forms, one per FieldType of config.ts. Form.Item passes value,
 * onChange and id through the props; controls that depend on other fields (a location of the
 * chosen warehouse, a lot on hand of the line's item) read them with Form.useWatch.
 */
import { useState } from 'react';
import { App, AutoComplete, Button, DatePicker, Form, Input, InputNumber, Select, Space, Tooltip } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { describeError } from '../components/forms';
import { ItemSelect, PartnerInput, WarehouseSelect } from '../components/pickers';
import { formatNumber } from '../components/values';
import type { StockRow } from '../components/stock';
import { useWarehouses } from '../hooks/useMasterData';
import type { FieldSpec } from './config';

export interface Location { id: number; code: string; name: string; kind: string; warehouse: string | null; parent: string | null }

/** The locations of a warehouse given by code, and its stock location (the API's default). */
export function useWarehouseLocations(code: string | undefined) {
  const warehouses = useWarehouses();
  const warehouse = code ? warehouses.data?.find((w) => w.code === code) : undefined;
  const query = useQuery({
    queryKey: ['/locations', warehouse?.id],
    queryFn: () => api.get<{ items: Location[] }>('/locations', { warehouse: warehouse!.id }).then((r) => r.items),
    enabled: Boolean(warehouse),
    staleTime: 60_000,
  });
  return { locations: query.data ?? [], stockLocation: warehouse?.stockLocation, isLoading: warehouses.isLoading || (Boolean(warehouse) && query.isLoading) };
}

/** On-hand stock of a warehouse (one SKU or all), the same query as the stock screen's. */
export function useStockRows(warehouse: string | undefined, sku?: string) {
  return useQuery({
    queryKey: ['/stock', sku, warehouse],
    queryFn: () => api.get<{ items: StockRow[] }>('/stock', { sku, warehouse, nonZero: true }),
    enabled: Boolean(warehouse) && sku !== '',
    staleTime: 15_000,
  });
}

/** A translated text, or the fallback when the key has none. */
function translated(t: (key: string) => string, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

type ControlProps = { spec: FieldSpec; row?: number; id?: string; value?: unknown; onChange?: (value: unknown) => void };

function LocationSelect({ spec, row, ...p }: ControlProps) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const form = Form.useFormInstance();
  const warehouse = Form.useWatch('warehouse', form) as string | undefined;
  const { locations, stockLocation, isLoading } = useWarehouseLocations(warehouse);
  const [suggesting, setSuggesting] = useState(false);
  const options = locations
    .filter((l) => !spec.locationKinds || spec.locationKinds.includes(l.kind))
    .map((l) => ({ value: l.code, label: `${l.code} · ${translated(t, `locationKind.${l.kind}`, l.kind)}` }));
  const placeholder = !warehouse ? t('create.chooseWarehouseFirst') : spec.defaultsToStockLocation && stockLocation ? t('create.defaultLocation', { location: stockLocation }) : undefined;
  const select = (
    <Select<string>
      id={p.id}
      value={p.value as string | undefined}
      onChange={(v) => p.onChange?.(v)}
      options={options}
      loading={isLoading}
      disabled={!warehouse}
      allowClear={!spec.required}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder}
      style={{ width: spec.width ?? 200 }}
    />
  );
  if (!spec.putaway || row === undefined) return select;
  const putaway = spec.putaway;
  const suggest = async () => {
    const item = form.getFieldValue(['lines', row, putaway.item]) as string | undefined;
    const quantity = form.getFieldValue(['lines', row, putaway.quantity]) as number | undefined;
    if (!warehouse || !item) return void message.info(t('create.chooseItemFirst'));
    setSuggesting(true);
    try {
      const s = await api.get<{ location: string }>('/putaway-suggestions', { warehouse, item, quantity: quantity ?? undefined });
      p.onChange?.(s.location);
    } catch (error) {
      message.error(describeError(error));
    } finally {
      setSuggesting(false);
    }
  };
  return (
    <Space.Compact>
      {select}
      <Tooltip title={t('create.suggestPutaway')}>
        <Button icon={<AimOutlined />} aria-label={t('create.suggestPutaway')} loading={suggesting} disabled={!warehouse} onClick={() => void suggest()} data-testid={`putaway-suggest-${row}`} />
      </Tooltip>
    </Space.Compact>
  );
}

function ReasonSelect({ spec, ...p }: ControlProps) {
  const { t } = useI18n();
  const path = spec.options!.path;
  const query = useQuery({ queryKey: [path], queryFn: () => api.get<{ items: Array<{ code: string; name: string }> }>(path).then((r) => r.items), staleTime: 300_000 });
  return (
    <Select<string>
      id={p.id}
      value={p.value as string | undefined}
      onChange={(v) => p.onChange?.(v)}
      loading={query.isLoading}
      options={(query.data ?? []).map((r) => ({ value: r.code, label: translated(t, `${spec.options!.labelPrefix}.${r.code}`, r.name) }))}
      style={{ width: spec.width ?? 180 }}
    />
  );
}

interface OrderSummary { id: number; number: string; status: string; customer: string; warehouse: string }
const RETURNABLE = ['shipped', 'partially_shipped'];

/** A sales order that shipped something: search by customer, or type its number. */
function SalesOrderSelect({ spec, ...p }: ControlProps) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const text = q.trim();
  // An order number is looked for among the latest orders; other text searches customers on the server.
  const byNumber = /^(SO-?)?\d+$/i.test(text);
  const query = useQuery({
    queryKey: ['/sales-orders', 'returnable', byNumber ? '' : text],
    queryFn: async () => {
      const pages = await Promise.all(RETURNABLE.map((status) => api.get<{ items: OrderSummary[] }>('/sales-orders', { status, customer: byNumber ? undefined : text || undefined, limit: byNumber ? 200 : 30 })));
      return pages.flatMap((page) => page.items).sort((a, b) => b.id - a.id);
    },
    staleTime: 15_000,
  });
  const wanted = Number(text.replace(/\D/g, ''));
  const orders = (query.data ?? []).filter((o) => !byNumber || Number(o.number.replace(/\D/g, '')) === wanted || o.number.includes(text.toUpperCase()));
  const options = orders.map((o) => ({ value: o.id, label: `${o.number} · ${o.customer} · ${o.warehouse} · ${translated(t, `status.${o.status}`, o.status)}` }));
  return (
    <Select<number>
      id={p.id}
      value={p.value as number | undefined}
      onChange={(v) => p.onChange?.(v)}
      options={options}
      loading={query.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('create.searchShippedOrder')}
      notFoundContent={query.isFetching ? undefined : t('create.noShippedOrder')}
      style={{ width: spec.width ?? 360 }}
    />
  );
}

interface PurchaseOrderSummary { id: number; number: string; status: string; supplier: string; supplierName: string }

/** A purchase order of the chosen supplier (for reference on a supplier return). */
function PurchaseOrderSelect({ spec, ...p }: ControlProps) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const supplier = ((Form.useWatch('supplier', form) as string | undefined) ?? '').trim();
  const [q, setQ] = useState('');
  const search = q.trim() || supplier;
  const query = useQuery({
    queryKey: ['/purchase-orders', 'reference', search],
    queryFn: () => api.get<{ items: PurchaseOrderSummary[] }>('/purchase-orders', { q: search || undefined, limit: 30 }).then((r) => r.items),
    staleTime: 15_000,
  });
  const orders = (query.data ?? []).filter((o) => !supplier || o.supplier === supplier);
  return (
    <Select<number>
      id={p.id}
      value={p.value as number | undefined}
      onChange={(v) => p.onChange?.(v)}
      allowClear
      options={orders.map((o) => ({ value: o.id, label: `${o.number} · ${o.supplierName} · ${translated(t, `status.${o.status}`, o.status)}` }))}
      loading={query.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={t('create.optional')}
      style={{ width: spec.width ?? 260 }}
    />
  );
}

/** Free text, with the lots of the line's item on hand where the stock comes from as suggestions. */
function LotInput({ spec, row, ...p }: ControlProps) {
  const form = Form.useFormInstance();
  const at = spec.lotAt!;
  const warehouse = Form.useWatch('warehouse', form) as string | undefined;
  const sku = Form.useWatch(row === undefined ? [at.item] : ['lines', row, at.item], form) as string | undefined;
  const lineLocation = Form.useWatch(['lines', row ?? 0, at.lineLocation ?? '-'], form) as string | undefined;
  const headerLocation = Form.useWatch(at.location ?? '-', form) as string | undefined;
  const { locations, stockLocation } = useWarehouseLocations(warehouse);
  const stock = useStockRows(sku ? warehouse : undefined, sku ?? '');
  const where = at.kinds
    ? new Set(locations.filter((l) => at.kinds!.includes(l.kind)).map((l) => l.code))
    : new Set([(at.lineLocation && lineLocation) || (at.location && headerLocation) || stockLocation]);
  const lots = new Map<string, StockRow>();
  for (const r of stock.data?.items ?? []) if (r.lot && where.has(r.location) && !lots.has(r.lot)) lots.set(r.lot, r);
  const options = [...lots.values()].map((r) => ({ value: r.lot!, label: `${r.lot} · ${formatNumber(r.onHand)}${r.expiresOn ? ` · ${r.expiresOn}` : ''}` }));
  return (
    <AutoComplete
      id={p.id}
      value={p.value as string | undefined}
      onChange={(v: string) => p.onChange?.(v)}
      options={options}
      showSearch={{ filterOption: (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
      style={{ width: spec.width ?? 160 }}
    />
  );
}

/** The control for a field of a create form; `row` is the line index for line fields. */
export function FieldInput({ spec, row, ...props }: ControlProps) {
  const p = props as Record<string, unknown>;
  if (spec.readOnly) {
    const v = props.value;
    return <Input id={props.id} readOnly variant="filled" value={v === undefined || v === null ? '' : typeof v === 'number' ? formatNumber(v) : String(v)} style={{ width: spec.width ?? 130 }} />;
  }
  switch (spec.type) {
    case 'warehouse':
      return <WarehouseSelect {...p} style={{ minWidth: 200 }} />;
    case 'item':
      return <ItemSelect {...p} style={{ width: spec.width ?? 220 }} />;
    case 'customer':
    case 'supplier':
      return <PartnerInput {...p} kind={spec.type} />;
    case 'number':
      return <InputNumber {...p} style={{ width: spec.width ?? 130 }} />;
    case 'date':
      return <DatePicker {...p} />;
    case 'textarea':
      return <Input.TextArea {...p} rows={2} />;
    case 'location':
      return <LocationSelect spec={spec} row={row} {...props} />;
    case 'reason':
      return <ReasonSelect spec={spec} {...props} />;
    case 'salesOrder':
      return <SalesOrderSelect spec={spec} {...props} />;
    case 'purchaseOrder':
      return <PurchaseOrderSelect spec={spec} {...props} />;
    case 'lot':
      return <LotInput spec={spec} row={row} {...props} />;
    default:
      return <Input {...p} style={{ width: spec.width ?? 160 }} />;
  }
}
