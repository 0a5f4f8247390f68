/**
 * On-hand stock under a create form (config `create.stock`): what lies where the document takes
 * stock from (the Rejected location for a supplier return, the scrap's location, the bins of an
 * internal transfer). "Add" turns a row into a line: item, lot, quantity and, for an internal
 * transfer, the line's from location.
 */
import { Button, Form, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { FormInstance } from 'antd';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { formatNumber, renderValue } from '../components/values';
import type { StockRow } from '../components/stock';
import type { StockSource } from './config';
import { useStockRows, useWarehouseLocations } from './fields';

const AVAILABLE = ['stock', 'zone', 'bin'];

export function StockPanel({ form, source }: { form: FormInstance; source: StockSource }) {
  const { t } = useI18n();
  const warehouse = Form.useWatch('warehouse', form) as string | undefined;
  const headerLocation = Form.useWatch(source.locationField ?? '-', form) as string | undefined;
  const { locations, stockLocation } = useWarehouseLocations(warehouse);
  const stock = useStockRows(warehouse);
  if (!warehouse) return null;

  const kindOf = new Map(locations.map((l) => [l.code, l.kind]));
  const onlyAt = source.locationField ? headerLocation || stockLocation : undefined;
  const rows = (stock.data?.items ?? []).filter((r) => (onlyAt ? r.location === onlyAt : source.kinds.includes(kindOf.get(r.location) ?? '')));
  // What may leave: the available quantity where stock can be reserved; everything in Rejected or Input.
  const movable = (r: StockRow) => (AVAILABLE.includes(kindOf.get(r.location) ?? '') ? r.available : r.onHand);

  const add = (r: StockRow) => {
    const lines = ((form.getFieldValue('lines') as Array<Record<string, unknown>> | undefined) ?? []).filter((l) => l && l[source.itemField]);
    const line: Record<string, unknown> = { [source.itemField]: r.sku, quantity: movable(r) };
    if (r.lot) line.lot = r.lot;
    if (source.lineLocationField) line[source.lineLocationField] = r.location;
    form.setFieldValue('lines', [...lines, line]);
  };

  return (
    <section aria-labelledby="stock-panel-title" data-testid="stock-panel" style={{ marginBottom: 16 }}>
      <Typography.Title level={2} id="stock-panel-title" style={{ fontSize: 16 }}>
        {onlyAt ? t('create.stockAt', { location: onlyAt }) : t('create.stockIn', { kinds: source.kinds.map((k) => t(`locationKind.${k}`)).join(' / ') })}
      </Typography.Title>
      <QueryState isLoading={stock.isLoading} error={stock.error} refetch={() => void stock.refetch()} isEmpty={rows.length === 0} emptyText={t('create.noStockHere')}>
        <Table<StockRow>
          size="small"
          rowKey={(r) => `${r.location}|${r.sku}|${r.lot ?? ''}`}
          dataSource={rows}
          pagination={rows.length > 10 ? { pageSize: 10 } : false}
          scroll={{ x: true }}
          columns={[
            { key: 'location', dataIndex: 'location', title: t('field.location') },
            { key: 'sku', dataIndex: 'sku', title: t('field.sku') },
            { key: 'lot', dataIndex: 'lot', title: t('field.lot'), render: (v: string | null) => renderValue('lot', v) },
            { key: 'expiresOn', dataIndex: 'expiresOn', title: t('field.expiresOn'), render: (v: string | null) => renderValue('expiresOn', v) },
            { key: 'onHand', dataIndex: 'onHand', title: t('field.onHand'), align: 'right', render: formatNumber },
            { key: 'movable', title: t('create.movable'), align: 'right', render: (_: unknown, r) => formatNumber(movable(r)) },
            {
              key: 'add', title: t('common.actions'),
              render: (_: unknown, r) => (
                <Button size="small" icon={<PlusOutlined />} disabled={movable(r) <= 0} onClick={() => add(r)}
                  aria-label={t('create.addFromStock', { sku: r.sku, location: r.location })} data-testid="stock-add">
                  {t('create.toLine')}
                </Button>
              ),
            },
          ]}
        />
      </QueryState>
    </section>
  );
}
