import { Card, Input, Space, Tabs, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { MovesDrawer, StockDetailTable, StockSummaryTable, useDrill } from '../components/stock';

/** Stock per item and warehouse, per bin and lot; every number opens the moves behind it. */
export default function StockPage() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const [params, setParams] = useSearchParams();
  const sku = params.get('sku') || undefined;
  const drill = useDrill();
  return (
    <Card title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('stock.title')}</Typography.Title>}
      extra={<Space><Input.Search allowClear defaultValue={sku} placeholder={t('stock.skuFilter')} aria-label={t('stock.skuFilter')} style={{ width: 220 }}
        onSearch={(v) => setParams(v.trim() ? { sku: v.trim() } : {})} /></Space>}>
      <Tabs items={[
        { key: 'summary', label: t('stock.summary'), children: <StockSummaryTable sku={sku} warehouse={warehouse} onDrill={drill.open} /> },
        { key: 'detail', label: t('stock.detail'), children: <StockDetailTable sku={sku} warehouse={warehouse} onDrill={drill.open} /> },
      ]} />
      <MovesDrawer target={drill.target} onClose={drill.close} />
    </Card>
  );
}
