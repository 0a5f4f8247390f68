import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Drawer, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { AdminCard, RequireRight } from './shared';
import { useRoles, type Role } from './UsersPage';

/** Rights grouped by what they are about (the part before the dot). */
function groupRights(all: string[]): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const r of all) {
    const g = r.split('.')[0]!;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  return [...groups.entries()];
}

function RoleDrawer({ role, rights, open, onClose }: { role?: Role; rights: string[]; open: boolean; onClose(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [key] = useState(newIdempotencyKey);
  const save = useMutation({
    mutationFn: (v: { name?: string; description?: string; permissions?: string[] }) => {
      const body = { description: v.description?.trim() || (role ? null : undefined), permissions: v.permissions ?? [] };
      if (role) return api.patch<Role>(`/roles/${encodeURIComponent(role.name)}`, body);
      return api.post<Role>('/roles', { name: String(v.name ?? '').trim(), ...body }, { idempotencyKey: key });
    },
    onSuccess: () => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: ['/roles'] });
      onClose();
    },
    onError: (e) => {
      // permissions.3 names one entry of the list: show it on the list.
      const fixed = e as { fieldErrors?: Array<{ field: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^permissions\.\d+$/, 'permissions');
      setError(applyApiError(form, e, ['name', 'description', 'permissions']));
    },
  });
  return (
    <Drawer open={open} onClose={onClose} title={role ? t('adm.roles.edit', { name: role.name }) : t('adm.roles.new')} size={560} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="role-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="role" preserve={false} initialValues={role ?? { permissions: [] }}
        onFinish={(v) => { setError(undefined); save.mutate(v); }}>
        <Form.Item name="name" label={t('adm.roles.name')} rules={[{ required: true }]}><Input disabled={Boolean(role)} /></Form.Item>
        <Form.Item name="description" label={t('adm.roles.description')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        <Form.Item name="permissions" label={t('adm.roles.permissions')}>
          <Checkbox.Group style={{ display: 'block' }}>
            {groupRights(rights).map(([group, list]) => (
              <fieldset key={group} style={{ border: 0, padding: 0, margin: '0 0 8px' }}>
                <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4 }}>{group}</legend>
                <Space wrap>{list.map((r) => <Checkbox key={r} value={r}>{locale === 'en' || t(`adm.right.${r}`) === `adm.right.${r}` ? r : `${t(`adm.right.${r}`)} (${r})`}</Checkbox>)}</Space>
              </fieldset>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function RolesTable() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const [editing, setEditing] = useState<{ role?: Role }>();
  // admin holds every right: its list is the catalogue of rights.
  const rights = useMemo(() => roles.data?.find((r) => r.name === 'admin')?.permissions ?? [], [roles.data]);
  const remove = useMutation({
    mutationFn: (name: string) => api.delete(`/roles/${encodeURIComponent(name)}`),
    onSuccess: () => { message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: ['/roles'] }); },
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <AdminCard title={t('adm.roles.title')} testId="roles-page"
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="role-new">{t('adm.roles.new')}</Button>}>
      <QueryState isLoading={roles.isLoading} error={roles.error} refetch={() => void roles.refetch()}>
        <Table<Role> rowKey="name" size="middle" dataSource={roles.data ?? []} pagination={false} scroll={{ x: true }}
          expandable={{ expandedRowRender: (r) => <Space wrap>{r.permissions.map((p) => <Tag key={p}>{p}</Tag>)}</Space> }}
          columns={[
            { key: 'name', dataIndex: 'name', title: t('adm.roles.name'), render: (v: string, r) => (r.builtIn ? `${t(`adm.role.${v}`)} (${v})` : v) },
            { key: 'builtIn', dataIndex: 'builtIn', title: t('adm.roles.kind'), render: (v: boolean) => (v ? <Tag>{t('adm.roles.builtIn')}</Tag> : <Tag color="blue">{t('adm.roles.custom')}</Tag>) },
            { key: 'description', dataIndex: 'description', title: t('adm.roles.description'), render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
            { key: 'permissions', dataIndex: 'permissions', title: t('adm.roles.permissions'), render: (v: string[]) => t('adm.roles.rightsCount', { n: v.length }) },
            { key: 'users', dataIndex: 'users', title: t('adm.roles.users') },
            {
              key: 'actions', title: t('common.actions'), render: (_: unknown, r) => (r.builtIn ? null : (
                <Space>
                  <Button size="small" onClick={() => setEditing({ role: r })}>{t('common.edit')}</Button>
                  <Popconfirm title={t('adm.roles.deleteConfirm', { name: r.name })} onConfirm={() => remove.mutate(r.name)} disabled={r.users > 0}>
                    <Button size="small" danger disabled={r.users > 0}>{t('common.remove')}</Button>
                  </Popconfirm>
                </Space>
              )),
            },
          ]} />
      </QueryState>
      <RoleDrawer open={Boolean(editing)} role={editing?.role} rights={rights} onClose={() => setEditing(undefined)} />
    </AdminCard>
  );
}

export default function RolesPage() {
  return <RequireRight right="user.manage"><RolesTable /></RequireRight>;
}
