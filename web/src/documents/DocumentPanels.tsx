/**
 * Action forms under a document's detail screen, for flows whose body is more than a reason:
 * pack and ship a sales order (packages, carrier, tracking), ship a packed shipment, record a
 * tracking event, receive a purchase order line by line, inspect a receipt line by line.
 * DocumentDetailPage renders `<DocumentPanel>` for every document; types without a panel get none.
 */
import { useRef, useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import type { FormInstance } from 'antd';
import { Link } from 'react-router-dom';
import { api, ApiError, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { applyApiError } from '../components/forms';
import type { Doc } from './config';
import './flowMessages';

/** Drop empty values, trim texts, dates as YYYY-MM-DD (lists element by element). */
function clean(value: unknown): unknown {
  if (dayjs.isDayjs(value)) return (value as Dayjs).format('YYYY-MM-DD');
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return typeof value === 'string' ? value.trim() : value;
}

/** A POST from a form: one idempotency key until it succeeds, API field errors on the form's fields. */
function useFormCommand(form: FormInstance, done: (result: unknown) => void, remapField?: (field: string) => string) {
  const queryClient = useQueryClient();
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<string>();
  const mutation = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => api.post(path, body, { idempotencyKey: key }),
    onSuccess: (result) => {
      setKey(newIdempotencyKey());
      setError(undefined);
      void queryClient.invalidateQueries();
      done(result);
    },
    onError: (e) => {
      setKey(newIdempotencyKey());
      // Rows left out of the request: point the API's `entries.K.x` back at the form's row.
      const shown = remapField && e instanceof ApiError ? new ApiError({ ...e.problem, errors: e.fieldErrors.map((f) => ({ ...f, field: remapField(f.field) })) }) : e;
      setError(applyApiError(form, shown));
    },
  });
  return { run: (path: string, body: unknown) => { setError(undefined); mutation.mutate({ path, body }); }, mutation, error };
}

function PanelCard({ title, testId, error, children }: { title: string; testId: string; error?: string; children: ReactNode }) {
  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{title}</Typography.Title>} data-testid={testId}>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      {children}
    </Card>
  );
}

function CarrierFields({ t }: { t: (key: string) => string }) {
  return (
    <Space wrap align="start">
      <Form.Item name="carrier" label={t('field.carrier')}><Input style={{ width: 160 }} maxLength={64} /></Form.Item>
      <Form.Item name="service" label={t('flow.service')}><Input style={{ width: 120 }} maxLength={64} /></Form.Item>
      <Form.Item name="trackingNumber" label={t('flow.trackingNumber')}><Input style={{ width: 180 }} maxLength={100} /></Form.Item>
      <Form.Item name="promisedOn" label={t('flow.promisedOn')}><DatePicker /></Form.Item>
    </Space>
  );
}

function PackageFields({ t }: { t: (key: string) => string }) {
  return (
    <Form.List name="packages">
      {(rows, { add, remove }) => (
        <>
          <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>{t('flow.packages')}</Typography.Text>
          {rows.map(({ key, name }) => (
            <Space key={key} wrap align="start" data-testid="package-row">
              {(['weightKg', 'lengthCm', 'widthCm', 'heightCm'] as const).map((f) => (
                <Form.Item key={f} name={[name, f]} label={t(`flow.${f}`)}><InputNumber min={0} style={{ width: 110 }} /></Form.Item>
              ))}
              <Form.Item name={[name, 'reference']} label={t('flow.reference')}><Input style={{ width: 120 }} maxLength={100} /></Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} style={{ marginTop: 30 }} />
            </Space>
          ))}
          <Form.Item><Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})} data-testid="package-add">{t('flow.addPackage')}</Button></Form.Item>
        </>
      )}
    </Form.List>
  );
}

