import { useMemo } from 'react';
import { Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { EChart, type ChartOption } from '../components/EChart';
import { formatNumber } from '../components/values';

export interface Dashboard {
  warehouse: string | null;
  itemCount: number;
  skusInStock: number;
  stockValue: number | null;
  warehouses: Array<{ code: string; name: string; skus: number; onHand: number; value: number | null }>;
  lowStockAt: number;
  /** The reorder fields are only on rows of items with reorder settings. */
  lowStock: Array<{
    sku: string; name: string; unit: string; onHand: number; available: number;
    reorderPoint?: number | null; safetyStock?: number | null; reorderQuantity?: number | null; suggestedQuantity?: number | null; critical?: boolean;
  }>;
  lowStockCount: number;
  expiringDays: number;
  expiring: Array<{ sku: string; name: string; warehouse: string; lot: string; expiresOn: string; daysLeft: number; onHand: number }>;
  salesOrders: Record<string, number>;
  purchaseOrders: Record<string, number>;
  trend: Array<{ date: string; inbound: number; outbound: number }>;
}

export default function DashboardPage() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const query = useQuery({
    queryKey: ['dashboard', warehouse],
    queryFn: ({ signal }) => api.get<Dashboard>('/dashboard', { warehouse }, { signal }),
  });
  const d = query.data;

  const byWarehouse = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    xAxis: { type: 'category', data: d?.warehouses.map((w) => w.code) ?? [] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', name: d?.stockValue === null ? t('dashboard.onHand') : t('dashboard.value'), data: d?.warehouses.map((w) => w.value ?? w.onHand) ?? [], itemStyle: { color: '#0958d9' } }],
  }), [d, t]);

  const orders = useMemo<ChartOption>(() => {
    const statuses = [...new Set([...Object.keys(d?.salesOrders ?? {}), ...Object.keys(d?.purchaseOrders ?? {})])];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 48 },
      xAxis: { type: 'category', data: statuses.map((s) => t(`status.${s}`)), axisLabel: { rotate: statuses.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('dashboard.salesOrders'), data: statuses.map((s) => d?.salesOrders[s] ?? 0) },
        { type: 'bar', name: t('dashboard.purchaseOrders'), data: statuses.map((s) => d?.purchaseOrders[s] ?? 0) },
      ],
    };
  }, [d, t]);

  const trend = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: d?.trend.map((p) => p.date.slice(5)) ?? [] },
    yAxis: { type: 'value' },
    series: [
      { type: 'line', smooth: true, name: t('dashboard.inbound'), data: d?.trend.map((p) => p.inbound) ?? [], itemStyle: { color: '#237804' } },
      { type: 'line', smooth: true, name: t('dashboard.outbound'), data: d?.trend.map((p) => p.outbound) ?? [], itemStyle: { color: '#ad4e00' } },
    ],
  }), [d, t]);

  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <Typography.Title level={1} style={{ fontSize: 20 }}>{t('nav.dashboard')}</Typography.Title>
        {query.dataUpdatedAt > 0 && <Typography.Text type="secondary" aria-live="polite">{t('dashboard.updated', { time: dayjs(query.dataUpdatedAt).format('HH:mm:ss') })}</Typography.Text>}
      </div>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        {d && (
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12} lg={6}>
              <Card><div data-testid="stat-stock-value"><Statistic title={t('dashboard.stockValue')} value={d.stockValue ?? '—'} precision={d.stockValue === null ? undefined : 2} /></div></Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card><div data-testid="stat-sku-count"><Statistic title={t('dashboard.skuCount')} value={d.skusInStock} suffix={`/ ${d.itemCount}`} /></div></Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card><div data-testid="stat-low-stock"><Statistic title={t('dashboard.lowStock')} value={d.lowStockCount} styles={{ content: { color: d.lowStockCount > 0 ? '#cf1322' : undefined } }} /></div></Card>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Card><div data-testid="stat-expiring"><Statistic title={t('dashboard.expiring')} value={d.expiring.length} styles={{ content: { color: d.expiring.length > 0 ? '#d46b08' : undefined } }} /></div></Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('dashboard.byWarehouse')}>
                {d.warehouses.length === 0 ? <Empty /> : <EChart option={byWarehouse} label={t('dashboard.byWarehouse')} testId="chart-warehouses" />}
                <Table size="small" rowKey="code" pagination={false} dataSource={d.warehouses} style={{ marginTop: 8 }} data-testid="table-warehouses"
                  columns={[
                    { key: 'code', dataIndex: 'code', title: t('field.warehouse'), render: (v: string, w) => `${v} · ${w.name}` },
                    { key: 'skus', dataIndex: 'skus', title: 'SKU' },
                    { key: 'onHand', dataIndex: 'onHand', title: t('dashboard.onHand'), render: formatNumber },
                    ...(d.stockValue === null ? [] : [{ key: 'value', dataIndex: 'value', title: t('dashboard.value'), render: (v: number) => formatNumber(v) }]),
                  ]} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('dashboard.trend')}>
                <EChart option={trend} label={t('dashboard.trend')} testId="chart-trend" />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('dashboard.orders')}>
                {Object.keys(d.salesOrders).length + Object.keys(d.purchaseOrders).length === 0 ? <Empty /> : <EChart option={orders} label={t('dashboard.orders')} testId="chart-orders" />}
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('dashboard.lowStock')}>
                <Table size="small" rowKey="sku" pagination={false} dataSource={d.lowStock} data-testid="table-low-stock"
                  columns={[
                    { key: 'sku', dataIndex: 'sku', title: 'SKU', render: (v: string) => <Link to={`/stock?sku=${encodeURIComponent(v)}`}>{v}</Link> },
                    { key: 'name', dataIndex: 'name', title: t('field.name') },
                    { key: 'available', dataIndex: 'available', title: t('field.available'),
                      render: (v: number, r) => r.critical ? <Typography.Text type="danger" title={t('dashboard.critical')}>{formatNumber(v)}</Typography.Text> : formatNumber(v) },
                    { key: 'reorderPoint', dataIndex: 'reorderPoint', title: t('field.reorderPoint'), render: (v?: number | null) => (v === null || v === undefined ? '—' : formatNumber(v)) },
                    { key: 'suggestedQuantity', dataIndex: 'suggestedQuantity', title: t('dashboard.suggestedQuantity'), render: (v?: number | null) => (v === null || v === undefined ? '—' : formatNumber(v)) },
                  ]} />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card title={t('dashboard.expiring')}>
                <Table size="small" rowKey={(r) => `${r.sku}/${r.warehouse}/${r.lot}`} pagination={false} dataSource={d.expiring} data-testid="table-expiring"
                  columns={[
                    { key: 'sku', dataIndex: 'sku', title: 'SKU', render: (v: string) => <Link to={`/stock?sku=${encodeURIComponent(v)}`}>{v}</Link> },
                    { key: 'lot', dataIndex: 'lot', title: t('field.lot') },
                    { key: 'expiresOn', dataIndex: 'expiresOn', title: t('dashboard.expiresOn') },
                    { key: 'onHand', dataIndex: 'onHand', title: t('field.onHand'), render: formatNumber },
                  ]} />
              </Card>
            </Col>
          </Row>
        )}
      </QueryState>
    </div>
  );
}
