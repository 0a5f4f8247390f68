/**
 * The "系统管理 / Administration" menu group of the desktop shell: only the entries the user has
 * the right for (GET /auth/me). It also sends a user who must change their password (after a
 * reset) to /admin/change-password, since every other call answers 403 until they do.
 */
import { useEffect, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import {
  ApiOutlined, AuditOutlined, CheckSquareOutlined, ImportOutlined, NodeIndexOutlined, SafetyOutlined, SettingOutlined, UserOutlined, TeamOutlined,
} from '@ant-design/icons';
import { useI18n } from '../i18n';
import { useMe } from './me';
import './i18n';

const ENTRIES: Array<{ key: string; right?: string; icon: React.ReactNode; label: string }> = [
  { key: '/admin/approvals', right: 'approval.decide', icon: <CheckSquareOutlined />, label: 'adm.nav.approvals' },
  { key: '/admin/approval-flows', right: 'approval.manage', icon: <NodeIndexOutlined />, label: 'adm.nav.flows' },
  { key: '/admin/users', right: 'user.manage', icon: <TeamOutlined />, label: 'adm.nav.users' },
  { key: '/admin/roles', right: 'user.manage', icon: <SafetyOutlined />, label: 'adm.nav.roles' },
  { key: '/admin/audit', right: 'audit.view', icon: <AuditOutlined />, label: 'adm.nav.audit' },
  { key: '/admin/webhooks', right: 'webhook.manage', icon: <ApiOutlined />, label: 'adm.nav.webhooks' },
  { key: '/admin/import', right: 'import.run', icon: <ImportOutlined />, label: 'adm.nav.import' },
  { key: '/admin/account', icon: <UserOutlined />, label: 'adm.nav.account' },
];

/** The menu group (for antd Menu `items`), shaped by the user's rights. */
export function useAdminMenu() {
  const { t } = useI18n();
  const { me, can } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const mustChange = me?.mustChangePassword === true;
  useEffect(() => {
    if (mustChange && location.pathname !== '/admin/change-password') navigate('/admin/change-password', { replace: true });
  }, [mustChange, location.pathname, navigate]);
  const rights = (me?.permissions ?? []).join(',');
  return useMemo(() => ({
    key: 'admin', icon: <SettingOutlined />, label: t('adm.nav.group'),
    children: ENTRIES.filter((e) => !e.right || can(e.right)).map((e) => ({ key: e.key, icon: e.icon, label: t(e.label) })),
  }), [t, rights]); // eslint-disable-line react-hooks/exhaustive-deps
}

