import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { renderValue } from '../components/values';
import { documentLink } from '../documents/config';
import { AdminCard, RequireRight, money } from './shared';
import { DecideModal, type DecideTarget } from './Decide';
import type { Delegation, InboxItem } from './approvalsApi';
import { useUsers } from './UsersPage';
import { useMe } from './me';

function Inbox() {
  const { t } = useI18n();
  const { can } = useMe();
  const [deciding, setDeciding] = useState<DecideTarget>();
  const inbox = useQuery({ queryKey: ['/approvals', 'inbox'], queryFn: () => api.get<{ items: InboxItem[] }>('/approvals/inbox').then((r) => r.items) });
  const items = inbox.data ?? [];
  return (
    <>
      <QueryState isLoading={inbox.isLoading} error={inbox.error} isEmpty={items.length === 0} emptyText={t('adm.appr.inboxEmpty')} refetch={() => void inbox.refetch()}>
        <Table<InboxItem> rowKey="approval" size="middle" dataSource={items} pagination={false} scroll={{ x: true }} data-testid="inbox-table"
          columns={[
            { key: 'doc', title: t('adm.appr.document'), render: (_: unknown, r) => { const to = documentLink(r.documentType, r.documentId); return <Space orientation="vertical" size={0}><Typography.Text type="secondary">{t(`adm.docType.${r.documentType}`)}</Typography.Text>{to ? <Link to={to}>{r.documentNumber}</Link> : r.documentNumber}</Space>; } },
            { key: 'flow', title: t('adm.appr.flowStep'), render: (_: unknown, r) => <>{r.flowName} · {r.stepName} {r.mode === 'all' && <Tag color="purple">{t('adm.flows.mode.all')}</Tag>}</> },
            { key: 'signed', title: t('adm.appr.signed'), render: (_: unknown, r) => `${r.signed} / ${r.needed}` },
            ...(can('report.view_cost') ? [{ key: 'amount', dataIndex: 'amount', title: t('adm.appr.amount'), align: 'right' as const, render: (v: number | null) => money(v) }] : []),
            { key: 'warehouse', dataIndex: 'warehouse', title: t('field.warehouse') },
            { key: 'submittedBy', dataIndex: 'submittedBy', title: t('adm.appr.submittedBy'), render: (v: string, r) => <>{v}{r.onBehalfOf.length > 0 && <Tag color="blue" style={{ marginLeft: 8 }}>{t('adm.appr.delegated', { names: r.onBehalfOf.join(', ') })}</Tag>}</> },
            { key: 'submittedAt', dataIndex: 'submittedAt', title: t('adm.appr.submittedAt'), render: (v: string) => renderValue('submittedAt', v) },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (
                <Space>
                  <Button size="small" type="primary" data-testid={`approve-${r.documentNumber}`} onClick={() => setDeciding({ approval: r.approval, decision: 'approve', documentNumber: r.documentNumber, asSelf: r.asSelf, onBehalfOf: r.onBehalfOf })}>{t('adm.appr.approve')}</Button>
                  <Button size="small" danger onClick={() => setDeciding({ approval: r.approval, decision: 'reject', documentNumber: r.documentNumber, asSelf: r.asSelf, onBehalfOf: r.onBehalfOf })}>{t('adm.appr.reject')}</Button>
                  <Link to={`/admin/approvals/${r.approval}`}>{t('common.details')}</Link>
                </Space>
              ),
            },
          ]} />
      </QueryState>
      <DecideModal target={deciding} onClose={() => setDeciding(undefined)} />
    </>
  );
}

function Delegations() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { can, me } = useMe();
  const users = useUsers(can('user.manage'));
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [key, setKey] = useState(newIdempotencyKey);
  const list = useQuery({ queryKey: ['/approvals', 'delegations'], queryFn: () => api.get<{ items: Delegation[] }>('/approvals/delegations').then((r) => r.items) });
  const create = useMutation({
    mutationFn: (v: { to: string; range: [Dayjs, Dayjs]; note?: string }) => api.post('/approvals/delegations', {
      to: v.to, startsOn: v.range[0].format('YYYY-MM-DD'), endsOn: v.range[1].format('YYYY-MM-DD'), ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    }, { idempotencyKey: key }),
    onSuccess: () => { message.success(t('common.saved')); form.resetFields(); setKey(newIdempotencyKey()); void queryClient.invalidateQueries({ queryKey: ['/approvals', 'delegations'] }); },
    onError: (e) => {
      const fixed = e as { fieldErrors?: Array<{ field: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^(startsOn|endsOn)$/, 'range');
      setError(applyApiError(form, e, ['to', 'range', 'note']));
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.post(`/approvals/delegations/${id}/revoke`),
    onSuccess: () => { message.success(t('adm.appr.revoked')); void queryClient.invalidateQueries({ queryKey: ['/approvals', 'delegations'] }); },
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <>
      <Typography.Paragraph type="secondary">{t('adm.appr.delegationHelp')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="inline" name="delegation" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v) => { setError(undefined); create.mutate(v); }}>
        <Form.Item name="to" label={t('adm.appr.to')} rules={[{ required: true }]}>
          {can('user.manage')
            ? <Select showSearch style={{ width: 180 }} options={(users.data ?? []).filter((u) => !u.disabled && u.id !== me?.userId).map((u) => ({ value: u.username, label: u.username }))} />
            : <Input style={{ width: 180 }} />}
        </Form.Item>
        <Form.Item name="range" label={t('adm.appr.period')} rules={[{ required: true }]}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="note" label={t('adm.appr.note')}><Input style={{ width: 200 }} maxLength={500} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>{t('adm.appr.delegate')}</Button>
      </Form>
      <QueryState isLoading={list.isLoading} error={list.error} isEmpty={(list.data ?? []).length === 0} refetch={() => void list.refetch()}>
        <Table<Delegation> rowKey="id" size="small" dataSource={list.data ?? []} pagination={false} scroll={{ x: true }}
          columns={[
            { key: 'from', dataIndex: 'from', title: t('adm.appr.from') },
            { key: 'to', dataIndex: 'to', title: t('adm.appr.to') },
            { key: 'period', title: t('adm.appr.period'), render: (_: unknown, r) => `${r.startsOn} – ${r.endsOn}` },
            { key: 'note', dataIndex: 'note', title: t('adm.appr.note'), render: (v: string | null) => v ?? '—' },
            { key: 'state', title: t('common.status'), render: (_: unknown, r) => (r.revokedAt ? <Tag>{t('adm.appr.revoked')}</Tag> : r.active ? <Tag color="green">{t('adm.appr.activeNow')}</Tag> : <Tag color="blue">{t('adm.appr.notNow')}</Tag>) },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (r.revokedAt || (r.from !== me?.username && !can('approval.manage')) ? null : (
                <Popconfirm title={t('adm.appr.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}><Button size="small" danger>{t('adm.appr.revoke')}</Button></Popconfirm>
              )),
            },
          ]} />
      </QueryState>
    </>
  );
}

export default function ApprovalsPage() {
  const { t } = useI18n();
  return (
    <RequireRight right="approval.decide">
      <AdminCard title={t('adm.appr.title')} testId="approvals-page">
        <Tabs items={[
          { key: 'inbox', label: t('adm.appr.inbox'), children: <Inbox /> },
          { key: 'delegations', label: t('adm.appr.delegations'), children: <Delegations /> },
        ]} />
      </AdminCard>
    </RequireRight>
  );
}
