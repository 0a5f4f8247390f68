import { useState } from 'react';
import { Alert, AutoComplete, Button, Card, Checkbox, Form, Input, Space, Typography } from 'antd';
import { LockOutlined, UserOutlined, BankOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';

interface LoginForm {
  username: string;
  password: string;
  company?: string;
  remember?: boolean;
}

/** Where the company selector's "sign in to another company" comes from. */
interface LoginState {
  from?: string;
  addCompany?: boolean;
  username?: string;
}

export default function LoginPage() {
  const { t } = useI18n();
  const { session, login, knownCompanies, ended } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const state = (location.state as LoginState | null) ?? {};
  const from = state.from ?? '/';
  // Signed in already: only "another company" shows the form (the others stay signed in).
  const adding = Boolean(state.addCompany && session);
  const [initialValues] = useState<Partial<LoginForm>>(() =>
    adding
      ? { username: state.username, company: '' }
      : ended
        ? { username: ended.username, company: ended.company }
        : { company: knownCompanies[0]?.code ?? 'default' },
  );
  if (session && !adding) return <Navigate to={from} replace />;

  const onFinish = async (values: LoginForm) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values);
      navigate(from, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('login.failed') : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // Companies signed into before in this browser; the API never lists them (docs/security.md).
  const companyOptions = knownCompanies.map((k) => ({
    value: k.code,
    label: k.name && k.name !== k.code ? `${k.name} (${k.code})` : k.code,
  }));

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('app.name')}</Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Title level={2} style={{ fontSize: 16, marginTop: 0 }}>{adding ? t('login.addTitle') : t('login.title')}</Typography.Title>
        {!session && ended && <Alert type="warning" title={t('company.sessionEnded', { name: ended.companyName ?? ended.company })} showIcon style={{ marginBottom: 16 }} data-testid="session-ended" />}
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" />}
        <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} initialValues={initialValues} requiredMark={false} name="login">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus={!adding} />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="company" label={t('login.company')} extra={adding ? t('login.companyHint') : undefined}>
            <AutoComplete
              prefix={<BankOutlined />}
              options={companyOptions}
              placeholder={t('login.companyPlaceholder')}
              autoFocus={adding}
              showSearch={{
                filterOption: (input, option) => {
                  const q = input.trim().toLowerCase();
                  return !q || String(option?.value ?? '').toLowerCase().includes(q) || String(option?.label ?? '').toLowerCase().includes(q);
                },
              }}
              onSelect={(code: string) => {
                // The name last used there, unless one is typed already.
                const known = knownCompanies.find((k) => k.code === code);
                if (known?.username && !form.getFieldValue('username')) form.setFieldValue('username', known.username);
              }}
            />
          </Form.Item>
          <Form.Item name="remember" valuePropName="checked">
            <Checkbox>{t('login.remember')}</Checkbox>
          </Form.Item>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('login.submit')}</Button>
            {adding && <Button block onClick={() => navigate(from)} data-testid="login-cancel">{t('common.cancel')}</Button>}
          </Space>
        </Form>
      </Card>
    </main>
  );
}
