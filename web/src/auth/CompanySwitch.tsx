/**
 * The header's company selector: the companies this browser is signed into (by name), a switch
 * without logging in again, and "sign in to another company". Desktop and phone headers.
 */
import { useEffect } from 'react';
import { App, Button, Dropdown, type MenuProps } from 'antd';
import { BankOutlined, CheckOutlined, DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';
import { sectionPath, useAuth } from './AuthContext';

let announced: string | undefined;

export function CompanySwitch({ variant = 'desktop' }: { variant?: 'desktop' | 'phone' }) {
  const { t } = useI18n();
  const { session, sessions, switchCompany, ended, clearEnded } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();

  // A company whose session expired or was revoked has left the list: say so once (this
  // component remounts on the switch that follows, hence the module-level memory).
  useEffect(() => {
    if (!ended || !session || announced === ended.token) return;
    announced = ended.token;
    void message.warning(t('company.sessionEnded', { name: ended.companyName ?? ended.company }));
    clearEnded();
  }, [ended, session, message, t, clearEnded]);

  if (!session) return null;
  const name = session.companyName ?? session.company;
  const items: MenuProps['items'] = [
    ...sessions.map((s) => ({
      key: `company:${s.company}`,
      icon: s.company === session.company ? <CheckOutlined aria-hidden /> : <span style={{ display: 'inline-block', width: 14 }} aria-hidden />,
      label: (
        <span data-testid={`company-option-${s.company}`} aria-current={s.company === session.company ? 'true' : undefined}>
          {s.companyName ?? s.company} <span style={{ color: '#666' }}>· {s.username}</span>
        </span>
      ),
    })),
    { type: 'divider' as const },
    { key: 'add', icon: <PlusOutlined />, label: <span data-testid="company-add">{t('company.signInAnother')}</span> },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'add') {
      navigate('/login', { state: { addCompany: true, username: session.username, from: sectionPath(location.pathname) } });
      return;
    }
    switchCompany(key.slice('company:'.length));
  };
  const label = `${t('header.company')}: ${name}`;
  return (
    <Dropdown menu={{ items, onClick, selectable: false }} trigger={['click']}>
      {variant === 'phone' ? (
        <Button type="text" data-testid="company-switch" aria-label={label} title={label}
          style={{ color: '#fff', maxWidth: 140, paddingInline: 6, display: 'inline-flex', alignItems: 'center', gap: 4 }}>
          <BankOutlined aria-hidden />
          <span data-testid="company" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{name}</span>
          <DownOutlined aria-hidden style={{ fontSize: 10 }} />
        </Button>
      ) : (
        <Button data-testid="company-switch" aria-label={label} title={label} icon={<BankOutlined aria-hidden />}>
          <span data-testid="company" style={{ maxWidth: 200, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{name}</span>
          <DownOutlined aria-hidden style={{ fontSize: 10 }} />
        </Button>
      )}
    </Dropdown>
  );
}
