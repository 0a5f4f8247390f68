import { useState } from 'react';
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError } from '../components/forms';
import { renderValue } from '../components/values';
import type { Partner } from '../hooks/useMasterData';

const KINDS = ['supplier', 'customer', 'both'] as const;

function PartnerDrawer({ partner, open, onClose }: { partner?: Partner; open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const contact = typeof v.contactName === 'string' && v.contactName.trim()
        ? [{ name: v.contactName.trim(), ...(typeof v.phone === 'string' && v.phone.trim() ? { phone: v.phone.trim() } : {}), ...(typeof v.email === 'string' && v.email.trim() ? { email: v.email.trim() } : {}) }]
        : undefined;
      const body: Record<string, unknown> = { name: String(v.name ?? '').trim(), kind: v.kind, paymentTermsDays: v.paymentTermsDays ?? 0, leadTimeDays: v.leadTimeDays ?? 0, ...(contact ? { contacts: contact } : {}) };
      if (partner) return api.patch<Partner>(`/partners/${partner.id}`, { ...body, archived: Boolean(v.archived) });
      return api.post<Partner>('/partners', { code: String(v.code ?? '').trim(), ...body }, { idempotencyKey: newIdempotencyKey() });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['/partners'] });
      void queryClient.invalidateQueries({ queryKey: ['partners'] });
      onClose();
    },
    onError: (e) => {
      // The contact is one row on this form: contacts.0.x errors belong to its fields.
      const fixed = e as { fieldErrors?: Array<{ field: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^contacts\.0\.name$/, 'contactName').replace(/^contacts\.0\./, '');
      setError(applyApiError(form, e, ['code', 'name', 'kind', 'paymentTermsDays', 'leadTimeDays', 'contactName', 'phone', 'email']));
    },
  });
  const first = partner?.contacts[0];
  return (
    <Drawer open={open} onClose={onClose} title={partner ? t('partners.edit') : t('partners.new')} size={440} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="partner-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="partner" preserve={false}
        initialValues={partner ? { ...partner, contactName: first?.name, phone: first?.phone, email: first?.email } : { kind: 'customer', paymentTermsDays: 0, leadTimeDays: 0 }}
        onFinish={(v) => { setError(undefined); save.mutate(v); }}>
        <Form.Item name="code" label={t('field.code')} rules={[{ required: true }]}><Input disabled={Boolean(partner)} autoFocus /></Form.Item>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="kind" label={t('field.kind')}><Select options={KINDS.map((k) => ({ value: k, label: t(`partnerKind.${k}`) }))} /></Form.Item>
        <Space>
          <Form.Item name="paymentTermsDays" label={t('field.paymentTermsDays')}><InputNumber min={0} max={3650} /></Form.Item>
          <Form.Item name="leadTimeDays" label={t('field.leadTimeDays')}><InputNumber min={0} max={3650} /></Form.Item>
        </Space>
        <Form.Item name="contactName" label="Contact"><Input /></Form.Item>
        <Space>
          <Form.Item name="phone" label="Phone"><Input /></Form.Item>
          <Form.Item name="email" label="E-mail"><Input /></Form.Item>
        </Space>
        {partner && <Form.Item name="archived" label={t('common.archived')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Drawer>
  );
}

export default function PartnersPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<string>();
  const [sort, setSort] = useState('code');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<{ partner?: Partner } | undefined>();
  const query = useQuery({
    queryKey: ['/partners', 'table', q, kind, sort, page],
    queryFn: () => api.get<Page<Partner>>('/partners', { q, kind, sort, offset: (page.current - 1) * page.pageSize, limit: page.pageSize, total: true }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (f: string) => (sort === f ? 'ascend' : sort === `-${f}` ? 'descend' : null);
  return (
    <Card title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('partners.title')}</Typography.Title>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="partner-new">{t('partners.new')}</Button>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('partners.searchPlaceholder')} aria-label={t('common.search')} style={{ width: 260 }} onSearch={(v) => { setQ(v.trim()); setPage((p) => ({ ...p, current: 1 })); }} />
        <Select allowClear placeholder={t('field.kind')} aria-label={t('field.kind')} style={{ width: 160 }} value={kind} onChange={(v) => { setKind(v); setPage((p) => ({ ...p, current: 1 })); }}
          options={(['supplier', 'customer'] as const).map((k) => ({ value: k, label: t(`partnerKind.${k}`) }))} />
      </Space>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        <Table<Partner> rowKey="id" size="middle" dataSource={query.data?.items ?? []} loading={query.isFetching} scroll={{ x: true }}
          pagination={{ ...page, total: query.data?.total ?? 0, showSizeChanger: true }}
          onChange={(p, _f, sorter) => {
            const s = sorter as SorterResult<Partner>;
            setSort(typeof s.field === 'string' && s.order ? `${s.order === 'descend' ? '-' : ''}${s.field}` : 'code');
            setPage({ current: p.current ?? 1, pageSize: p.pageSize ?? 20 });
          }}
          columns={[
            { key: 'code', dataIndex: 'code', title: t('field.code'), sorter: true, sortOrder: sortOrder('code'), render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setEditing({ partner: r })}>{v}</Button> },
            { key: 'name', dataIndex: 'name', title: t('field.name'), sorter: true, sortOrder: sortOrder('name') },
            { key: 'kind', dataIndex: 'kind', title: t('field.kind'), sorter: true, sortOrder: sortOrder('kind'), render: (v: string) => t(`partnerKind.${v}`) },
            { key: 'paymentTermsDays', dataIndex: 'paymentTermsDays', title: t('field.paymentTermsDays') },
            { key: 'leadTimeDays', dataIndex: 'leadTimeDays', title: t('field.leadTimeDays') },
            { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), sorter: true, sortOrder: sortOrder('createdAt'), render: (v: string) => renderValue('createdAt', v) },
          ]} />
      </QueryState>
      <PartnerDrawer open={Boolean(editing)} partner={editing?.partner} onClose={() => setEditing(undefined)} />
    </Card>
  );
}
