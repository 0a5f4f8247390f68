import { useState } from 'react';
import { Alert, App, Badge, Button, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { Pager } from '../components/Pager';
import { applyApiError, describeError } from '../components/forms';
import { renderValue } from '../components/values';
import { AdminCard, RequireRight, ShownOnce } from './shared';

interface Webhook {
  id: number; url: string; description: string | null; events: string[]; active: boolean; deliveredThrough: number; pending: number; attempts: number;
  nextAttemptAt: string | null; lastAttemptAt: string | null; lastSuccessAt: string | null; lastError: string | null; createdAt: string; updatedAt: string;
}
interface Delivery {
  id: number; eventId: number; eventPosition: number | null; eventType: string; trigger: 'feed' | 'manual'; attempt: number; ok: boolean; statusCode: number | null;
  error: string | null; responseExcerpt?: string | null; durationMs: number; attemptedAt: string;
}

const SUGGESTED = ['*', 'item.*', 'stock.*', 'sales-order.*', 'purchase-order.*', 'transfer.*', 'stock-count.*', 'approval.*', 'partner.*', 'warehouse.*'];

function WebhookDrawer({ hook, open, onClose, onSecret }: { hook?: Webhook; open: boolean; onClose(): void; onSecret(secret: string): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: (v: { url: string; events: string[]; description?: string }) => {
      const body = { url: v.url.trim(), events: v.events, description: v.description?.trim() || (hook ? null : undefined) };
      if (hook) return api.patch<Webhook>(`/webhooks/${hook.id}`, body);
      return api.post<Webhook & { secret: string }>('/webhooks', body, { idempotencyKey: key });
    },
    onSuccess: (r) => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['/webhooks'] });
      if ('secret' in r && typeof r.secret === 'string') onSecret(r.secret);
      onClose();
    },
    onError: (e) => {
      const fixed = e as { fieldErrors?: Array<{ field: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^events\.\d+$/, 'events');
      setError(applyApiError(form, e, ['url', 'events', 'description']));
    },
  });
  return (
    <Drawer open={open} onClose={onClose} title={hook ? t('adm.hooks.edit') : t('adm.hooks.new')} size={520} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="webhook-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="webhook" preserve={false} initialValues={hook ?? { events: [] }} onFinish={(v) => { setError(undefined); save.mutate(v); }}>
        <Form.Item name="url" label={t('adm.hooks.url')} rules={[{ required: true }]}><Input placeholder="https://erp.example.com/hooks/cangku" /></Form.Item>
        <Form.Item name="events" label={t('adm.hooks.events')} rules={[{ required: true, type: 'array', min: 1 }]} extra={t('adm.hooks.eventsHint')}>
          <Select mode="tags" options={SUGGESTED.map((e) => ({ value: e, label: e }))} tokenSeparators={[',', ' ']} />
        </Form.Item>
        <Form.Item name="description" label={t('adm.hooks.description')}><Input maxLength={500} /></Form.Item>
      </Form>
    </Drawer>
  );
}

