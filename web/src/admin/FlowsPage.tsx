import { useState } from 'react';
import { Alert, App, Button, Card, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { applyApiError, describeError } from '../components/forms';
import { useWarehouses } from '../hooks/useMasterData';
import { AdminCard, RequireRight, money } from './shared';
import { BUILT_IN_ROLES, DOC_TYPES, type Conditions, type DocType, type Flow } from './approvalsApi';
import { useUsers } from './UsersPage';
import { useMe } from './me';

interface StepForm { name: string; mode: 'any' | 'all'; users?: string[]; roles?: string[]; condition?: Conditions | null }
interface FlowForm { documentType: DocType; name: string; priority?: number; active: boolean; conditions?: Conditions; steps: StepForm[] }

/** Keeps a form value the screen does not edit (a step's own condition) through a save. */
function KeepValue(_: { value?: unknown }) {
  return null;
}

function cleanConditions(c: Conditions | undefined): Conditions | null {
  const out: Conditions = {};
  if (typeof c?.amountAtLeast === 'number') out.amountAtLeast = c.amountAtLeast;
  if (typeof c?.amountAtMost === 'number') out.amountAtMost = c.amountAtMost;
  if (c?.warehouses?.length) out.warehouses = c.warehouses;
  if (c?.categories?.length) out.categories = c.categories;
  return Object.keys(out).length ? out : null;
}

function describeConditions(c: Conditions | null | undefined, t: (k: string, v?: Record<string, string | number>) => string): string {
  if (!c) return t('adm.flows.always');
  const parts: string[] = [];
  if (c.amountAtLeast !== undefined) parts.push(`≥ ${money(c.amountAtLeast)}`);
  if (c.amountAtMost !== undefined) parts.push(`≤ ${money(c.amountAtMost)}`);
  if (c.warehouses?.length) parts.push(`${t('field.warehouse')}: ${c.warehouses.join(', ')}`);
  if (c.categories?.length) parts.push(`${t('adm.flows.categories')}: ${c.categories.join(', ')}`);
  return parts.length ? parts.join('; ') : t('adm.flows.always');
}

function FlowDrawer({ flow, open, onClose }: { flow?: Flow; open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useMe();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FlowForm>();
  const [error, setError] = useState<string>();
  const [key] = useState(newIdempotencyKey);
  const warehouses = useWarehouses();
  const users = useUsers(can('user.manage'));
  const save = useMutation({
    mutationFn: (v: FlowForm) => {
      const steps = (v.steps ?? []).map((s) => ({
        name: s.name, mode: s.mode ?? 'any',
        approvers: [...(s.users ?? []).map((user) => ({ user })), ...(s.roles ?? []).map((role) => ({ role }))],
        ...(s.condition ? { condition: s.condition } : {}),
      }));
      const conditions = cleanConditions(v.conditions);
      const body = { name: v.name, priority: v.priority ?? 100, active: v.active, steps };
      if (flow) return api.patch<Flow>(`/approvals/flows/${flow.id}`, { ...body, conditions });
      return api.post<Flow>('/approvals/flows', { documentType: v.documentType, ...body, ...(conditions ? { conditions } : {}) }, { idempotencyKey: key });
    },
    onSuccess: () => { message.success(t('common.saved')); void queryClient.invalidateQueries({ queryKey: ['/approvals', 'flows'] }); onClose(); },
    onError: (e) => {
      // An approver entry's error belongs to the step's users/roles fields.
      const fixed = e as { fieldErrors?: Array<{ field: string; message: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^steps\.(\d+)\.approvers(\.\d+)?(\.user)?$/, 'steps.$1.users').replace(/^steps\.(\d+)\.approvers\.\d+\.role$/, 'steps.$1.roles');
      setError(applyApiError(form, e, ['documentType', 'name', 'priority', 'active', 'conditions', 'steps']));
    },
  });
  const initial: Partial<FlowForm> = flow
    ? { ...flow, conditions: flow.conditions, steps: flow.steps.map((s) => ({ name: s.name, mode: s.mode, users: s.approvers.filter((a) => a.user).map((a) => a.user!), roles: s.approvers.filter((a) => a.role).map((a) => a.role!), condition: s.condition })) }
    : { documentType: 'inventory-adjustment', priority: 100, active: true, steps: [{ name: '', mode: 'any', users: [], roles: [] }] };
  return (
    <Drawer open={open} onClose={onClose} title={flow ? t('adm.flows.edit', { name: flow.name }) : t('adm.flows.new')} size={640} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="flow-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="flow" initialValues={initial} onFinish={(v) => { setError(undefined); save.mutate(v); }}>
        <Form.Item name="documentType" label={t('adm.flows.documentType')} rules={[{ required: true }]}>
          <Select disabled={Boolean(flow)} options={DOC_TYPES.map((d) => ({ value: d, label: t(`adm.docType.${d}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('adm.flows.name')} rules={[{ required: true }]}><Input /></Form.Item>
        <Space>
          <Form.Item name="priority" label={t('adm.flows.priority')} tooltip={t('adm.flows.priorityHint')}><InputNumber min={0} max={1_000_000} /></Form.Item>
          <Form.Item name="active" label={t('adm.flows.active')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
        <Card size="small" title={t('adm.flows.conditions')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('adm.flows.conditionsHelp')}</Typography.Paragraph>
          <Space wrap>
            <Form.Item name={['conditions', 'amountAtLeast']} label={t('adm.flows.amountAtLeast')}><InputNumber min={0} style={{ width: 160 }} /></Form.Item>
            <Form.Item name={['conditions', 'amountAtMost']} label={t('adm.flows.amountAtMost')}><InputNumber min={0} style={{ width: 160 }} /></Form.Item>
          </Space>
          <Form.Item name={['conditions', 'warehouses']} label={t('adm.flows.warehouses')}>
            <Select mode="multiple" allowClear options={(warehouses.data ?? []).map((w) => ({ value: w.code, label: `${w.code} · ${w.name}` }))} />
          </Form.Item>
          <Form.Item name={['conditions', 'categories']} label={t('adm.flows.categories')} extra={t('adm.flows.categoriesHint')}>
            <Select mode="tags" allowClear open={false} />
          </Form.Item>
        </Card>
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((field, index) => (
                <Card key={field.key} size="small" style={{ marginBottom: 12 }} data-testid={`flow-step-${index}`}
                  title={t('adm.flows.stepN', { n: index + 1 })}
                  extra={<Space>
                    <Button size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('adm.flows.up')} />
                    <Button size="small" icon={<ArrowDownOutlined />} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={t('adm.flows.down')} />
                    <Button size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(field.name)} aria-label={t('common.remove')} />
                  </Space>}>
                  <Space wrap align="start">
                    <Form.Item name={[field.name, 'name']} label={t('adm.flows.stepName')} rules={[{ required: true }]}><Input style={{ width: 220 }} /></Form.Item>
                    <Form.Item name={[field.name, 'mode']} label={t('adm.flows.mode')}>
                      <Radio.Group optionType="button" options={[{ value: 'any', label: t('adm.flows.mode.any') }, { value: 'all', label: t('adm.flows.mode.all') }]} />
                    </Form.Item>
                  </Space>
                  <Form.Item name={[field.name, 'users']} label={t('adm.flows.users')}>
                    <Select mode="tags" options={(users.data ?? []).filter((u) => !u.disabled).map((u) => ({ value: u.username, label: u.username }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'roles']} label={t('adm.flows.roles')}>
                    <Select mode="multiple" options={BUILT_IN_ROLES.map((r) => ({ value: r, label: `${t(`adm.role.${r}`)} (${r})` }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'condition']} noStyle><KeepValue /></Form.Item>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ name: '', mode: 'any', users: [], roles: [] })}>{t('adm.flows.addStep')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

function FlowsTable() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [documentType, setDocumentType] = useState<DocType>();
  const [editing, setEditing] = useState<{ flow?: Flow }>();
  const flows = useQuery({ queryKey: ['/approvals', 'flows', documentType], queryFn: () => api.get<{ items: Flow[] }>('/approvals/flows', { documentType }).then((r) => r.items) });
  const toggle = useMutation({
    mutationFn: (f: Flow) => api.patch(`/approvals/flows/${f.id}`, { active: !f.active }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/approvals', 'flows'] }),
    onError: (e) => message.error(describeError(e)),
  });
  return (
    <AdminCard title={t('adm.flows.title')} testId="flows-page"
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="flow-new">{t('adm.flows.new')}</Button>}>
      <Space style={{ marginBottom: 16 }}>
        <Select allowClear placeholder={t('adm.flows.documentType')} aria-label={t('adm.flows.documentType')} style={{ width: 200 }} value={documentType} onChange={setDocumentType}
          options={DOC_TYPES.map((d) => ({ value: d, label: t(`adm.docType.${d}`) }))} />
      </Space>
      <QueryState isLoading={flows.isLoading} error={flows.error} isEmpty={(flows.data ?? []).length === 0} emptyText={t('adm.flows.empty')} refetch={() => void flows.refetch()}>
        <Table<Flow> rowKey="id" size="middle" dataSource={flows.data ?? []} pagination={false} scroll={{ x: true }} data-testid="flows-table"
          columns={[
            { key: 'documentType', dataIndex: 'documentType', title: t('adm.flows.documentType'), render: (v: DocType) => t(`adm.docType.${v}`) },
            { key: 'priority', dataIndex: 'priority', title: t('adm.flows.priority') },
            { key: 'name', dataIndex: 'name', title: t('adm.flows.name'), render: (v: string, r) => <Button type="link" style={{ padding: 0 }} onClick={() => setEditing({ flow: r })}>{v}</Button> },
            { key: 'conditions', dataIndex: 'conditions', title: t('adm.flows.conditions'), render: (v: Conditions) => describeConditions(Object.keys(v ?? {}).length ? v : null, t) },
            {
              key: 'steps', dataIndex: 'steps', title: t('adm.flows.steps'), render: (v: Flow['steps']) => (
                <Space orientation="vertical" size={2}>{v.map((s, i) => (
                  <span key={i}>{i + 1}. {s.name} <Tag>{t(`adm.flows.mode.${s.mode}`)}</Tag>{s.approvers.map((a) => a.user ?? `${t('adm.flows.role')}:${a.role}`).join(', ')}</span>
                ))}</Space>
              ),
            },
            { key: 'active', dataIndex: 'active', title: t('adm.flows.active'), render: (v: boolean, r) => <Switch checked={v} loading={toggle.isPending && toggle.variables?.id === r.id} onChange={() => toggle.mutate(r)} aria-label={t('adm.flows.active')} /> },
          ]} />
      </QueryState>
      {/* A fresh form per opening: list items keep their initial values (preserve=false would drop them). */}
      {editing && <FlowDrawer key={editing.flow?.id ?? 'new'} open flow={editing.flow} onClose={() => setEditing(undefined)} />}
    </AdminCard>
  );
}

export default function FlowsPage() {
  return <RequireRight right="approval.manage"><FlowsTable /></RequireRight>;
}
