import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Input, Row, Select, Space, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError } from '../components/forms';
import type { Warehouse } from '../hooks/useMasterData';

interface Location { id: number; code: string; name: string; kind: string; warehouse: string | null; parent: string | null }

function buildTree(locations: Location[], kindLabel: (k: string) => string): DataNode[] {
  const byParent = new Map<string | null, Location[]>();
  for (const l of locations) byParent.set(l.parent, [...(byParent.get(l.parent) ?? []), l]);
  const codes = new Set(locations.map((l) => l.code));
  const node = (l: Location): DataNode => ({
    key: l.code,
    title: `${l.code.split('/').pop()} · ${l.name} (${kindLabel(l.kind)})`,
    children: (byParent.get(l.code) ?? []).sort((a, b) => a.code.localeCompare(b.code)).map(node),
  });
  return locations.filter((l) => l.parent === null || !codes.has(l.parent)).sort((a, b) => a.code.localeCompare(b.code)).map(node);
}

export default function WarehouseDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [nameForm] = Form.useForm();
  const [locForm] = Form.useForm();
  const [error, setError] = useState<string>();
  const warehouse = useQuery({ queryKey: ['warehouses', id], queryFn: () => api.get<Warehouse>(`/warehouses/${id}`) });
  const locations = useQuery({ queryKey: ['/locations', id], queryFn: () => api.get<{ items: Location[] }>('/locations', { warehouse: id }).then((r) => r.items) });
  const tree = useMemo(() => buildTree(locations.data ?? [], (k) => { const s = t(`locationKind.${k}`); return s.startsWith('locationKind.') ? k : s; }), [locations.data, t]);
  const parents = (locations.data ?? []).filter((l) => l.kind === 'stock' || l.kind === 'zone');

  const rename = useMutation({
    mutationFn: (name: string) => api.patch<Warehouse>(`/warehouses/${id}`, { name }),
    onSuccess: () => { message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: ['warehouses'] }); },
    onError: (e) => applyApiError(nameForm, e, ['name']),
  });
  const addLocation = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Location>(`/warehouses/${id}/locations`, body, { idempotencyKey: newIdempotencyKey() }),
    onSuccess: (l) => { message.success(`${l.code} ✓`); locForm.resetFields(); void queryClient.invalidateQueries({ queryKey: ['/locations'] }); },
    onError: (e) => setError(applyApiError(locForm, e, ['code', 'name', 'kind', 'parent'])),
  });

  return (
    <Card title={<Space><Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/warehouses')} aria-label={t('app.back')} />
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{warehouse.data ? `${warehouse.data.code} · ${warehouse.data.name}` : t('warehouses.title')}</Typography.Title></Space>}>
      <QueryState isLoading={warehouse.isLoading} error={warehouse.error}>
        {warehouse.data && (
          <Row gutter={24}>
            <Col xs={24} lg={12}>
              <Typography.Title level={2} style={{ fontSize: 16 }}>{t('warehouses.locations')}</Typography.Title>
              <QueryState isLoading={locations.isLoading} error={locations.error} isEmpty={tree.length === 0}>
                <Tree treeData={tree} defaultExpandAll showLine blockNode aria-label={t('warehouses.locations')} key={tree.length} />
              </QueryState>
            </Col>
            <Col xs={24} lg={12}>
              <Form form={nameForm} layout="inline" name="warehouse-name" initialValues={{ name: warehouse.data.name }} onFinish={(v) => rename.mutate(v.name.trim())} style={{ marginBottom: 24 }}>
                <Form.Item name="name" label={t('field.name')} rules={[{ required: true }]}><Input /></Form.Item>
                <Button htmlType="submit" loading={rename.isPending}>{t('common.save')}</Button>
              </Form>
              <Typography.Title level={2} style={{ fontSize: 16 }}>{t('warehouses.addLocation')}</Typography.Title>
              {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
              <Form form={locForm} layout="vertical" name="location" initialValues={{ kind: 'bin' }}
                onFinish={(v) => { setError(undefined); addLocation.mutate({ code: v.code.trim(), kind: v.kind, ...(v.name?.trim() ? { name: v.name.trim() } : {}), ...(v.parent ? { parent: v.parent } : {}) }); }}>
                <Form.Item name="kind" label={t('field.kind')}>
                  <Select options={['zone', 'bin'].map((k) => ({ value: k, label: t(`locationKind.${k}`) }))} />
                </Form.Item>
                <Form.Item name="parent" label={t('field.parent')}>
                  <Select allowClear placeholder={warehouse.data.stockLocation} options={parents.map((l) => ({ value: l.code, label: l.code }))} />
                </Form.Item>
                <Form.Item name="code" label={t('field.code')} rules={[{ required: true }]}><Input /></Form.Item>
                <Form.Item name="name" label={t('field.name')}><Input /></Form.Item>
                <Button type="primary" htmlType="submit" loading={addLocation.isPending}>{t('common.create')}</Button>
              </Form>
            </Col>
          </Row>
        )}
      </QueryState>
    </Card>
  );
}
