import { useState } from 'react';
import { Button, Card, Checkbox, Input, Select, Space, Table, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { renderValue } from '../components/values';
import { ExportButton } from '../admin/ExportButton';
import type { Item } from '../hooks/useMasterData';
import { ItemFormDrawer } from './ItemForm';

/** Items: server-side search, filters, sorting and paging (fast for 100,000 items). */
export default function ItemsPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [tracking, setTracking] = useState<string>();
  const [archived, setArchived] = useState(false);
  const [sort, setSort] = useState<string>('sku');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const query = useQuery({
    queryKey: ['/items', 'table', q, tracking, archived, sort, page],
    queryFn: ({ signal }) =>
      api.get<Page<Item>>('/items', { q, tracking, includeArchived: archived || undefined, sort, offset: (page.current - 1) * page.pageSize, limit: page.pageSize, total: true }, { signal }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (field: string) => (sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null);

  return (
    <Card
      title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('items.title')}</Typography.Title>}
      extra={<Space><ExportButton resource="items" filters={{ q, tracking, includeArchived: archived || undefined, sort }} /><Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="item-new">{t('items.new')}</Button></Space>}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('items.searchPlaceholder')} aria-label={t('common.search')} style={{ width: 280 }} data-testid="item-search"
          onSearch={(v) => { setQ(v.trim()); setPage((p) => ({ ...p, current: 1 })); }} />
        <Select allowClear placeholder={t('field.tracking')} aria-label={t('field.tracking')} style={{ width: 140 }} value={tracking}
          onChange={(v) => { setTracking(v); setPage((p) => ({ ...p, current: 1 })); }}
          options={(['none', 'lot', 'serial'] as const).map((v) => ({ value: v, label: t(`tracking.${v}`) }))} />
        <Checkbox checked={archived} onChange={(e) => setArchived(e.target.checked)}>{t('common.showArchived')}</Checkbox>
      </Space>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        <Table<Item>
          rowKey="id"
          size="middle"
          data-testid="items-table"
          dataSource={query.data?.items ?? []}
          loading={query.isFetching}
          scroll={{ x: true }}
          pagination={{ ...page, total: query.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (n) => `${n}` }}
          onChange={(pagination, _filters, sorter) => {
            const s = sorter as SorterResult<Item>;
            const field = typeof s.field === 'string' ? s.field : undefined;
            setSort(field && s.order ? `${s.order === 'descend' ? '-' : ''}${field}` : 'sku');
            setPage({ current: pagination.current ?? 1, pageSize: pagination.pageSize ?? 20 });
          }}
          onRow={(row) => ({ onDoubleClick: () => navigate(`/items/${row.id}`) })}
          columns={[
            { key: 'sku', dataIndex: 'sku', title: t('field.sku'), sorter: true, sortOrder: sortOrder('sku'), render: (v: string, r) => <Link to={`/items/${r.id}`}>{v}</Link> },
            { key: 'name', dataIndex: 'name', title: t('field.name'), sorter: true, sortOrder: sortOrder('name') },
            { key: 'unit', dataIndex: 'unit', title: t('field.unit') },
            { key: 'tracking', dataIndex: 'tracking', title: t('field.tracking'), render: (v: string) => renderValue('tracking', v) },
            { key: 'barcode', dataIndex: 'barcode', title: t('field.barcode'), render: (v: string | null) => renderValue('barcode', v) },
            { key: 'category', dataIndex: 'category', title: t('field.category'), sorter: true, sortOrder: sortOrder('category'), render: (v: string | null) => renderValue('category', v) },
            { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), sorter: true, sortOrder: sortOrder('createdAt'), render: (v: string) => renderValue('createdAt', v) },
          ]}
        />
      </QueryState>
      <ItemFormDrawer open={creating} onClose={() => setCreating(false)} onSaved={(item) => navigate(`/items/${item.id}`)} />
    </Card>
  );
}