function Deliveries({ hook, onClose }: { hook?: Webhook; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [ok, setOk] = useState<string>();
  const [eventId, setEventId] = useState<number | null>(null);
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const before = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: ['/webhooks', hook?.id, 'deliveries', ok, eventId, before],
    queryFn: () => api.get<{ items: Delivery[]; next?: string }>(`/webhooks/${hook!.id}/deliveries`, { ok, eventId, before, limit: 25 }),
    enabled: Boolean(hook),
    placeholderData: keepPreviousData,
  });
  const redeliver = useMutation({
    mutationFn: (id: number) => api.post(`/webhooks/${hook!.id}/redeliveries`, { eventId: id }),
    onSuccess: () => message.success(t('adm.hooks.redeliverQueued')),
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <Drawer open={Boolean(hook)} onClose={onClose} title={t('adm.hooks.log', { url: hook?.url ?? '' })} size={960} destroyOnHidden>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select allowClear placeholder={t('adm.hooks.outcome')} aria-label={t('adm.hooks.outcome')} style={{ width: 140 }} value={ok} onChange={(v) => { setOk(v); setCursors([undefined]); }}
          options={[{ value: 'true', label: t('adm.hooks.ok') }, { value: 'false', label: t('adm.hooks.failed') }]} />
        <InputNumber min={1} placeholder={t('adm.hooks.eventId')} aria-label={t('adm.hooks.eventId')} value={eventId} onChange={(v) => { setEventId(v); setCursors([undefined]); }} style={{ width: 140 }} />
      </Space>
      <QueryState isLoading={query.isLoading} error={query.error} isEmpty={(query.data?.items ?? []).length === 0} emptyText={t('adm.hooks.noDeliveries')} refetch={() => void query.refetch()}>
        <Table<Delivery> rowKey="id" size="small" dataSource={query.data?.items ?? []} pagination={false} scroll={{ x: true }} loading={query.isFetching}
          expandable={{ rowExpandable: (r) => Boolean(r.responseExcerpt), expandedRowRender: (r) => <Typography.Text code style={{ whiteSpace: 'pre-wrap' }}>{r.responseExcerpt}</Typography.Text> }}
          columns={[
            { key: 'attemptedAt', dataIndex: 'attemptedAt', title: t('adm.hooks.attemptedAt'), render: (v: string) => renderValue('attemptedAt', v) },
            { key: 'event', title: t('adm.hooks.event'), render: (_: unknown, r) => <>#{r.eventId} <Typography.Text code>{r.eventType}</Typography.Text></> },
            { key: 'trigger', dataIndex: 'trigger', title: t('adm.hooks.trigger'), render: (v: string) => t(`adm.hooks.trigger.${v}`) },
            { key: 'attempt', dataIndex: 'attempt', title: t('adm.hooks.attempt') },
            { key: 'ok', dataIndex: 'ok', title: t('adm.hooks.outcome'), render: (v: boolean, r) => <Tag color={v ? 'green' : 'red'}>{r.statusCode ?? ''} {v ? t('adm.hooks.ok') : t('adm.hooks.failed')}</Tag> },
            { key: 'error', dataIndex: 'error', title: t('adm.hooks.error'), render: (v: string | null) => v ?? '—' },
            { key: 'durationMs', dataIndex: 'durationMs', title: 'ms' },
            { key: 'actions', title: t('common.actions'), render: (_: unknown, r) => <Button size="small" disabled={!hook?.active} onClick={() => redeliver.mutate(r.eventId)}>{t('adm.hooks.redeliver')}</Button> },
          ]} />
        <Pager page={cursors.length} hasNext={Boolean(query.data?.next)} hasPrevious={cursors.length > 1}
          next={() => query.data?.next && setCursors((c) => [...c, query.data!.next])} previous={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))} />
      </QueryState>
    </Drawer>
  );
}

function Health({ hook }: { hook: Webhook }) {
  const { t } = useI18n();
  if (!hook.active) return <Badge status="default" text={t('adm.hooks.disabled')} />;
  if (hook.attempts > 0) {
    return (
      <Tooltip title={<>{hook.lastError}<br />{t('adm.hooks.nextAttempt')}: {renderValue('nextAttemptAt', hook.nextAttemptAt)}</>}>
        <Badge status="error" text={t('adm.hooks.failing', { n: hook.attempts })} />
      </Tooltip>
    );
  }
  return <Badge status={hook.pending > 0 ? 'processing' : 'success'} text={hook.pending > 0 ? t('adm.hooks.pendingN', { n: hook.pending }) : t('adm.hooks.healthy')} />;
}

