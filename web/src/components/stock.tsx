import { useState } from 'react';
import { Button, Drawer, Table, Typography } from 'antd';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from './QueryState';
import { formatNumber, renderValue } from './values';
import { documentLink } from '../documents/config';

export interface StockRow { sku: string; warehouse: string; location: string; lot: string | null; expiresOn: string | null; onHand: number; reserved: number; available: number }
export interface SummaryRow { sku: string; warehouse: string; onHand: number; reserved: number; available: number; unavailable: number; incoming: number; nextIncomingOn: string | null }
export interface MoveRow { id: number; sku: string; from: string; to: string; quantity: number; lot: string | null; document: string; documentType: string; documentId: number; unitCost: number | null; value: number | null; postedAt: string }

export interface DrillTarget { sku: string; warehouse?: string; location?: string; lot?: string | null }

const num = (v: number) => formatNumber(v);

/** Per item and warehouse: on hand, reserved, available, incoming. A click shows the moves behind it. */
export function StockSummaryTable({ sku, warehouse, onDrill }: { sku?: string; warehouse?: string; onDrill(target: DrillTarget): void }) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['/stock/summary', sku, warehouse], queryFn: () => api.get<{ items: SummaryRow[] }>('/stock/summary', { sku, warehouse }) });
  const drill = (r: SummaryRow) => (v: number) => <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onDrill({ sku: r.sku, warehouse: r.warehouse })}>{num(v)}</Button>;
  return (
    <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
      <Table<SummaryRow> size="small" rowKey={(r) => `${r.sku}/${r.warehouse}`} dataSource={query.data?.items ?? []} data-testid="stock-summary" scroll={{ x: true }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { key: 'sku', dataIndex: 'sku', title: t('field.sku'), sorter: (a, b) => a.sku.localeCompare(b.sku) },
          { key: 'warehouse', dataIndex: 'warehouse', title: t('field.warehouse') },
          { key: 'onHand', dataIndex: 'onHand', title: t('field.onHand'), align: 'right', render: (v: number, r) => drill(r)(v), sorter: (a, b) => a.onHand - b.onHand },
          { key: 'reserved', dataIndex: 'reserved', title: t('field.reserved'), align: 'right', render: num },
          { key: 'available', dataIndex: 'available', title: t('field.available'), align: 'right', render: num, sorter: (a, b) => a.available - b.available },
          { key: 'unavailable', dataIndex: 'unavailable', title: t('field.unavailable'), align: 'right', render: num },
          { key: 'incoming', dataIndex: 'incoming', title: t('field.incoming'), align: 'right', render: num },
          { key: 'nextIncomingOn', dataIndex: 'nextIncomingOn', title: t('field.nextIncomingOn'), render: (v: string | null) => renderValue('nextIncomingOn', v) },
        ]} />
    </QueryState>
  );
}

/** Per location (bin) and lot. */
export function StockDetailTable({ sku, warehouse, onDrill }: { sku?: string; warehouse?: string; onDrill(target: DrillTarget): void }) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['/stock', sku, warehouse], queryFn: () => api.get<{ items: StockRow[] }>('/stock', { sku, warehouse, nonZero: true }) });
  return (
    <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
      <Table<StockRow> size="small" rowKey={(r) => `${r.sku}/${r.location}/${r.lot ?? ''}`} dataSource={query.data?.items ?? []} data-testid="stock-detail" scroll={{ x: true }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { key: 'sku', dataIndex: 'sku', title: t('field.sku') },
          { key: 'warehouse', dataIndex: 'warehouse', title: t('field.warehouse') },
          { key: 'location', dataIndex: 'location', title: t('field.location') },
          { key: 'lot', dataIndex: 'lot', title: t('field.lot'), render: (v: string | null) => renderValue('lot', v) },
          { key: 'expiresOn', dataIndex: 'expiresOn', title: t('field.expiresOn'), render: (v: string | null) => renderValue('expiresOn', v) },
          {
            key: 'onHand', dataIndex: 'onHand', title: t('field.onHand'), align: 'right',
            render: (v: number, r) => <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onDrill({ sku: r.sku, warehouse: r.warehouse, location: r.location, lot: r.lot })}>{num(v)}</Button>,
          },
          { key: 'reserved', dataIndex: 'reserved', title: t('field.reserved'), align: 'right', render: num },
          { key: 'available', dataIndex: 'available', title: t('field.available'), align: 'right', render: num },
        ]} />
    </QueryState>
  );
}

/**
 * The moves of an item, optionally narrowed to a warehouse, location (exactly that one: the moves
 * behind its balance) and lot; each links to its document. The server filters, so every page of
 * the cursor holds only matching moves (filtering in the browser would show partial pages).
 */
export function MovesTable({ target }: { target: DrillTarget }) {
  const { t } = useI18n();
  const filters = { sku: target.sku, warehouse: target.warehouse, location: target.location, lot: target.lot ?? undefined };
  const query = useInfiniteQuery({
    queryKey: ['/moves', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<Page<MoveRow>>('/moves', { ...filters, after: pageParam, limit: 500 }),
    getNextPageParam: (last) => last.next,
  });
  const rows = (query.data?.pages.flatMap((p) => p.items) ?? []).reverse();
  return (
    <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
      <Table<MoveRow> size="small" rowKey="id" dataSource={rows} data-testid="moves-table" scroll={{ x: true }} pagination={{ pageSize: 25, hideOnSinglePage: true }}
        columns={[
          { key: 'postedAt', dataIndex: 'postedAt', title: t('field.postedAt'), render: (v: string) => renderValue('postedAt', v) },
          { key: 'document', dataIndex: 'document', title: t('field.document'), render: (v: string, r) => { const to = documentLink(r.documentType, r.documentId); return to ? <Link to={to}>{v}</Link> : v; } },
          { key: 'from', dataIndex: 'from', title: t('field.from') },
          { key: 'to', dataIndex: 'to', title: t('field.to') },
          { key: 'lot', dataIndex: 'lot', title: t('field.lot'), render: (v: string | null) => renderValue('lot', v) },
          { key: 'quantity', dataIndex: 'quantity', title: t('field.quantity'), align: 'right', render: num },
          { key: 'value', dataIndex: 'value', title: t('field.value'), align: 'right', render: (v: number | null) => renderValue('value', v) },
        ]} />
      {query.hasNextPage && <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>{t('common.loadMore')}</Button>}
    </QueryState>
  );
}

export function MovesDrawer({ target, onClose }: { target?: DrillTarget; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Drawer open={Boolean(target)} onClose={onClose} size={900} destroyOnHidden
      title={target ? (target.location ? t('stock.movesBehind', { sku: target.sku, location: target.location }) : t('stock.movesOf', { sku: target.sku }) + (target.warehouse ? ` · ${target.warehouse}` : '')) : ''}>
      {target && <MovesTable target={target} />}
    </Drawer>
  );
}

export function useDrill() {
  const [target, setTarget] = useState<DrillTarget>();
  return { target, open: setTarget, close: () => setTarget(undefined) };
}

export function SectionTitle({ children }: { children: React.ReactNode }) {
  return <Typography.Title level={2} style={{ fontSize: 16 }}>{children}</Typography.Title>;
}
