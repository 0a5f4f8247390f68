import { useState } from 'react';
import { App, Button, Card, Descriptions, Input, Modal, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { api, apiUrl, authHeaders } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { describeError } from '../components/forms';
import { fieldLabel, renderValue } from '../components/values';
import { codeLabelKey, documentType, type ActionSpec, type Doc } from './config';
import { DocumentPanel } from './DocumentPanels';

type Row = Record<string, unknown>;

function isRowArray(value: unknown): value is Row[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === 'object' && !Array.isArray(v));
}

/** A table for any array of objects in a document (lines, moves, shipments, events). */
export function GenericTable({ rows, caption, linkTo }: { rows: Row[]; caption: string; linkTo?: string }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'documentType' && k !== 'documentId' && rows.some((r) => typeof r[k] !== 'object' || r[k] === null));
  return (
    <Table<Row>
      size="small"
      rowKey={(r) => String(r.id ?? r.line ?? JSON.stringify(r))}
      title={() => <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>{caption}</Typography.Title>}
      columns={keys.map((k) => ({
        key: k, dataIndex: k, title: fieldLabel(k),
        // Documents listed inside a document (an order's shipments) link to their own screen.
        render: (v: unknown, r: Row) => (k === 'number' && linkTo && typeof r.id === 'number' ? <Link to={`/documents/${linkTo}/${r.id}`}>{String(v)}</Link> : renderValue(k, v, r)),
      }))}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: true }}
    />
  );
}

async function openPdf(path: string) {
  const response = await fetch(apiUrl(path), { headers: authHeaders() });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export default function DocumentDetailPage() {
  const { type: typeKey, id } = useParams();
  const type = documentType(typeKey);
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [reasonFor, setReasonFor] = useState<ActionSpec>();
  const [reason, setReason] = useState('');
  const docPath = `${type?.path}/${id}`;
  const query = useQuery({ queryKey: [type?.path, 'detail', id], queryFn: () => api.get<Doc>(docPath), enabled: Boolean(type && id) });

  const run = useMutation({
    mutationFn: async ({ action, reason: why }: { action: ActionSpec; reason?: string }) => {
      const doc = query.data!;
      const target = typeof action.path === 'function' ? action.path(doc) : action.path.startsWith('/') ? action.path : `${docPath}/${action.path}`;
      const body = action.body ? action.body(doc) : why ? { reason: why } : undefined;
      return api.post<Doc>(target, body, { idempotencyKey: true });
    },
    onSuccess: (_result, { action }) => {
      message.success(t('documents.actionDone', { action: t(action.label ?? `action.${action.key}`) }));
      void queryClient.invalidateQueries();
    },
    onError: (error) => message.error({ content: describeError(error), duration: 8 }),
  });

  if (!type) return <Navigate to="/" replace />;
  const doc = query.data;

  const start = (action: ActionSpec) => {
    const label = t(action.label ?? `action.${action.key}`);
    if (action.reason) {
      setReason('');
      setReasonFor(action);
    } else if (action.confirm || action.danger) {
      modal.confirm({ title: t('documents.confirmAction', { action: label }), okButtonProps: { danger: action.danger }, onOk: () => run.mutateAsync({ action }) });
    } else run.mutate({ action });
  };

  const codeLabel = (k: string, v: unknown) => {
    const key = codeLabelKey(type, k, v);
    return key && t(key) !== key ? t(key) : undefined;
  };
  const scalars = doc ? Object.entries(doc).filter(([, v]) => v === null || typeof v !== 'object') : [];
  const tables = doc ? Object.entries(doc).filter(([, v]) => isRowArray(v)) as Array<[string, Row[]]> : [];
  const actions = doc ? (type.actions ?? []).filter((a) => a.when(doc)) : [];

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(`/documents/${type.key}`)} aria-label={t('app.back')} />
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {t(`doc.${type.key}`)} {doc?.number ?? ''}
          </Typography.Title>
        </Space>
      }
      extra={
        <Space wrap>
          {actions.map((a) => (
            <Button key={a.key} type={a.primary ? 'primary' : 'default'} danger={a.danger} loading={run.isPending && run.variables?.action.key === a.key}
              onClick={() => start(a)} data-testid={`action-${a.key}`}>
              {t(a.label ?? `action.${a.key}`)}
            </Button>
          ))}
          {type.pdf && doc && (
            <Button icon={<FilePdfOutlined />} onClick={() => openPdf(`${docPath}/pdf`).catch((e) => message.error(describeError(e)))}>{t('common.print')}</Button>
          )}
        </Space>
      }
    >
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        {doc && (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="document-header"
              items={scalars.map(([k, v]) => ({ key: k, label: fieldLabel(k), children: codeLabel(k, v) ?? renderValue(k, v, doc) }))} />
            <DocumentPanel typeKey={type.key} doc={doc} />
            {tables.map(([k, rows]) => (
              <GenericTable key={k} rows={rows} caption={k === 'lines' ? t('common.lines') : fieldLabel(k)} linkTo={documentType(k)?.key} />
            ))}
          </Space>
        )}
      </QueryState>
      <Modal open={Boolean(reasonFor)} title={reasonFor ? t(reasonFor.label ?? `action.${reasonFor.key}`) : ''}
        okButtonProps={{ disabled: reasonFor?.reason === 'required' && reason.trim() === '' }}
        onCancel={() => setReasonFor(undefined)}
        onOk={async () => {
          const action = reasonFor!;
          setReasonFor(undefined);
          await run.mutateAsync({ action, reason: reason.trim() || undefined }).catch(() => undefined);
        }}>
        <label htmlFor="action-reason">{t('field.reason')}</label>
        <Input.TextArea id="action-reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={3} autoFocus />
      </Modal>
    </Card>
  );
}
