import { lazy, Suspense, useMemo } from 'react';
import { Badge, Button, Dropdown, Layout, Menu, Space, Tooltip } from 'antd';
import {
  AppstoreOutlined, BankOutlined, DashboardOutlined, DatabaseOutlined, FileTextOutlined, LogoutOutlined, MobileOutlined, ShoppingCartOutlined, TeamOutlined, UserOutlined,
} from '@ant-design/icons';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { CompanySwitch } from '../auth/CompanySwitch';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { WarehouseSelect } from '../components/pickers';
import { PageLoading } from '../components/PageLoading';
import { LiveProvider, useLive } from '../live/LiveProvider';
import { DOCUMENT_TYPES } from '../documents/config';
import { useAdminMenu } from '../admin/adminMenu';

// Each screen is its own chunk: the first paint loads only the shell and the screen shown.
const DashboardPage = lazy(() => import('../pages/DashboardPage'));
const ItemsPage = lazy(() => import('../pages/ItemsPage'));
const ItemDetailPage = lazy(() => import('../pages/ItemDetailPage'));
const WarehousesPage = lazy(() => import('../pages/WarehousesPage'));
const WarehouseDetailPage = lazy(() => import('../pages/WarehouseDetailPage'));
const PartnersPage = lazy(() => import('../pages/PartnersPage'));
const PickWavesPage = lazy(() => import('../documents/PickWavesPage'));
const StockPage = lazy(() => import('../pages/StockPage'));
const DocumentListPage = lazy(() => import('../documents/DocumentListPage'));
const DocumentDetailPage = lazy(() => import('../documents/DocumentDetailPage'));
const DocumentCreatePage = lazy(() => import('../documents/DocumentCreatePage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage'));
const AdminRoutes = lazy(() => import('../admin/AdminRoutes'));

function LiveBadge() {
  const { t } = useI18n();
  const { status } = useLive();
  return (
    <Tooltip title={status === 'open' ? t('header.live') : t('header.offline')}>
      <span data-testid="live-status" data-status={status} aria-label={status === 'open' ? t('header.live') : t('header.offline')}>
        <Badge status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'default'} text={status === 'open' ? t('header.live') : t('header.offline')} />
      </span>
    </Tooltip>
  );
}

function Shell() {
  const { t } = useI18n();
  const { user, sessions, warehouse, setWarehouse, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const selected = '/' + (location.pathname.split('/').slice(1, location.pathname.startsWith('/documents/') || location.pathname.startsWith('/admin/') ? 3 : 2).join('/'));

  const adminMenu = useAdminMenu();
  const menu = useMemo(
    () => [
      { key: '/', icon: <DashboardOutlined />, label: t('nav.dashboard') },
      { key: '/stock', icon: <DatabaseOutlined />, label: t('nav.stock') },
      {
        key: 'documents', icon: <FileTextOutlined />, label: t('nav.documents'),
        children: DOCUMENT_TYPES.map((d) => ({ key: `/documents/${d.key}`, label: t(`doc.${d.key}`) })),
      },
      {
        key: 'master', icon: <AppstoreOutlined />, label: t('nav.masterData'),
        children: [
          { key: '/items', icon: <AppstoreOutlined />, label: t('nav.items') },
          { key: '/warehouses', icon: <BankOutlined />, label: t('nav.warehouses') },
          { key: '/partners', icon: <TeamOutlined />, label: t('nav.partners') },
        ],
      },
      { key: '/picking', icon: <ShoppingCartOutlined />, label: t('nav.picking') },
      { key: '/m', icon: <MobileOutlined />, label: t('nav.mobile') },
      adminMenu,
    ],
    [t, adminMenu],
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#main" className="skip-link" style={{ position: 'absolute', left: -9999, top: 8, zIndex: 1000, padding: '4px 12px', background: '#fff', border: '2px solid #0958d9', borderRadius: 4 }} onFocus={(e) => (e.currentTarget.style.left = '8px')} onBlur={(e) => (e.currentTarget.style.left = '-9999px')}>
        {t('app.skipToContent')}
      </a>
      <Layout.Sider breakpoint="lg" collapsedWidth={56} width={220} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden' }}>{t('app.name')}</div>
        <nav aria-label={t('nav.main')}>
          <Menu mode="inline" items={menu} selectedKeys={[selected]} defaultOpenKeys={['documents', 'master']} onClick={({ key }) => navigate(key)} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0', gap: 12 }}>
          <Space size="middle" wrap>
            <CompanySwitch />
            <WarehouseSelect allowAll value={warehouse} onChange={(v) => setWarehouse(v || undefined)} aria-label={t('header.warehouse')} style={{ width: 200 }} />
          </Space>
          <Space size="middle">
            <LiveBadge />
            <LanguageSwitch />
            <Dropdown menu={{ items: [{ key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{sessions.length > 1 ? t('header.logoutCompany', { name: user?.companyName ?? '' }) : t('header.logout')}</span>, onClick: () => void logout() }] }}>
              <Button icon={<UserOutlined />} data-testid="user-menu">{user?.username}</Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 16, outline: 'none' }}>
          <Suspense fallback={<PageLoading />}>
            <Routes>
              <Route index element={<DashboardPage />} />
              <Route path="stock" element={<StockPage />} />
              <Route path="items" element={<ItemsPage />} />
              <Route path="items/:id" element={<ItemDetailPage />} />
              <Route path="warehouses" element={<WarehousesPage />} />
              <Route path="warehouses/:id" element={<WarehouseDetailPage />} />
              <Route path="partners" element={<PartnersPage />} />
              <Route path="picking" element={<PickWavesPage />} />
              <Route path="picking/:id" element={<PickWavesPage />} />
              <Route path="documents/:type" element={<DocumentListPage />} />
              <Route path="documents/:type/new" element={<DocumentCreatePage />} />
              <Route path="documents/:type/:id" element={<DocumentDetailPage />} />
              <Route path="admin/*" element={<AdminRoutes />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export default function DesktopApp() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}
