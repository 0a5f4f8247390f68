/**
 * Cutting a pick wave on the desktop: the warehouse's orders waiting for a wave
 * (GET /pick-waves/candidates, filtered by priority and requested date) with checkboxes, and
 * "cut a wave" from the chosen ones (POST /pick-waves {warehouse, orders}) — or, with none chosen,
 * the automatic wave the API cuts by priority (POST /pick-waves {warehouse}).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { QueryState } from '../../components/QueryState';
import { applyApiError } from '../../components/forms';
import { WarehouseSelect } from '../../components/pickers';
import { fieldLabel, renderValue } from '../../components/values';
import { useCommandKey, type Candidate, type Wave } from './types';

/** What one wave takes at most (the API's limit on `orders`). */
const MAX_ORDERS = 500;

interface Filters { warehouse?: string; priority?: number; requestedBy?: Dayjs | null; note?: string }

export function NewWavePanel() {
  const { t } = useI18n();
  const { warehouse: headerWarehouse } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Filters>();
  const warehouse = Form.useWatch('warehouse', form) ?? headerWarehouse;
  const priority = Form.useWatch('priority', form);
  const requestedBy = Form.useWatch('requestedBy', form)?.format('YYYY-MM-DD');
  const [selected, setSelected] = useState<number[]>([]);
  const [error, setError] = useState<string>();
  const [key, renewKey] = useCommandKey();

  const filter = { warehouse, priority, requestedBy };
  const candidates = useQuery({
    queryKey: ['/pick-waves', 'candidates', filter],
    queryFn: ({ signal }) => api.get<{ items: Candidate[]; more: boolean }>('/pick-waves/candidates', { ...filter, limit: MAX_ORDERS }, { signal }),
    enabled: Boolean(warehouse),
  });
  const items = candidates.data?.items ?? [];
  // Only what is on the list goes into the wave: a filter change drops hidden choices.
  const chosen = selected.filter((id) => items.some((o) => o.id === id));
  useEffect(() => setSelected([]), [warehouse]);

  const create = useMutation({
    mutationFn: (body: { warehouse: string; orders?: number[]; note?: string }) => api.post<Wave>('/pick-waves', body, { idempotencyKey: key }),
    onSuccess: (wave) => {
      renewKey();
      setSelected([]);
      message.success(t('flow.waveCreated', { number: wave.number }));
      void queryClient.invalidateQueries();
      navigate(`/picking/${wave.id}`);
    },
    onError: (e) => { renewKey(); setError(applyApiError(form, e, ['warehouse', 'note'])); },
  });
  const cut = async (orders?: number[]) => {
    setError(undefined);
    const v = await form.validateFields(['warehouse', 'note']).catch(() => undefined);
    if (!v?.warehouse) return;
    create.mutate({ warehouse: v.warehouse, ...(orders ? { orders } : {}), note: v.note?.trim() || undefined });
  };

  const columns = [
    { key: 'number', dataIndex: 'number', title: fieldLabel('number'), render: (v: string, r: Candidate) => <Link to={`/documents/sales-orders/${r.id}`}>{v}</Link> },
    ...(['customer', 'status', 'priority', 'requestedOn', 'createdAt'] as const).map((name) => ({
      key: name, dataIndex: name, title: fieldLabel(name), render: (v: unknown, r: Candidate) => renderValue(name, v, r as unknown as Record<string, unknown>),
    })),
    { key: 'lines', dataIndex: 'lines', title: t('wave.lines') },
    { key: 'tasks', dataIndex: 'tasks', title: t('wave.taskCount') },
    { key: 'skus', dataIndex: 'skus', title: fieldLabel('sku'), render: (v: string[]) => v.join(', ') },
  ];

  return (
    <section aria-labelledby="wave-new-title" style={{ marginBottom: 24 }}>
      <Typography.Title level={2} id="wave-new-title" style={{ fontSize: 16, marginTop: 0 }}>{t('wave.candidates')}</Typography.Title>
      <Form form={form} name="wave" layout="inline" initialValues={{ warehouse: headerWarehouse }} style={{ marginBottom: 12, rowGap: 8 }} onFinish={() => void cut(chosen.length ? chosen : undefined)}>
        <Form.Item name="warehouse" label={t('field.warehouse')} rules={[{ required: true }]}>
          <WarehouseSelect style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="priority" label={t('wave.priorityUpTo')}>
          <Select allowClear style={{ width: 110 }} placeholder={t('common.all')}
            options={[1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => ({ value: p, label: `≤ ${p}` }))} />
        </Form.Item>
        <Form.Item name="requestedBy" label={t('wave.requestedBy')}>
          <DatePicker style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="note" label={t('flow.note')}>
          <Input style={{ width: 220 }} maxLength={500} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('wave.candidatesHint')}</Typography.Paragraph>
      {!warehouse ? (
        <Alert type="info" showIcon title={t('wave.chooseWarehouse')} />
      ) : (
        <QueryState isLoading={candidates.isLoading} error={candidates.error} refetch={() => void candidates.refetch()} isEmpty={items.length === 0} emptyText={t('wave.noCandidates')}>
          {candidates.data?.more && <Alert type="warning" showIcon title={t('wave.more', { n: items.length })} style={{ marginBottom: 8 }} />}
          <Table<Candidate> rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} scroll={{ x: true, y: 360 }} data-testid="wave-candidates"
            loading={candidates.isFetching && !candidates.isLoading}
            rowSelection={{
              selectedRowKeys: chosen,
              onChange: (keys) => setSelected(keys.map(Number)),
              getCheckboxProps: (r) => ({ 'aria-label': t('wave.chooseOrder', { number: r.number }) }),
              columnTitle: (checkbox) => <span aria-label={t('wave.chooseAll')}>{checkbox}</span>,
            }}
            onRow={(r) => ({ onClick: (e) => {
              // A click anywhere on the row but a link or the checkbox toggles it, as in a mail client.
              if ((e.target as HTMLElement).closest('a,input,button,label')) return;
              setSelected((s) => (chosen.includes(r.id) ? chosen.filter((id) => id !== r.id) : [...chosen, r.id]));
            } })} />
        </QueryState>
      )}
      <Space wrap style={{ marginTop: 12 }}>
        <Button type="primary" disabled={chosen.length === 0} loading={create.isPending && create.variables?.orders !== undefined}
          onClick={() => void cut(chosen)} data-testid="wave-create-selected">{t('wave.createSelected', { n: chosen.length })}</Button>
        <Button disabled={chosen.length > 0 || !warehouse} loading={create.isPending && create.variables?.orders === undefined}
          onClick={() => void cut()} data-testid="wave-create">{t('wave.createAuto')}</Button>
        {chosen.length > 0 && <Button type="link" onClick={() => setSelected([])}>{t('wave.clearChoice')}</Button>}
      </Space>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} />}
    </section>
  );
}