/** A sales order: pack picked stock (POST /shipments), or ship it with carrier and packages (POST /sales-orders/{id}/ship). */
function SalesOrderShipping({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [mode, setMode] = useState<'pack' | 'ship'>('ship');
  const command = useFormCommand(form, (result) => {
    const r = result as { number?: string };
    message.success(mode === 'pack' ? t('flow.packed', { number: r.number ?? '' }) : t('flow.shipped'));
    form.resetFields();
  });
  const lines = (doc.lines as Array<{ line: number; sku: string }> | undefined) ?? [];
  const submit = (which: 'pack' | 'ship') => {
    setMode(which);
    void form.validateFields().then((values: Record<string, unknown>) => {
      const v = clean(values) as Record<string, unknown>;
      if (which === 'pack') {
        command.run('/shipments', clean({ order: doc.id, lines: v.lines, packages: v.packages }));
      } else {
        command.run(`/sales-orders/${doc.id}/ship`, clean({ carrier: v.carrier, service: v.service, trackingNumber: v.trackingNumber, promisedOn: v.promisedOn, packages: v.packages }));
      }
    }).catch(() => undefined);
  };
  return (
    <PanelCard title={t('flow.shipping')} testId="panel-shipping" error={command.error}>
      <Typography.Paragraph type="secondary">{t('flow.packHint')}</Typography.Paragraph>
      <Form form={form} name="ship" layout="vertical" onFinish={() => submit('ship')}>
        <CarrierFields t={t} />
        <PackageFields t={t} />
        <Form.List name="lines">
          {(rows, { add, remove }) => (
            <>
              <Typography.Text strong style={{ display: 'block', marginBottom: 8 }}>{t('flow.packLines')}</Typography.Text>
              {rows.map(({ key, name }) => (
                <Space key={key} wrap align="start">
                  <Form.Item name={[name, 'line']} label={t('flow.orderLine')} rules={[{ required: true }]}>
                    <Select style={{ width: 200 }} options={lines.map((l) => ({ value: l.line, label: `${l.line} · ${l.sku}` }))} />
                  </Form.Item>
                  <Form.Item name={[name, 'quantity']} label={t('field.quantity')} rules={[{ required: true }]}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
                  <Form.Item name={[name, 'lot']} label={t('field.lot')}><Input style={{ width: 140 }} /></Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} style={{ marginTop: 30 }} />
                </Space>
              ))}
              <Form.Item><Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})}>{t('common.addLine')}</Button></Form.Item>
            </>
          )}
        </Form.List>
        <Space>
          <Button onClick={() => submit('pack')} loading={command.mutation.isPending && mode === 'pack'} data-testid="order-pack">{t('flow.pack')}</Button>
          <Button type="primary" htmlType="submit" loading={command.mutation.isPending && mode === 'ship'} data-testid="order-ship">{t('flow.shipOrder')}</Button>
        </Space>
      </Form>
    </PanelCard>
  );
}

