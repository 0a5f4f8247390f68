import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { renderValue } from '../components/values';
import { ShownOnce } from './shared';
import { useMe } from './me';
import { useAuth } from '../auth/AuthContext';

interface Token { id: number; kind: 'session' | 'api'; name: string | null; createdAt: string; expiresAt: string; lastUsedAt: string | null; current: boolean }

function ChangePassword({ forced }: { forced?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { user } = useAuth();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api.post('/auth/change-password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      message.success(t('adm.account.changed'));
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['/auth/me'] });
      await queryClient.invalidateQueries({ queryKey: ['/auth/tokens'] });
      if (forced) navigate('/', { replace: true });
    },
    onError: (e) => setError(applyApiError(form, e, ['currentPassword', 'newPassword'])),
  });
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('adm.account.changePassword')}</Typography.Title>} style={{ marginBottom: 16 }}>
      {forced && <Alert type="warning" showIcon role="alert" title={t('adm.account.mustChange')} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="password" style={{ maxWidth: 420 }} onFinish={(v) => { setError(undefined); change.mutate(v); }}>
        {/* Tells password managers whose password this is; never shown. */}
        <input type="text" name="username" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
        <Form.Item name="currentPassword" label={t('adm.account.current')} rules={[{ required: true }]}><Input.Password autoComplete="current-password" /></Form.Item>
        <Form.Item name="newPassword" label={t('adm.account.new')} rules={[{ required: true, min: 8, message: t('adm.users.passwordHint') }]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Form.Item name="confirm" label={t('adm.account.confirm')} dependencies={['newPassword']}
          rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('adm.account.mismatch')))) })]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-save">{t('adm.account.changePassword')}</Button>
      </Form>
    </Card>
  );
}

function Tokens() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();
  const tokens = useQuery({ queryKey: ['/auth/tokens'], queryFn: () => api.get<{ items: Token[] }>('/auth/tokens').then((r) => r.items) });
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays?: number }) => api.post<Token & { token: string }>('/auth/tokens', { name: v.name, ...(v.expiresInDays ? { expiresInDays: v.expiresInDays } : {}) }),
    onSuccess: (r) => { setSecret(r.token); form.resetFields(); void queryClient.invalidateQueries({ queryKey: ['/auth/tokens'] }); },
    onError: (e) => setError(applyApiError(form, e, ['name', 'expiresInDays'])),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.delete(`/auth/tokens/${id}`),
    onSuccess: () => { message.success(t('adm.account.revoked')); void queryClient.invalidateQueries({ queryKey: ['/auth/tokens'] }); },
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('adm.account.tokens')}</Typography.Title>}>
      {secret && <ShownOnce label={t('adm.account.tokenCreated')} value={secret} testId="api-token" />}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="inline" name="token" style={{ marginBottom: 16 }} onFinish={(v) => { setError(undefined); setSecret(undefined); create.mutate(v); }}>
        <Form.Item name="name" label={t('adm.account.tokenName')} rules={[{ required: true }]}><Input style={{ width: 220 }} /></Form.Item>
        <Form.Item name="expiresInDays" label={t('adm.account.expiresInDays')}><InputNumber min={1} max={366} placeholder="90" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>{t('adm.account.createToken')}</Button>
      </Form>
      <QueryState isLoading={tokens.isLoading} error={tokens.error} isEmpty={(tokens.data ?? []).length === 0} refetch={() => void tokens.refetch()}>
        <Table<Token> rowKey="id" size="small" dataSource={tokens.data ?? []} pagination={false} scroll={{ x: true }}
          columns={[
            { key: 'kind', dataIndex: 'kind', title: t('adm.account.kind'), render: (v: string, r) => <Space><Tag>{t(`adm.account.kind.${v}`)}</Tag>{r.current && <Tag color="green">{t('adm.account.current.tag')}</Tag>}</Space> },
            { key: 'name', dataIndex: 'name', title: t('adm.account.tokenName'), render: (v: string | null) => v ?? '—' },
            { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), render: (v: string) => renderValue('createdAt', v) },
            { key: 'lastUsedAt', dataIndex: 'lastUsedAt', title: t('adm.account.lastUsed'), render: (v: string | null) => renderValue('lastUsedAt', v) },
            { key: 'expiresAt', dataIndex: 'expiresAt', title: t('adm.account.expires'), render: (v: string) => renderValue('expiresAt', v) },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (r.current ? null : (
                <Popconfirm title={t('adm.account.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}>
                  <Button size="small" danger>{t('adm.account.revoke')}</Button>
                </Popconfirm>
              )),
            },
          ]} />
      </QueryState>
    </Card>
  );
}

export default function AccountPage({ forced }: { forced?: boolean }) {
  const { t } = useI18n();
  const { me } = useMe();
  return (
    <div data-testid="account-page">
      <Typography.Title level={1} style={{ fontSize: 20 }}>{t('adm.account.title')}{me ? ` · ${me.username} (${me.role})` : ''}</Typography.Title>
      <ChangePassword forced={forced || me?.mustChangePassword} />
      {!me?.mustChangePassword && <Tokens />}
    </div>
  );
}
