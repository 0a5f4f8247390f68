import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Form, Segmented, Space, Spin, Typography } from 'antd';
import { ArrowLeftOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, newIdempotencyKey } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useI18n } from '../i18n';
import { applyApiError, describeError } from '../components/forms';
import { documentType, type CreateSpec, type Doc, type DocumentType, type FieldSpec } from './config';
import { FieldInput } from './fields';
import { StockPanel } from './StockPanel';

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

/** Only the fields the API takes: what is shown for context (`displayOnly`) stays on the screen. */
function body(spec: CreateSpec, values: Record<string, unknown>): Record<string, unknown> {
  const sent = (fields: FieldSpec[], from: Record<string, unknown>) =>
    Object.fromEntries(fields.filter((f) => !f.displayOnly && from[f.name] !== undefined).map((f) => [f.name, from[f.name]]));
  const lines = ((values.lines as Array<Record<string, unknown>> | undefined) ?? []).map((line) => sent(spec.lines, line ?? {}));
  return clean({ ...sent(spec.fields, values), lines });
}

/** The generic form of one way to create a document: header fields, lines, optional stock to pick from. */
function CreateForm({ type, spec, formName }: { type: DocumentType; spec: CreateSpec; formName: string }) {
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [filling, setFilling] = useState(false);
  // One key per form: a double click or a retry after a lost answer creates one document.
  const [key, setKey] = useState(newIdempotencyKey);
  const resultType = spec.resultType ?? type.key;
  const create = useMutation({
    mutationFn: (payload: Record<string, unknown>) => api.post<Doc>(spec.path ?? type.path, payload, { idempotencyKey: key }),
    onSuccess: (doc) => {
      message.success(t('documents.created', { number: doc.number ?? String(doc.id) }));
      void queryClient.invalidateQueries();
      navigate(`/documents/${resultType}/${doc.id}`);
    },
    onError: (e) => {
      setKey(newIdempotencyKey());
      setError(applyApiError(form, e));
    },
  });
  const { fields, lines } = spec;
  const fixedLines = Boolean(spec.linesFromField);
  const initial: Record<string, unknown> = { lines: fixedLines ? [] : [{}] };
  for (const f of fields) if (f.defaultsToWarehouse && warehouse) initial[f.name] = warehouse;
  const locationFields = fields.filter((f) => f.type === 'location').map((f) => f.name);
  const lineLocationFields = lines.filter((f) => f.type === 'location' || f.type === 'lot').map((f) => f.name);

  const onValuesChange = (changed: Record<string, unknown>) => {
    // Locations (and lots found there) belong to a warehouse: a new warehouse clears them.
    if ('warehouse' in changed) {
      for (const name of locationFields) form.setFieldValue(name, undefined);
      const rows = (form.getFieldValue('lines') as Array<Record<string, unknown>> | undefined) ?? [];
      form.setFieldValue('lines', rows.map((row) => Object.fromEntries(Object.entries(row ?? {}).filter(([k]) => !lineLocationFields.includes(k)))));
    }
    for (const f of fields) {
      if (!f.fillsLines || !(f.name in changed)) continue;
      const value = changed[f.name] as number | undefined;
      if (value === undefined) {
        form.setFieldValue('lines', []);
        continue;
      }
      setFilling(true);
      setError(undefined);
      f.fillsLines(value)
        .then((rows) => form.setFieldValue('lines', rows))
        .catch((e) => setError(describeError(e)))
        .finally(() => setFilling(false));
    }
  };

  return (
    <>
      {spec.hint && <Typography.Paragraph type="secondary">{t(spec.hint)}</Typography.Paragraph>}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name={formName} initialValues={initial} onValuesChange={onValuesChange}
        onFinish={(values: Record<string, unknown>) => { setError(undefined); create.mutate(body(spec, values)); }}>
        <Space wrap size="middle" align="start">
          {fields.map((f) => (
            <Form.Item key={f.name} name={f.name} label={t(f.label ?? `field.${f.name}`)} rules={f.required ? [{ required: true }] : []}>
              <FieldInput spec={f} />
            </Form.Item>
          ))}
        </Space>
        {spec.stock && <StockPanel form={form} source={spec.stock} />}
        <Typography.Title level={2} style={{ fontSize: 16 }}>{t('common.lines')}</Typography.Title>
        <Spin spinning={filling}>
          <Form.List name="lines">
            {(items, { add, remove }) => (
              <>
                {fixedLines && items.length === 0 && !filling && (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('create.linesFromField', { field: t(`field.${spec.linesFromField}`) })} />
                )}
                {items.map(({ key: rowKey, name }) => (
                  <Space key={rowKey} wrap align="start" data-testid="document-line">
                    {lines.map((f) => (
                      <Form.Item key={f.name} name={[name, f.name]} label={t(f.label ?? `field.${f.name}`)} rules={f.required ? [{ required: true }] : []}>
                        <FieldInput spec={f} row={name} />
                      </Form.Item>
                    ))}
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.remove')} onClick={() => remove(name)} disabled={!fixedLines && items.length === 1} style={{ marginTop: 30 }} />
                  </Space>
                ))}
                {!fixedLines && (
                  <Form.Item>
                    <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />}>{t('common.addLine')}</Button>
                  </Form.Item>
                )}
              </>
            )}
          </Form.List>
        </Spin>
        <Button type="primary" htmlType="submit" loading={create.isPending} disabled={filling} data-testid="document-submit">{t('common.save')}</Button>
      </Form>
    </>
  );
}

export default function DocumentCreatePage() {
  const { type: typeKey } = useParams();
  const type = documentType(typeKey);
  const { t } = useI18n();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  if (!type?.create) return <Navigate to={type ? `/documents/${type.key}` : '/'} replace />;
  const { variants = [] } = type.create;
  // Other ways to create the document (an RMA without an order) are a switch kept in the URL.
  const variant = variants.find((v) => v.key === search.get('variant'));
  const spec: CreateSpec = variant ?? type.create;

  return (
    <Card title={
      <Space>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(`/documents/${type.key}`)} aria-label={t('app.back')} />
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('documents.new')} · {t(`doc.${type.key}`)}</Typography.Title>
      </Space>
    }>
      {variants.length > 0 && (
        <Segmented<string>
          aria-label={t('create.how')}
          style={{ marginBottom: 16 }}
          value={variant?.key ?? ''}
          onChange={(v) => setSearch(v ? { variant: v } : {}, { replace: true })}
          options={[{ value: '', label: t(type.create.label ?? 'documents.new') }, ...variants.map((v) => ({ value: v.key, label: t(v.label) }))]}
          data-testid="create-variant"
        />
      )}
      <CreateForm key={variant?.key ?? ''} type={type} spec={spec}
        formName={variant ? `create-${type.key}-${variant.key}` : `create-${type.key}`} />
    </Card>
  );
}
