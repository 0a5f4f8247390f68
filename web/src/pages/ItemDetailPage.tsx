import { useState } from 'react';
import { Button, Card, Descriptions, Space, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { renderValue } from '../components/values';
import { MovesDrawer, MovesTable, StockDetailTable, StockSummaryTable, useDrill } from '../components/stock';
import type { Item } from '../hooks/useMasterData';
import { ItemFormDrawer } from './ItemForm';

export default function ItemDetailPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const drill = useDrill();
  const query = useQuery({ queryKey: ['/items', 'detail', id], queryFn: () => api.get<Item>(`/items/${id}`) });
  const item = query.data;
  return (
    <Card
      title={<Space><Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/items')} aria-label={t('app.back')} />
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{item ? `${item.sku} · ${item.name}` : t('items.title')}</Typography.Title></Space>}
      extra={item && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="item-edit">{t('common.edit')}</Button>}
    >
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        {item && (
          <>
            <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}
              items={(['sku', 'name', 'unit', 'unitPrecision', 'tracking', 'barcode', 'category', 'reorderPoint', 'safetyStock', 'reorderQuantity', 'archived', 'createdAt'] as const).map((k) => ({
                key: k, label: k === 'archived' ? t('common.archived') : k === 'createdAt' ? t('common.createdAt') : t(`field.${k}`), children: renderValue(k, item[k]),
              }))} />
            <Tabs style={{ marginTop: 16 }} items={[
              { key: 'summary', label: t('stock.summary'), children: <StockSummaryTable sku={item.sku} onDrill={drill.open} /> },
              { key: 'detail', label: t('stock.detail'), children: <StockDetailTable sku={item.sku} onDrill={drill.open} /> },
              { key: 'moves', label: t('items.moves'), children: <MovesTable target={{ sku: item.sku }} /> },
            ]} />
            <ItemFormDrawer open={editing} item={item} onClose={() => setEditing(false)} />
            <MovesDrawer target={drill.target} onClose={drill.close} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
