import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Space, Typography } from 'antd';
import { ArrowLeftOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { Navigate, useNavigate, useParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { applyApiError } from '../components/forms';
import { ItemSelect, PartnerInput, WarehouseSelect } from '../components/pickers';
import { documentType, type Doc, type FieldSpec } from './config';

/** The control for a field; Form.Item passes value, onChange and id through `props`. */
function FieldInput({ spec, ...props }: { spec: FieldSpec; id?: string; value?: never; onChange?: (value: never) => void }) {
  const p = props as Record<string, unknown>;
  switch (spec.type) {
    case 'warehouse':
      return <WarehouseSelect {...p} style={{ minWidth: 200 }} />;
    case 'item':
      return <ItemSelect {...p} style={{ width: spec.width ?? 220 }} />;
    case 'customer':
    case 'supplier':
      return <PartnerInput {...p} kind={spec.type} />;
    case 'number':
      return <InputNumber {...p} style={{ width: spec.width ?? 130 }} />;
    case 'date':
      return <DatePicker {...p} />;
    case 'textarea':
      return <Input.TextArea {...p} rows={2} />;
    default:
      return <Input {...p} style={{ width: spec.width ?? 160 }} />;
  }
}

/** Drop empty values and turn dates into YYYY-MM-DD, so the API sees only what was filled in. */
function clean(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === null || v === '') continue;
    if (dayjs.isDayjs(v)) out[k] = (v as Dayjs).format('YYYY-MM-DD');
    else if (Array.isArray(v)) out[k] = v.map((line) => clean(line as Record<string, unknown>));
    else out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

export default function DocumentCreatePage() {
  const { type: typeKey } = useParams();
  const type = documentType(typeKey);
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  // One key per form: a double click or a retry after a lost answer creates one document.
  const [key, setKey] = useState(newIdempotencyKey);
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<Doc>(type!.path, body, { idempotencyKey: key }),
    onSuccess: (doc) => {
      message.success(t('documents.created', { number: doc.number ?? String(doc.id) }));
      void queryClient.invalidateQueries();
      navigate(`/documents/${type!.key}/${doc.id}`);
    },
    onError: (e) => {
      setKey(newIdempotencyKey());
      setError(applyApiError(form, e));
    },
  });
  if (!type?.create) return <Navigate to={type ? `/documents/${type.key}` : '/'} replace />;
  const { fields, lines } = type.create;
  const initial: Record<string, unknown> = { lines: [{}] };
  for (const f of fields) if (f.defaultsToWarehouse && warehouse) initial[f.name] = warehouse;

  return (
    <Card title={
      <Space>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(`/documents/${type.key}`)} aria-label={t('app.back')} />
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('documents.new')} · {t(`doc.${type.key}`)}</Typography.Title>
      </Space>
    }>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name={`create-${type.key}`} initialValues={initial}
        onFinish={(values) => { setError(undefined); create.mutate(clean(values)); }}>
        <Space wrap size="middle" align="start">
          {fields.map((f) => (
            <Form.Item key={f.name} name={f.name} label={t(f.label ?? `field.${f.name}`)} rules={f.required ? [{ required: true }] : []}>
              <FieldInput spec={f} />
            </Form.Item>
          ))}
        </Space>
        <Typography.Title level={2} style={{ fontSize: 16 }}>{t('common.lines')}</Typography.Title>
        <Form.List name="lines">
          {(items, { add, remove }) => (
            <>
              {items.map(({ key: rowKey, name }) => (
                <Space key={rowKey} wrap align="start" data-testid="document-line">
                  {lines.map((f) => (
                    <Form.Item key={f.name} name={[name, f.name]} label={t(`field.${f.name}`)} rules={f.required ? [{ required: true }] : []}>
                      <FieldInput spec={f} />
                    </Form.Item>
                  ))}
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} disabled={items.length === 1} style={{ marginTop: 30 }} />
                </Space>
              ))}
              <Form.Item>
                <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />}>{t('common.addLine')}</Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="document-submit">{t('common.save')}</Button>
      </Form>
    </Card>
  );
}