function WebhooksTable() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ hook?: Webhook }>();
  const [secret, setSecret] = useState<string>();
  const [log, setLog] = useState<Webhook>();
  const hooks = useQuery({ queryKey: ['/webhooks'], queryFn: () => api.get<{ items: Webhook[] }>('/webhooks').then((r) => r.items), refetchInterval: 10_000 });
  const toggle = useMutation({
    mutationFn: (h: Webhook) => api.patch(`/webhooks/${h.id}`, { active: !h.active }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/webhooks'] }),
    onError: (e) => message.error(describeError(e)),
  });
  const rotate = useMutation({
    mutationFn: (h: Webhook) => api.post<{ secret: string }>(`/webhooks/${h.id}/secret`),
    onSuccess: (r) => setSecret(r.secret),
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <AdminCard title={t('adm.hooks.title')} testId="webhooks-page"
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="webhook-new">{t('adm.hooks.new')}</Button>}>
      <QueryState isLoading={hooks.isLoading} error={hooks.error} isEmpty={(hooks.data ?? []).length === 0} emptyText={t('adm.hooks.empty')} refetch={() => void hooks.refetch()}>
        <Table<Webhook> rowKey="id" size="middle" dataSource={hooks.data ?? []} pagination={false} scroll={{ x: true }} data-testid="webhooks-table"
          columns={[
            { key: 'url', dataIndex: 'url', title: t('adm.hooks.url'), render: (v: string, r) => <Space orientation="vertical" size={0}><Typography.Text code>{v}</Typography.Text>{r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}</Space> },
            { key: 'events', dataIndex: 'events', title: t('adm.hooks.events'), render: (v: string[]) => v.map((e) => <Tag key={e}>{e}</Tag>) },
            { key: 'health', title: t('adm.hooks.health'), render: (_: unknown, r) => <Health hook={r} /> },
            { key: 'pending', dataIndex: 'pending', title: t('adm.hooks.pending') },
            { key: 'lastError', dataIndex: 'lastError', title: t('adm.hooks.lastError'), render: (v: string | null) => v ?? '—' },
            { key: 'nextAttemptAt', dataIndex: 'nextAttemptAt', title: t('adm.hooks.nextAttempt'), render: (v: string | null) => renderValue('nextAttemptAt', v) },
            { key: 'lastSuccessAt', dataIndex: 'lastSuccessAt', title: t('adm.hooks.lastSuccess'), render: (v: string | null) => renderValue('lastSuccessAt', v) },
            { key: 'active', dataIndex: 'active', title: t('adm.hooks.active'), render: (v: boolean, r) => <Switch checked={v} onChange={() => toggle.mutate(r)} aria-label={t('adm.hooks.active')} /> },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (
                <Space wrap>
                  <Button size="small" onClick={() => setEditing({ hook: r })}>{t('common.edit')}</Button>
                  <Button size="small" onClick={() => setLog(r)}>{t('adm.hooks.deliveries')}</Button>
                  <Popconfirm title={t('adm.hooks.rotateConfirm')} onConfirm={() => rotate.mutate(r)}><Button size="small" danger>{t('adm.hooks.rotate')}</Button></Popconfirm>
                </Space>
              ),
            },
          ]} />
      </QueryState>
      <WebhookDrawer open={Boolean(editing)} hook={editing?.hook} onClose={() => setEditing(undefined)} onSecret={setSecret} />
      <Deliveries hook={log} onClose={() => setLog(undefined)} />
      <Modal open={Boolean(secret)} destroyOnHidden title={t('adm.hooks.secretTitle')} onCancel={() => setSecret(undefined)} closable={false} mask={{ closable: false }} keyboard={false}
        footer={<Button type="primary" onClick={() => setSecret(undefined)} data-testid="secret-done">{t('adm.hooks.secretSaved')}</Button>}>
        {secret && <ShownOnce label={t('adm.hooks.secret')} value={secret} testId="webhook-secret" />}
        <Typography.Paragraph type="secondary">{t('adm.hooks.secretHelp')}</Typography.Paragraph>
      </Modal>
    </AdminCard>
  );
}

export default function WebhooksPage() {
  return <RequireRight right="webhook.manage"><WebhooksTable /></RequireRight>;
}
