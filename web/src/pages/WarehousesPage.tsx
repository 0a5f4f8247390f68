import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError } from '../components/forms';
import { renderValue } from '../components/values';
import { useWarehouses, type Warehouse } from '../hooks/useMasterData';

export default function WarehousesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useWarehouses();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const create = useMutation({
    mutationFn: (body: { code: string; name: string }) => api.post<Warehouse>('/warehouses', body, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (w) => {
      message.success(t('warehouses.created', { code: w.code }));
      void queryClient.invalidateQueries({ queryKey: ['warehouses'] });
      setOpen(false);
      form.resetFields();
    },
    onError: (e) => setError(applyApiError(form, e, ['code', 'name'])),
  });
  const rows = (query.data ?? []).filter((w) => !q || `${w.code} ${w.name}`.toLowerCase().includes(q.toLowerCase()));
  return (
    <Card title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('warehouses.title')}</Typography.Title>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => { setError(undefined); setOpen(true); }} data-testid="warehouse-new">{t('warehouses.new')}</Button>}>
      <Input.Search allowClear placeholder={t('common.search')} aria-label={t('common.search')} style={{ width: 260, marginBottom: 16 }} onSearch={setQ} onChange={(e) => setQ(e.target.value)} />
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        <Table<Warehouse> rowKey="id" size="middle" dataSource={rows} data-testid="warehouses-table" pagination={{ pageSize: 50, hideOnSinglePage: true }}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/warehouses/${r.id}`) })}
          columns={[
            { key: 'code', dataIndex: 'code', title: t('field.code'), sorter: (a, b) => a.code.localeCompare(b.code), render: (v: string, r) => <Link to={`/warehouses/${r.id}`}>{v}</Link> },
            { key: 'name', dataIndex: 'name', title: t('field.name'), sorter: (a, b) => a.name.localeCompare(b.name) },
            { key: 'stockLocation', dataIndex: 'stockLocation', title: t('warehouses.stockLocation') },
            { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), render: (v: string) => renderValue('createdAt', v) },
          ]} />
      </QueryState>
      <Modal open={open} title={t('warehouses.new')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden
        okButtonProps={{ 'data-testid': 'warehouse-save' } as never}>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" name="warehouse" onFinish={(v) => { setError(undefined); create.mutate({ code: v.code?.trim(), name: v.name?.trim() }); }}>
          <Form.Item name="code" label={t('field.code')} rules={[{ required: true }]}><Input autoFocus /></Form.Item>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true }]}><Input /></Form.Item>
          {/* Enter in a field submits, as in any form. */}
          <button type="submit" style={{ display: 'none' }} aria-hidden tabIndex={-1} />
        </Form>
      </Modal>
    </Card>
  );
}