/** A packed shipment: ship it with carrier, service, tracking number and promise. */
function ShipPacked({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const command = useFormCommand(form, () => message.success(t('flow.shipped')));
  return (
    <PanelCard title={t('flow.shipPacked')} testId="panel-ship-packed" error={command.error}>
      <Form form={form} name="shipPacked" layout="vertical" onFinish={(v: Record<string, unknown>) => command.run(`/shipments/${doc.id}/ship`, clean(v))}>
        <CarrierFields t={t} />
        <Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="shipment-ship">{t('flow.shipPacked')}</Button>
      </Form>
    </PanelCard>
  );
}

/** A shipment on its way: record in_transit / exception / delivered with location and note. */
function TrackingEvent({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const command = useFormCommand(form, () => { message.success(t('flow.eventRecorded')); form.resetFields(); });
  const next = doc.status === 'shipped' ? ['in_transit', 'exception'] : ['in_transit', 'exception', 'delivered'];
  return (
    <PanelCard title={t('flow.tracking')} testId="panel-tracking" error={command.error}>
      <Form form={form} name="event" layout="inline" style={{ rowGap: 8 }} initialValues={{ status: next[0] }}
        onFinish={(v: Record<string, unknown>) => command.run(`/shipments/${doc.id}/events`, clean(v))}>
        <Form.Item name="status" label={t('flow.eventStatus')} rules={[{ required: true }]}>
          <Select style={{ width: 140 }} options={next.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        </Form.Item>
        <Form.Item name="location" label={t('flow.location')}><Input style={{ width: 180 }} maxLength={200} /></Form.Item>
        <Form.Item name="note" label={t('flow.note')}><Input style={{ width: 220 }} maxLength={500} /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="event-submit">{t('flow.recordEvent')}</Button></Form.Item>
      </Form>
    </PanelCard>
  );
}

interface OrderLineView { line: number; sku: string; name?: string; remaining?: number; uninspected?: number; quantity?: number }

/** Receive a purchase order line by line: quantity, lot and expiry per line (POST /receipts). */
function ReceiveLines({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const lines = (doc.lines as OrderLineView[] | undefined) ?? [];
  const open = lines.filter((l) => (l.remaining ?? 0) > 0);
  const command = useFormCommand(form, (result) => message.success(t('flow.received', { number: (result as { number?: string }).number ?? '' })));
  const label = (line: number) => { const l = lines.find((x) => x.line === line); return l ? `${l.line} · ${l.sku} ${l.name ?? ''}` : String(line); };
  return (
    <PanelCard title={t('flow.receive')} testId="panel-receive" error={command.error}>
      <Form form={form} name="receive" layout="vertical" initialValues={{ lines: open.map((l) => ({ line: l.line, quantity: l.remaining })) }}
        onFinish={(v: { lines?: Array<Record<string, unknown>> }) => command.run('/receipts', { purchaseOrder: doc.id, lines: clean(v.lines ?? []) })}>
        <Form.List name="lines">
          {(rows, { remove }) => rows.map(({ key, name }) => (
            <Space key={key} wrap align="start" data-testid="receive-line">
              <Form.Item name={[name, 'line']} label={t('flow.orderLine')}>
                <Select disabled style={{ width: 220 }} options={lines.map((l) => ({ value: l.line, label: label(l.line) }))} />
              </Form.Item>
              <Form.Item name={[name, 'quantity']} label={t('field.quantity')} rules={[{ required: true }]}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
              <Form.Item name={[name, 'lot']} label={t('field.lot')}><Input style={{ width: 140 }} /></Form.Item>
              <Form.Item name={[name, 'expiresOn']} label={t('flow.expiresOn')}><DatePicker /></Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} disabled={rows.length === 1} style={{ marginTop: 30 }} />
            </Space>
          ))}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="receive-submit">{t('flow.receive')}</Button>
      </Form>
    </PanelCard>
  );
}

/** Inspect a receipt line by line: accepted and rejected quantities with a reason (POST /receipts/{id}/inspect). */
function InspectLines({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const lines = (doc.lines as OrderLineView[] | undefined) ?? [];
  const open = lines.filter((l) => (l.uninspected ?? 0) > 0);
  const command = useFormCommand(form, () => message.success(t('flow.inspected')));
  return (
    <PanelCard title={t('flow.inspect')} testId="panel-inspect" error={command.error}>
      <Form form={form} name="inspect" layout="vertical" initialValues={{ lines: open.map((l) => ({ line: l.line, accept: l.uninspected, reject: 0 })) }}
        onFinish={(v: { lines?: Array<Record<string, unknown>> }) => command.run(`/receipts/${doc.id}/inspect`, { lines: clean(v.lines ?? []) })}>
        <Form.List name="lines">
          {(rows, { remove }) => rows.map(({ key, name }) => (
            <Space key={key} wrap align="start" data-testid="inspect-line">
              <Form.Item name={[name, 'line']} label={t('flow.receiptLine')}>
                <Select disabled style={{ width: 200 }} options={lines.map((l) => ({ value: l.line, label: `${l.line} · ${l.sku}` }))} />
              </Form.Item>
              <Form.Item name={[name, 'accept']} label={t('flow.accept')}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
              <Form.Item name={[name, 'reject']} label={t('flow.reject')}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
              <Form.Item name={[name, 'reason']} label={t('field.reason')}><Input style={{ width: 200 }} /></Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} disabled={rows.length === 1} style={{ marginTop: 30 }} />
            </Space>
          ))}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="inspect-submit">{t('flow.inspect')}</Button>
      </Form>
    </PanelCard>
  );
}

/** Enter counted quantities per line of a started stock count (POST /stock-counts/{id}/entries); extra rows add found stock. */
function CountEntries({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const lines = (doc.lines as Array<{ line: number; location: string; sku: string; lot: string | null; counted: number | null }> | undefined) ?? [];
  const sentRows = useRef<number[]>([]);
  const command = useFormCommand(form, () => message.success(t('flow.countsSaved')),
    (field) => field.replace(/^entries\.(\d+)\./, (m, k: string) => (sentRows.current[Number(k)] === undefined ? m : `entries.${sentRows.current[Number(k)]}.`)));
  const submit = (v: { entries?: Array<Record<string, unknown>> }) => {
    const rows = (v.entries ?? []).map((row, index) => ({ row: clean(row) as Record<string, unknown>, index })).filter(({ row }) => row.quantity !== undefined);
    sentRows.current = rows.map((r) => r.index);
    if (rows.length === 0) return;
    command.run(`/stock-counts/${doc.id}/entries`, { entries: rows.map((r) => r.row) });
  };
  return (
    <PanelCard title={t('flow.enterCounts')} testId="panel-count" error={command.error}>
      <Typography.Paragraph type="secondary">{t('flow.enterCountsHint')}</Typography.Paragraph>
      <Form form={form} name="count" layout="vertical" onFinish={submit}
        initialValues={{ entries: lines.map((l) => ({ location: l.location, item: l.sku, lot: l.lot ?? undefined, quantity: l.counted ?? undefined })) }}>
        <Form.List name="entries">
          {(rows, { add, remove }) => (
            <>
              {rows.map(({ key, name }) => {
                const fixed = name < lines.length;
                return (
                  <Space key={key} wrap align="start" data-testid="count-line">
                    <Form.Item name={[name, 'location']} label={t('field.location')} rules={[{ required: true }]}><Input disabled={fixed} style={{ width: 200 }} /></Form.Item>
                    <Form.Item name={[name, 'item']} label={t('flow.item')} rules={[{ required: true }]}><Input disabled={fixed} style={{ width: 160 }} /></Form.Item>
                    <Form.Item name={[name, 'lot']} label={t('field.lot')}><Input disabled={fixed} style={{ width: 140 }} /></Form.Item>
                    <Form.Item name={[name, 'quantity']} label={t('flow.counted')} rules={fixed ? [] : [{ required: true }]}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
                    {!fixed && <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} style={{ marginTop: 30 }} />}
                  </Space>
                );
              })}
              <Form.Item><Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({})}>{t('flow.addFound')}</Button></Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="count-submit">{t('flow.saveCounts')}</Button>
      </Form>
    </PanelCard>
  );
}

/** Inspect a customer return line by line: restock (Input -> Stock) or scrap, with a reason (POST /sales-returns/{id}/inspect). */
function InspectReturn({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const lines = (doc.lines as Array<{ line: number; sku: string; lot: string | null; uninspected: number }> | undefined) ?? [];
  const open = lines.filter((l) => l.uninspected > 0);
  const command = useFormCommand(form, () => message.success(t('flow.inspected')));
  return (
    <PanelCard title={t('flow.inspectReturn')} testId="panel-inspect-return" error={command.error}>
      <Form form={form} name="inspectReturn" layout="vertical" initialValues={{ lines: open.map((l) => ({ line: l.line, restock: l.uninspected, scrap: 0 })) }}
        onFinish={(v: { lines?: Array<Record<string, unknown>> }) => command.run(`/sales-returns/${doc.id}/inspect`, { lines: clean(v.lines ?? []) })}>
        <Form.List name="lines">
          {(rows, { remove }) => rows.map(({ key, name }) => (
            <Space key={key} wrap align="start" data-testid="inspect-return-line">
              <Form.Item name={[name, 'line']} label={t('flow.returnLine')}>
                <Select disabled style={{ width: 220 }} options={lines.map((l) => ({ value: l.line, label: `${l.line} · ${l.sku}${l.lot ? ` · ${l.lot}` : ''}` }))} />
              </Form.Item>
              <Form.Item name={[name, 'restock']} label={t('flow.restock')}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
              <Form.Item name={[name, 'scrap']} label={t('flow.scrap')}><InputNumber min={0} style={{ width: 120 }} /></Form.Item>
              <Form.Item name={[name, 'reason']} label={t('field.reason')}><Input style={{ width: 200 }} maxLength={500} /></Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} disabled={rows.length === 1} style={{ marginTop: 30 }} />
            </Space>
          ))}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={command.mutation.isPending} data-testid="inspect-return-submit">{t('flow.inspect')}</Button>
      </Form>
    </PanelCard>
  );
}

interface ApprovalRef { id: number; status: string; rejectionReason: string | null }

/**
 * A document under an approval flow (a scrap, an adjustment): while it waits nothing has moved,
 * which the header's status alone does not say; the run itself is under administration.
 */
function ApprovalState({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const approval = doc.approval as ApprovalRef;
  const waiting = doc.status === 'pending_approval' || approval.status === 'pending';
  return (
    <Alert
      data-testid="panel-approval"
      type={waiting ? 'warning' : approval.status === 'approved' ? 'success' : 'error'}
      showIcon
      title={waiting ? t('flow.waitingForApproval') : t('flow.approvalDone', { status: t(`status.${approval.status}`) })}
      description={
        <Space orientation="vertical" size={4}>
          {waiting && <span>{t('flow.nothingMovedYet')}</span>}
          {approval.rejectionReason && <span>{t('field.reason')}: {approval.rejectionReason}</span>}
          <Link to={`/admin/approvals/${approval.id}`}>{t('flow.openApproval')}</Link>
        </Space>
      }
    />
  );
}

const is = (doc: Doc, ...statuses: string[]) => statuses.includes(String(doc.status));

export function DocumentPanel({ typeKey, doc }: { typeKey: string; doc: Doc }) {
  if (typeKey === 'sales-orders' && is(doc, 'confirmed', 'partially_shipped')) return <SalesOrderShipping key={doc.id} doc={doc} />;
  if (typeKey === 'shipments' && is(doc, 'packed')) return <ShipPacked key={doc.id} doc={doc} />;
  if (typeKey === 'shipments' && is(doc, 'shipped', 'in_transit', 'exception')) return <TrackingEvent key={`${doc.id}-${String(doc.status)}`} doc={doc} />;
  if (typeKey === 'purchase-orders' && is(doc, 'approved', 'partially_received')) return <ReceiveLines key={`${doc.id}-${String(doc.updatedAt)}`} doc={doc} />;
  if (typeKey === 'receipts' && ((doc.lines as OrderLineView[] | undefined) ?? []).some((l) => (l.uninspected ?? 0) > 0)) {
    return <InspectLines key={`${doc.id}-${String(doc.inspectionStatus)}-${JSON.stringify((doc.lines as OrderLineView[]).map((l) => l.uninspected))}`} doc={doc} />;
  }
  if (typeKey === 'stock-counts' && is(doc, 'in_progress')) return <CountEntries key={doc.id} doc={doc} />;
  if (typeKey === 'sales-returns' && !is(doc, 'closed') && ((doc.lines as Array<{ uninspected?: number }> | undefined) ?? []).some((l) => (l.uninspected ?? 0) > 0)) {
    return <InspectReturn key={`${doc.id}-${String(doc.updatedAt)}`} doc={doc} />;
  }
  if (doc.approval && typeof doc.approval === 'object') return <ApprovalState doc={doc} />;
  return null;
}
