/**
 * The phone layout (/m/*): big targets, one scan field per screen, for the warehouse floor —
 * receive, put away, pick, count, look up — plus the queue of scans not yet sent.
 */
import './i18n';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Badge, Button, Select, Tag } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { CompanySwitch } from '../auth/CompanySwitch';
import { useI18n } from '../i18n';
import { useOnline, useQueuedCommands } from '../scan/useScanQueue';
import type { Warehouse } from './data';

const CountList = lazy(() => import('./CountScreen').then((m) => ({ default: m.CountList })));
const CountScreen = lazy(() => import('./CountScreen').then((m) => ({ default: m.CountScreen })));
const LookupScreen = lazy(() => import('./LookupScreen'));
const ReceiveList = lazy(() => import('./ReceiveScreen').then((m) => ({ default: m.ReceiveList })));
const ReceiveScreen = lazy(() => import('./ReceiveScreen').then((m) => ({ default: m.ReceiveScreen })));
const PutAwayScreen = lazy(() => import('./PutAwayScreen'));
const PickScreen = lazy(() => import('./PickScreen'));
const QueueScreen = lazy(() => import('./QueueScreen'));

const TILES: Array<{ to: string; key: string; icon: string }> = [
  { to: 'receive', key: 'm.receive', icon: '📦' },
  { to: 'putaway', key: 'm.putaway', icon: '🗄️' },
  { to: 'pick', key: 'm.pick', icon: '🛒' },
  { to: 'count', key: 'm.count', icon: '🔢' },
  { to: 'lookup', key: 'm.lookup', icon: '🔍' },
];

function WarehousePicker() {
  const { t } = useI18n();
  const { warehouse, setWarehouse } = useAuth();
  const { data } = useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<{ items: Warehouse[] }>('/warehouses') });
  const items = data?.items ?? [];
  return (
    <Select
      data-testid="warehouse-select"
      aria-label={t('m.warehouse')}
      style={{ minWidth: 120 }}
      placeholder={t('m.chooseWarehouse')}
      value={warehouse}
      onChange={(v) => setWarehouse(v)}
      options={items.map((w) => ({ value: w.code, label: `${w.code} ${w.name}` }))}
    />
  );
}

function Home() {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  return (
    <div>
      <div style={{ marginBottom: 16, display: 'flex', alignItems: 'center', gap: 8 }}>
        <span>{t('m.warehouse')}</span>
        <WarehousePicker />
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
        {TILES.map((tile) => (
          <Link key={tile.to} to={tile.to} data-testid={`tile-${tile.to}`} aria-disabled={!warehouse && tile.to !== 'lookup'}
            style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', height: 96, borderRadius: 12, background: '#fff', border: '1px solid #e5e5e5', fontSize: 18, color: '#1f1f1f' }}>
            <span style={{ fontSize: 28 }} aria-hidden>{tile.icon}</span>
            {t(tile.key)}
          </Link>
        ))}
      </div>
      <p style={{ marginTop: 24, textAlign: 'center' }}><Link to="/">{t('m.desktop')}</Link></p>
    </div>
  );
}

/** Screens that work in one warehouse ask for it first. */
export function NeedsWarehouse({ children }: { children: (warehouse: string) => ReactNode }) {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  if (!warehouse) {
    return (
      <div style={{ display: 'flex', flexDirection: 'column', gap: 8, alignItems: 'flex-start' }}>
        <span>{t('m.chooseWarehouse')}</span>
        <WarehousePicker />
      </div>
    );
  }
  return <>{children(warehouse)}</>;
}

function TopBar() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const online = useOnline();
  const commands = useQueuedCommands();
  const { warehouse } = useAuth();
  const pending = commands.filter((c) => c.state === 'pending').length;
  const failed = commands.filter((c) => c.state === 'failed').length;
  const atHome = /^\/m\/?$/.test(location.pathname);
  return (
    <header style={{ position: 'sticky', top: 0, zIndex: 10, display: 'flex', alignItems: 'center', gap: 8, padding: '8px 12px', background: '#0958d9', color: '#fff' }}>
      {!atHome && <Button type="text" aria-label={t('m.back')} icon={<ArrowLeftOutlined style={{ color: '#fff' }} />} onClick={() => navigate(-1)} />}
      <h1 style={{ margin: 0, fontSize: 17, fontWeight: 600, flex: 1 }}><Link to="/m" style={{ color: '#fff' }}>{t('m.title')}{warehouse ? ` · ${warehouse}` : ''}</Link></h1>
      <CompanySwitch variant="phone" />
      {!online && <Tag color="orange" data-testid="offline-tag">{t('header.offline')}</Tag>}
      <Link to="/m/queue" data-testid="queue-link" aria-label={t('m.queue')}>
        {/* Red-7 and orange-8: white digits at 4.5:1 or more. */}
        <Badge count={pending + failed} color={failed ? '#cf1322' : '#ad4e00'} showZero={false}>
          <span style={{ color: '#fff', fontSize: 20, padding: 4 }} aria-hidden>⇅</span>
        </Badge>
      </Link>
    </header>
  );
}

export default function MobileApp() {
  const online = useOnline();
  const { t } = useI18n();
  return (
    <div className="ck-mobile" style={{ minHeight: '100dvh', background: '#f5f5f5', maxWidth: 640, margin: '0 auto' }}>
      <TopBar />
      {!online && <div data-testid="offline-banner" style={{ background: '#fffbe6', color: '#874d00', padding: '6px 12px', fontSize: 14 }}>{t('m.offline')}</div>}
      <main style={{ padding: 12 }}>
        <Suspense fallback={<div role="status" style={{ textAlign: 'center', padding: 32 }}>{t('m.loading')}</div>}>
          <Routes>
            <Route index element={<Home />} />
            <Route path="count" element={<NeedsWarehouse>{(wh) => <CountList warehouse={wh} />}</NeedsWarehouse>} />
            <Route path="count/:id" element={<CountScreen />} />
            <Route path="lookup" element={<LookupScreen />} />
            <Route path="receive" element={<NeedsWarehouse>{(wh) => <ReceiveList warehouse={wh} />}</NeedsWarehouse>} />
            <Route path="receive/:id" element={<ReceiveScreen />} />
            <Route path="putaway" element={<NeedsWarehouse>{(wh) => <PutAwayScreen warehouse={wh} />}</NeedsWarehouse>} />
            <Route path="pick" element={<NeedsWarehouse>{(wh) => <PickScreen warehouse={wh} />}</NeedsWarehouse>} />
            <Route path="queue" element={<QueueScreen />} />
            <Route path="*" element={<Home />} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
