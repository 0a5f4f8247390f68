import { useState } from 'react';
import { Button, DatePicker, Form, Input, InputNumber, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { Pager } from '../components/Pager';
import { renderValue } from '../components/values';
import { VisuallyHidden } from '../components/VisuallyHidden';
import { AdminCard, RequireRight } from './shared';
import { useUsers } from './UsersPage';
import { useMe } from './me';

interface AuditEntry {
  id: number; at: string; userId: number | null; action: string; targetType: string | null; targetId: string | null; requestId: string | null; ip: string | null;
  detail: unknown; changes?: Array<{ field: string; before: unknown; after: unknown }>;
}
type Filters = { action?: string; targetType?: string; targetId?: string; userId?: number; ip?: string; requestId?: string; from?: string; to?: string };

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{typeof value === 'string' ? value : JSON.stringify(value)}</Typography.Text>;
}

function AuditSearch() {
  const { t } = useI18n();
  const { can } = useMe();
  const users = useUsers(can('user.manage'));
  const names = new Map((users.data ?? []).map((u) => [u.id, u.username]));
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const before = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: ['/audit', filters, before],
    queryFn: ({ signal }) => api.get<{ items: AuditEntry[]; next?: string }>('/audit', { ...filters, before, limit: 50 }, { signal }),
    placeholderData: keepPreviousData,
  });
  const search = (v: Record<string, unknown>) => {
    const range = v.range as [Dayjs | null, Dayjs | null] | undefined;
    const text = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : undefined);
    setFilters({
      action: text('action'), targetType: text('targetType'), targetId: text('targetId'), ip: text('ip'), requestId: text('requestId'),
      userId: typeof v.userId === 'number' ? v.userId : undefined,
      from: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
      to: range?.[1] ? range[1].add(1, 'day').startOf('day').toISOString() : undefined,
    });
    setCursors([undefined]);
  };
  return (
    <AdminCard title={t('adm.audit.title')} testId="audit-page">
      <Form layout="inline" name="audit" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="action" label={t('adm.audit.action')} tooltip={t('adm.audit.actionHint')}><Input placeholder="user.*" style={{ width: 160 }} /></Form.Item>
        <Form.Item name="targetType" label={t('adm.audit.targetType')}><Input placeholder="item" style={{ width: 140 }} /></Form.Item>
        <Form.Item name="targetId" label={t('adm.audit.targetId')}><Input style={{ width: 100 }} /></Form.Item>
        <Form.Item name="userId" label={t('adm.audit.user')}>
          {can('user.manage')
            ? <Select allowClear showSearch={{ optionFilterProp: 'label' }} style={{ width: 160 }} options={(users.data ?? []).map((u) => ({ value: u.id, label: u.username }))} />
            : <InputNumber min={1} style={{ width: 100 }} />}
        </Form.Item>
        <Form.Item name="ip" label={t('adm.audit.ip')}><Input style={{ width: 140 }} /></Form.Item>
        <Form.Item name="requestId" label={t('adm.audit.requestId')}><Input style={{ width: 140 }} /></Form.Item>
        <Form.Item name="range" label={t('adm.audit.period')}><DatePicker.RangePicker allowEmpty={[true, true]} /></Form.Item>
        <Space><Button type="primary" htmlType="submit">{t('common.search')}</Button></Space>
      </Form>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        <Table<AuditEntry> rowKey="id" size="small" dataSource={query.data?.items ?? []} loading={query.isFetching} pagination={false} scroll={{ x: true }} data-testid="audit-table"
          expandable={{
            // The expand buttons' column gets a header a screen reader can announce.
            columnTitle: <VisuallyHidden>{t('common.details')}</VisuallyHidden>,
            rowExpandable: (r) => r.detail !== null || Boolean(r.changes),
            expandedRowRender: (r) => (r.changes
              ? <Table size="small" rowKey="field" pagination={false} dataSource={r.changes}
                  columns={[
                    { key: 'field', dataIndex: 'field', title: t('adm.audit.field') },
                    { key: 'before', dataIndex: 'before', title: t('adm.audit.before'), render: (v: unknown) => <Json value={v} /> },
                    { key: 'after', dataIndex: 'after', title: t('adm.audit.after'), render: (v: unknown) => <Json value={v} /> },
                  ]} />
              : <Json value={r.detail} />),
          }}
          columns={[
            { key: 'at', dataIndex: 'at', title: t('adm.audit.at'), render: (v: string) => renderValue('at', v) },
            { key: 'userId', dataIndex: 'userId', title: t('adm.audit.user'), render: (v: number | null) => (v === null ? '—' : names.get(v) ?? `#${v}`) },
            { key: 'action', dataIndex: 'action', title: t('adm.audit.action'), render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { key: 'target', title: t('adm.audit.target'), render: (_: unknown, r) => (r.targetType ? `${r.targetType} ${r.targetId ?? ''}` : '—') },
            { key: 'changes', title: t('adm.audit.changes'), render: (_: unknown, r) => (r.changes ? r.changes.map((c) => c.field).join(', ') : '') },
            { key: 'ip', dataIndex: 'ip', title: t('adm.audit.ip'), render: (v: string | null) => v ?? '—' },
            { key: 'requestId', dataIndex: 'requestId', title: t('adm.audit.requestId'), render: (v: string | null) => v ?? '—' },
          ]} />
        <Pager page={cursors.length} hasNext={Boolean(query.data?.next)} hasPrevious={cursors.length > 1}
          next={() => query.data?.next && setCursors((c) => [...c, query.data!.next])} previous={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))} />
      </QueryState>
    </AdminCard>
  );
}

export default function AuditPage() {
  return <RequireRight right="audit.view"><AuditSearch /></RequireRight>;
}
