import { useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { renderValue } from '../components/values';
import { useWarehouses } from '../hooks/useMasterData';
import { AdminCard, RequireRight, ShownOnce, randomPassword } from './shared';
import { useMe } from './me';

export interface User {
  id: number; username: string; role: string; disabled: boolean; mustChangePassword: boolean; warehouses: string[] | null; createdAt: string; updatedAt: string | null;
}
export interface Role { name: string; builtIn: boolean; description: string | null; permissions: string[]; users: number }

export function useRoles() {
  return useQuery({ queryKey: ['/roles'], queryFn: () => api.get<{ items: Role[] }>('/roles').then((r) => r.items) });
}
export function useUsers(enabled = true) {
  return useQuery({ queryKey: ['/users'], queryFn: () => api.get<{ items: User[] }>('/users').then((r) => r.items), enabled });
}

function UserDrawer({ user, open, onClose }: { user?: User; open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [key] = useState(newIdempotencyKey);
  const roles = useRoles();
  const warehouses = useWarehouses();
  const scope = Form.useWatch('scope', form) as 'all' | 'some' | undefined;
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const scoped = v.scope === 'some' ? ((v.warehouses as string[] | undefined) ?? []) : null;
      if (user) return api.patch<User>(`/users/${user.id}`, { role: v.role, warehouses: scoped, disabled: Boolean(v.disabled) });
      return api.post<User>('/users', { username: String(v.username ?? '').trim(), password: v.password, role: v.role, warehouses: scoped, mustChangePassword: Boolean(v.mustChangePassword) }, { idempotencyKey: key });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['/users'] });
      onClose();
    },
    onError: (e) => setError(applyApiError(form, e, ['username', 'password', 'role', 'warehouses', 'disabled'])),
  });
  return (
    <Drawer open={open} onClose={onClose} title={user ? t('adm.users.edit', { name: user.username }) : t('adm.users.new')} size={460} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="user-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="user" preserve={false}
        initialValues={user ? { ...user, scope: user.warehouses === null ? 'all' : 'some', warehouses: user.warehouses ?? [] } : { role: 'viewer', scope: 'all', warehouses: [], mustChangePassword: true }}
        onFinish={(v) => { setError(undefined); save.mutate(v); }}>
        <Form.Item name="username" label={t('adm.users.username')} rules={[{ required: true }]}><Input disabled={Boolean(user)} autoComplete="off" /></Form.Item>
        {!user && (
          <Form.Item name="password" label={t('adm.users.password')} rules={[{ required: true, min: 8 }]} extra={t('adm.users.passwordHint')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {!user && <Form.Item name="mustChangePassword" label={t('adm.users.mustChange')} valuePropName="checked"><Switch /></Form.Item>}
        <Form.Item name="role" label={t('adm.users.role')} rules={[{ required: true }]}>
          <Select loading={roles.isLoading} showSearch options={(roles.data ?? []).map((r) => ({ value: r.name, label: r.builtIn ? `${t(`adm.role.${r.name}`)} (${r.name})` : r.name }))} />
        </Form.Item>
        <Form.Item name="scope" label={t('adm.users.scope')}>
          <Radio.Group options={[{ value: 'all', label: t('adm.users.allWarehouses') }, { value: 'some', label: t('adm.users.someWarehouses') }]} />
        </Form.Item>
        {scope === 'some' && (
          <Form.Item name="warehouses" label={t('adm.users.warehouses')} extra={t('adm.users.noneHint')}>
            <Select mode="multiple" loading={warehouses.isLoading} options={(warehouses.data ?? []).map((w) => ({ value: w.code, label: `${w.code} · ${w.name}` }))} />
          </Form.Item>
        )}
        {user && <Form.Item name="disabled" label={t('adm.users.disabled')} valuePropName="checked" extra={t('adm.users.disableHint')}><Switch /></Form.Item>}
      </Form>
    </Drawer>
  );
}

function ResetPassword({ user, onClose }: { user?: User; onClose(): void }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<string>();
  const reset = useMutation({
    mutationFn: (password: string) => api.post<User>(`/users/${user!.id}/reset-password`, { password }).then(() => password),
    onSuccess: setShown,
  });
  const close = () => { setShown(undefined); reset.reset(); onClose(); };
  return (
    <Modal open={Boolean(user)} title={t('adm.users.reset', { name: user?.username ?? '' })} onCancel={close} destroyOnHidden
      footer={shown ? <Button type="primary" onClick={close}>{t('common.close')}</Button> : undefined}
      okText={t('adm.users.resetConfirm')} okButtonProps={{ danger: true, loading: reset.isPending }} onOk={() => reset.mutate(randomPassword())}>
      {reset.error ? <Alert type="error" showIcon role="alert" title={describeError(reset.error)} style={{ marginBottom: 16 }} /> : null}
      {shown ? <ShownOnce label={t('adm.users.tempPassword')} value={shown} testId="temp-password" /> : <Typography.Paragraph>{t('adm.users.resetExplain')}</Typography.Paragraph>}
    </Modal>
  );
}

function UsersTable() {
  const { t } = useI18n();
  const { me } = useMe();
  const [role, setRole] = useState<string>();
  const [editing, setEditing] = useState<{ user?: User }>();
  const [resetting, setResetting] = useState<User>();
  const users = useUsers();
  const roles = useRoles();
  const rows = (users.data ?? []).filter((u) => !role || u.role === role);
  return (
    <AdminCard title={t('adm.users.title')} testId="users-page"
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="user-new">{t('adm.users.new')}</Button>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select allowClear placeholder={t('adm.users.role')} aria-label={t('adm.users.role')} style={{ width: 200 }} value={role} onChange={setRole}
          options={(roles.data ?? []).map((r) => ({ value: r.name, label: r.name }))} />
      </Space>
      <QueryState isLoading={users.isLoading} error={users.error} refetch={() => void users.refetch()}>
        <Table<User> rowKey="id" size="middle" dataSource={rows} loading={users.isFetching} pagination={{ pageSize: 50, hideOnSinglePage: true }} scroll={{ x: true }} data-testid="users-table"
          columns={[
            { key: 'username', dataIndex: 'username', title: t('adm.users.username'), render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setEditing({ user: r })}>{v}</Button> },
            { key: 'role', dataIndex: 'role', title: t('adm.users.role'), render: (v: string) => <Tag>{v}</Tag> },
            { key: 'warehouses', dataIndex: 'warehouses', title: t('adm.users.warehouses'), render: (v: string[] | null) => (v === null ? t('adm.users.allWarehouses') : v.length === 0 ? <Typography.Text type="secondary">{t('adm.users.none')}</Typography.Text> : v.map((c) => <Tag key={c}>{c}</Tag>)) },
            { key: 'disabled', dataIndex: 'disabled', title: t('adm.users.state'), render: (v: boolean, r) => (v ? <Tag color="red">{t('adm.users.disabled')}</Tag> : r.mustChangePassword ? <Tag color="gold">{t('adm.users.mustChange')}</Tag> : <Tag color="green">{t('adm.users.active')}</Tag>) },
            { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), render: (v: string) => renderValue('createdAt', v) },
            { key: 'updatedAt', dataIndex: 'updatedAt', title: t('adm.updatedAt'), render: (v: string | null) => renderValue('updatedAt', v) },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (
                <Space>
                  <Button size="small" onClick={() => setEditing({ user: r })}>{t('common.edit')}</Button>
                  <Button size="small" danger disabled={r.id === me?.userId} onClick={() => setResetting(r)}>{t('adm.users.resetShort')}</Button>
                </Space>
              ),
            },
          ]} />
      </QueryState>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('adm.users.lastLoginNote')}</Typography.Paragraph>
      <UserDrawer open={Boolean(editing)} user={editing?.user} onClose={() => setEditing(undefined)} />
      <ResetPassword user={resetting} onClose={() => setResetting(undefined)} />
    </AdminCard>
  );
}

export default function UsersPage() {
  return <RequireRight right="user.manage"><UsersTable /></RequireRight>;
}
