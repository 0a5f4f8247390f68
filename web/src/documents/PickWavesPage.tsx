/**
 * Pick waves on the desktop (docs/picking.md): the list of waves and count suggestions, cutting a
 * wave from chosen orders (waves/NewWavePanel.tsx), and a wave's tasks in route order with a scan
 * panel for a USB scanner (waves/WaveScanPanel.tsx), "confirm pick" and "short pick" per task.
 * One screen for `/picking` and `/picking/{id}`.
 */
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { useCursorList } from '../hooks/useCursorList';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { fieldLabel, renderValue } from '../components/values';
import './flowMessages';
import { NewWavePanel } from './waves/NewWavePanel';
import { WaveScanPanel } from './waves/WaveScanPanel';
import { useCommandKey, type Task, type Wave, type WaveSummary } from './waves/types';

interface Suggestion { id: number; number: string; status: string; warehouse: string; bin: string; sku: string; name: string; lot: string | null; missing: number;
  task: string | null; countId: number | null; found: number | null; createdAt: string }

/** Scalar columns rendered like every other list of the app. */
function columnsOf<T>(names: Array<keyof T & string>) {
  return names.map((name) => ({ key: name, dataIndex: name, title: fieldLabel(name), render: (v: unknown, r: T) => renderValue(name, v, r as Record<string, unknown>) }));
}

function WaveList() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const navigate = useNavigate();
  const list = useCursorList<WaveSummary>('/pick-waves', { warehouse });
  const columns = columnsOf<WaveSummary>(['number', 'warehouse', 'status', 'tasks', 'openTasks', 'note', 'createdAt']).map((c) =>
    c.key === 'number' ? { ...c, render: (v: unknown, r: WaveSummary) => <Link to={`/picking/${r.id}`}>{String(v)}</Link> } : c.key === 'openTasks' ? { ...c, title: t('flow.openTasks') } : c);
  return (
    <>
      <NewWavePanel />
      <Typography.Title level={2} style={{ fontSize: 16 }}>{t('flow.waves')}</Typography.Title>
      <QueryState isLoading={list.isLoading} error={list.error} refetch={() => void list.refetch()} isEmpty={list.items.length === 0 && list.page === 1} emptyText={t('flow.noWaves')}>
        <Table<WaveSummary> rowKey="id" size="middle" columns={columns} dataSource={list.items} pagination={false} scroll={{ x: true }} data-testid="waves-table"
          loading={list.isFetching && !list.isLoading} onRow={(r) => ({ onDoubleClick: () => navigate(`/picking/${r.id}`) })} />
        <Pager page={list.page} hasNext={list.hasNext} hasPrevious={list.hasPrevious} next={list.next} previous={list.previous} />
      </QueryState>
    </>
  );
}

function ResolveCell({ suggestion }: { suggestion: Suggestion }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [found, setFound] = useState<number | null>(0);
  const [key, renewKey] = useCommandKey();
  const done = () => { renewKey(); void queryClient.invalidateQueries(); };
  const count = useMutation({
    mutationFn: () => api.post<Suggestion>(`/count-suggestions/${suggestion.id}/count`, undefined, { idempotencyKey: key }),
    onSuccess: (s) => { done(); if (s.countId) navigate(`/documents/stock-counts/${s.countId}`); },
    onError: (e) => { renewKey(); message.error({ content: describeError(e), duration: 8 }); },
  });
  const resolve = useMutation({
    mutationFn: () => api.post<Suggestion>(`/count-suggestions/${suggestion.id}/resolve`, { found: found ?? 0 }, { idempotencyKey: key }),
    onSuccess: (s) => { done(); message.success(t('flow.resolved', { number: s.number })); },
    onError: (e) => { renewKey(); message.error({ content: describeError(e), duration: 8 }); },
  });
  if (suggestion.status === 'resolved') return null;
  return (
    <Space wrap>
      {suggestion.status === 'open' && <Button size="small" onClick={() => count.mutate()} loading={count.isPending} data-testid={`suggestion-count-${suggestion.number}`}>{t('flow.openCount')}</Button>}
      {suggestion.status === 'counting' && suggestion.countId && <Link to={`/documents/stock-counts/${suggestion.countId}`}>{t('doc.stock-counts')}</Link>}
      <InputNumber size="small" min={0} max={suggestion.missing} value={found} onChange={setFound} aria-label={t('flow.found')} style={{ width: 90 }} />
      <Button size="small" onClick={() => resolve.mutate()} loading={resolve.isPending} data-testid={`suggestion-resolve-${suggestion.number}`}>{t('flow.resolve')}</Button>
    </Space>
  );
}

function SuggestionList() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const list = useCursorList<Suggestion>('/count-suggestions', { warehouse });
  const columns = [
    ...columnsOf<Suggestion>(['number', 'status', 'warehouse', 'bin', 'sku', 'name', 'lot', 'missing', 'task', 'found', 'createdAt']).map((c) =>
      c.key === 'missing' ? { ...c, title: t('flow.missing') } : c.key === 'task' ? { ...c, title: t('flow.task') } : c.key === 'found' ? { ...c, title: t('flow.found') } : c),
    { key: 'actions', title: t('common.actions'), render: (_: unknown, s: Suggestion) => <ResolveCell suggestion={s} /> },
  ];
  return (
    <QueryState isLoading={list.isLoading} error={list.error} refetch={() => void list.refetch()} isEmpty={list.items.length === 0 && list.page === 1} emptyText={t('flow.noSuggestions')}>
      <Table<Suggestion> rowKey="id" size="middle" columns={columns} dataSource={list.items} pagination={false} scroll={{ x: true }} data-testid="suggestions-table"
        loading={list.isFetching && !list.isLoading} />
      <Pager page={list.page} hasNext={list.hasNext} hasPrevious={list.hasPrevious} next={list.next} previous={list.previous} />
    </QueryState>
  );
}

/** Confirm a pick (the scan a picker would make) or report a short pick, for one task. */
function TaskForm({ task, mode, onDone }: { task: Task; mode: 'pick' | 'short'; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [key, renewKey] = useCommandKey();
  const run = useMutation({
    mutationFn: (values: Record<string, unknown>): Promise<unknown> =>
      mode === 'pick'
        ? api.post<Task>(`/pick-tasks/${task.id}/scan`, values, { idempotencyKey: key })
        : api.post<{ missing: number; reReserved: number; backordered: number }>(`/pick-tasks/${task.id}/short`, values, { idempotencyKey: key }),
    onSuccess: (result) => {
      renewKey();
      if (mode === 'pick') message.success(t('flow.picked', { number: task.number }));
      else {
        const r = result as { missing: number; reReserved: number; backordered: number };
        message.success(t('flow.shorted', { number: task.number, missing: r.missing, reReserved: r.reReserved, backordered: r.backordered }));
      }
      void queryClient.invalidateQueries();
      onDone();
    },
    onError: (e) => { renewKey(); setError(applyApiError(form, e)); },
  });
  const submit = (values: Record<string, unknown>) => {
    setError(undefined);
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') body[k] = typeof v === 'string' ? v.trim() : v;
    run.mutate(body);
  };
  return (
    <Card size="small" title={`${t(mode === 'pick' ? 'flow.pick' : 'flow.short')} · ${task.number} · ${task.sku} ${task.name}`} data-testid="task-form">
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name={mode} layout="inline" style={{ rowGap: 8 }} onFinish={submit}
        initialValues={mode === 'pick' ? { bin: task.bin, item: task.sku, lot: task.lot ?? undefined, quantity: task.remaining } : { found: 0 }}>
        {mode === 'pick' ? (
          <>
            <Form.Item name="bin" label={t('flow.bin')} rules={[{ required: true }]}><Input style={{ width: 220 }} /></Form.Item>
            <Form.Item name="item" label={t('flow.item')} rules={[{ required: true }]}><Input style={{ width: 160 }} /></Form.Item>
            {task.tracking !== 'none' && <Form.Item name="lot" label={t('field.lot')} rules={[{ required: true }]}><Input style={{ width: 160 }} /></Form.Item>}
            <Form.Item name="quantity" label={t('field.quantity')} rules={[{ required: true }]}><InputNumber min={0} max={task.remaining} style={{ width: 120 }} /></Form.Item>
          </>
        ) : (
          <Form.Item name="found" label={t('flow.found')}><InputNumber min={0} max={task.remaining} style={{ width: 120 }} autoFocus /></Form.Item>
        )}
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" danger={mode === 'short'} loading={run.isPending} data-testid={`task-${mode}-submit`}>{t(mode === 'pick' ? 'flow.pick' : 'flow.short')}</Button>
            <Button onClick={onDone}>{t('common.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** Cancel an open wave (danger, confirmed in a dialog, optional reason); the API refuses one with picked tasks (409). */
function CancelWave({ wave }: { wave: Wave }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [key, renewKey] = useCommandKey();
  const run = useMutation({
    mutationFn: () => api.post<Wave>(`/pick-waves/${wave.id}/cancel`, reason.trim() ? { reason: reason.trim() } : {}, { idempotencyKey: key }),
    onSuccess: () => {
      renewKey();
      setOpen(false);
      message.success(t('wave.cancelled', { number: wave.number }));
      void queryClient.invalidateQueries();
    },
    onError: (e) => { renewKey(); setError(describeError(e)); },
  });
  return (
    <>
      <Button danger onClick={() => { setError(undefined); setReason(''); setOpen(true); }} data-testid="wave-cancel">{t('wave.cancel')}</Button>
      <Modal open={open} title={t('wave.cancelTitle', { number: wave.number })} okText={t('wave.cancelConfirm')} cancelText={t('wave.cancelKeep')}
        okButtonProps={{ danger: true }} confirmLoading={run.isPending} onOk={() => run.mutate()} onCancel={() => setOpen(false)} destroyOnHidden>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('wave.cancelHint')}</Typography.Paragraph>
          {error && <Alert type="error" showIcon role="alert" title={error} />}
          <Input.TextArea id="wave-cancel-reason" aria-label={t('wave.cancelReason')} placeholder={t('wave.cancelReason')} maxLength={500} rows={2}
            value={reason} onChange={(e) => setReason(e.target.value)} data-testid="wave-cancel-reason" />
        </Space>
      </Modal>
    </>
  );
}

function WaveDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<{ taskId: number; mode: 'pick' | 'short' }>();
  const query = useQuery({ queryKey: ['/pick-waves', 'detail', id], queryFn: () => api.get<Wave>(`/pick-waves/${id}`) });
  const wave = query.data;
  const task = wave?.tasks.find((x) => x.id === selected?.taskId);
  const columns = [
    ...columnsOf<Task>(['seq', 'number', 'order', 'customer', 'bin', 'sku', 'name', 'lot', 'expiresOn', 'quantity', 'picked', 'short', 'remaining', 'status']).map((c) =>
      c.key === 'order' ? { ...c, render: (v: unknown, r: Task) => <Link to={`/documents/sales-orders/${r.orderId}`}>{String(v)}</Link> } : c.key === 'remaining' ? { ...c, title: t('flow.remaining') } : c),
    {
      key: 'actions', title: t('common.actions'), fixed: 'right' as const,
      render: (_: unknown, r: Task) => r.status === 'open' && r.remaining > 0 ? (
        <Space>
          <Button size="small" type="primary" onClick={() => setSelected({ taskId: r.id, mode: 'pick' })} data-testid={`task-pick-${r.number}`}>{t('flow.pick')}</Button>
          <Button size="small" danger onClick={() => setSelected({ taskId: r.id, mode: 'short' })} data-testid={`task-short-${r.number}`}>{t('flow.short')}</Button>
        </Space>
      ) : null,
    },
  ];
  return (
    <Card title={
      <Space>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/picking')} aria-label={t('app.back')} />
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('flow.waves')} {wave?.number ?? ''}</Typography.Title>
      </Space>
    } extra={
      <Space>
        {wave?.status === 'open' && wave.tasks.every((x) => x.picked === 0) && <CancelWave wave={wave} />}
        <Button icon={<ReloadOutlined />} onClick={() => void query.refetch()} aria-label={t('common.refresh')} />
      </Space>
    }>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        {wave && (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="wave-header" items={[
              { key: 'warehouse', label: fieldLabel('warehouse'), children: wave.warehouse },
              { key: 'status', label: fieldLabel('status'), children: renderValue('status', wave.status) },
              { key: 'progress', label: t('flow.progress'), children: `${wave.progress.done + wave.progress.closed} / ${wave.progress.tasks}` },
              { key: 'orders', label: t('doc.sales-orders'), children: wave.orders.join(', ') },
              { key: 'note', label: t('flow.note'), children: renderValue('note', wave.note) },
              { key: 'createdAt', label: fieldLabel('createdAt'), children: renderValue('createdAt', wave.createdAt) },
            ]} />
            {wave.status === 'open' && wave.progress.open > 0 && <WaveScanPanel wave={wave} />}
            {task && selected && <TaskForm key={`${task.id}-${selected.mode}`} task={task} mode={selected.mode} onDone={() => setSelected(undefined)} />}
            <Table<Task> rowKey="id" size="small" columns={columns} dataSource={wave.tasks} pagination={false} scroll={{ x: true }} data-testid="tasks-table"
              title={() => <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t('flow.tasks')}</Typography.Title>} />
          </Space>
        )}
      </QueryState>
    </Card>
  );
}

export default function PickWavesPage() {
  const { id } = useParams();
  const { t } = useI18n();
  if (id) return <WaveDetail id={id} />;
  return (
    <Card title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('flow.waves')}</Typography.Title>}>
      <Tabs items={[
        { key: 'waves', label: t('flow.waves'), children: <WaveList /> },
        { key: 'suggestions', label: t('flow.suggestions'), children: <SuggestionList /> },
      ]} />
    </Card>
  );
}
