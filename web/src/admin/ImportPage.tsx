import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, Progress, Radio, Segmented, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { ApiError, api, apiUrl, authHeaders, newIdempotencyKey, type Problem } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { Pager } from '../components/Pager';
import { describeError } from '../components/forms';
import { renderValue } from '../components/values';
import { AdminCard, RequireRight } from './shared';
import { downloadFile } from './download';

type Kind = 'items' | 'partners' | 'locations' | 'opening-stock';
const KINDS: Kind[] = ['items', 'partners', 'locations', 'opening-stock'];
const LISTS: Record<Kind, string> = { items: '/items', partners: '/partners', locations: '/warehouses', 'opening-stock': '/stock' };

interface Job {
  id: number; kind: Kind; format: 'csv' | 'xlsx'; fileName: string | null; status: 'validating' | 'validated' | 'committing' | 'committed' | 'failed' | 'discarded'; running: boolean;
  mode: string | null; error: string | null; columns: { matched: Array<{ header: string; field: string | null }>; ignored: string[] } | null;
  progress: { totalBytes: number; bytesRead: number; percent: number; rowsRead: number; rowsValid: number; rowsInvalid: number; rowsWarned: number; cellsCleaned: number; rowsCommitted: number; rowsSkipped: number };
  createdAt: string;
}
interface ReportedRow { row: number; severity: 'error' | 'warning'; issues: Array<{ field: string; code: string; message: string; severity: 'error' | 'warning' }>; cells: Record<string, string> }

async function upload(file: File, query: Record<string, string | undefined>): Promise<Job> {
  const response = await fetch(apiUrl('/imports', query), {
    method: 'POST', body: file,
    headers: { ...authHeaders(), accept: 'application/json, application/problem+json', 'content-type': file.type || 'text/csv', 'idempotency-key': newIdempotencyKey() },
  });
  const body = (await response.json().catch(() => ({}))) as Job | Problem;
  if (!response.ok) throw new ApiError('status' in body && typeof body.status === 'number' ? (body as Problem) : { type: `urn:cangku:problem:http-${response.status}`, title: response.statusText, status: response.status });
  return body as Job;
}

function Issues({ job }: { job: Job }) {
  const { t } = useI18n();
  const [severity, setSeverity] = useState<'error' | 'warning' | undefined>('error');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const after = cursors[cursors.length - 1];
  const issues = useQuery({
    queryKey: ['/imports', job.id, 'issues', severity, after],
    queryFn: () => api.get<{ items: ReportedRow[]; next?: string }>(`/imports/${job.id}/issues`, { severity, after, limit: 50 }),
    placeholderData: keepPreviousData,
  });
  const rows = (issues.data?.items ?? []).flatMap((r) => r.issues.map((i, n) => ({ key: `${r.row}-${n}`, row: r.row, ...i, cells: r.cells })));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Segmented value={severity ?? 'all'} onChange={(v) => { setSeverity(v === 'all' ? undefined : (v as 'error' | 'warning')); setCursors([undefined]); }}
          options={[{ value: 'error', label: t('adm.imp.errors') }, { value: 'warning', label: t('adm.imp.warnings') }, { value: 'all', label: t('common.all') }]} />
      </Space>
      <QueryState isLoading={issues.isLoading} error={issues.error} isEmpty={rows.length === 0} emptyText={t('adm.imp.noIssues')} refetch={() => void issues.refetch()}>
        <Table rowKey="key" size="small" dataSource={rows} pagination={false} scroll={{ x: true }} data-testid="import-issues"
          columns={[
            { key: 'row', dataIndex: 'row', title: t('adm.imp.row'), width: 80 },
            { key: 'field', dataIndex: 'field', title: t('adm.imp.field'), render: (v: string, r) => <>{v} {r.cells[v] !== undefined && <Typography.Text code>{r.cells[v] || '∅'}</Typography.Text>}</> },
            { key: 'severity', dataIndex: 'severity', title: t('adm.imp.severity'), render: (v: string) => <Tag color={v === 'error' ? 'red' : 'gold'}>{t(v === 'error' ? 'adm.imp.error' : 'adm.imp.warning')}</Tag> },
            { key: 'code', dataIndex: 'code', title: t('adm.imp.code'), render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { key: 'message', dataIndex: 'message', title: t('adm.imp.reason') },
          ]} />
        <Pager page={cursors.length} hasNext={Boolean(issues.data?.next)} hasPrevious={cursors.length > 1}
          next={() => issues.data?.next && setCursors((c) => [...c, issues.data!.next])} previous={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))} />
      </QueryState>
    </>
  );
}

function JobView({ jobId }: { jobId: number }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['/imports', jobId],
    queryFn: () => api.get<Job>(`/imports/${jobId}`),
    refetchInterval: (q) => (q.state.data && !q.state.data.running && q.state.data.status !== 'validating' && q.state.data.status !== 'committing' ? false : 1000),
  });
  const commit = useMutation({
    mutationFn: (mode: 'all' | 'good-rows') => api.post<Job>(`/imports/${jobId}/commit`, { mode }),
    onSuccess: (j) => { queryClient.setQueryData(['/imports', jobId], j); void queryClient.invalidateQueries({ queryKey: ['/imports', 'list'] }); },
    onError: (e) => message.error(describeError(e)),
  });
  const j = job.data;
  const busy = j ? j.running || j.status === 'validating' || j.status === 'committing' : true;
  const lang = locale === 'en' ? 'en' : 'zh';
  return (
    <QueryState isLoading={job.isLoading} error={job.error} refetch={() => void job.refetch()}>
      {j && (
        <Card size="small" data-testid="import-job" data-status={j.status} title={<>{t('adm.imp.job', { id: j.id })} · {j.fileName ?? ''} <Tag>{t(`adm.imp.status.${j.status}`)}</Tag></>}>
          {busy && (
            <div role="status" aria-live="polite" style={{ marginBottom: 16 }}>
              <Typography.Text>{t(j.status === 'committing' ? 'adm.imp.committing' : 'adm.imp.validating', { n: j.status === 'committing' ? j.progress.rowsCommitted : j.progress.rowsRead })}</Typography.Text>
              <Progress percent={j.status === 'committing' ? Math.floor((100 * j.progress.rowsCommitted) / Math.max(1, j.progress.rowsValid)) : j.progress.percent} status="active" />
            </div>
          )}
          {j.error && <Alert type="error" showIcon role="alert" title={j.error} style={{ marginBottom: 16 }} />}
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic title={t('adm.imp.rowsRead')} value={j.progress.rowsRead} />
            <Statistic title={t('adm.imp.rowsValid')} value={j.progress.rowsValid} />
            <Statistic title={t('adm.imp.rowsInvalid')} value={j.progress.rowsInvalid} styles={{ content: { color: j.progress.rowsInvalid ? '#cf1322' : undefined } }} />
            <Statistic title={t('adm.imp.rowsWarned')} value={j.progress.rowsWarned} />
            <Statistic title={t('adm.imp.cellsCleaned')} value={j.progress.cellsCleaned} />
            {(j.status === 'committing' || j.status === 'committed') && <Statistic title={t('adm.imp.rowsCommitted')} value={j.progress.rowsCommitted} />}
          </Space>
          {j.columns && (
            <Descriptions size="small" column={1} style={{ marginBottom: 16 }} items={[
              { key: 'matched', label: t('adm.imp.matched'), children: <Space wrap>{j.columns.matched.map((c) => <Tag key={c.header}>{c.header}{c.field && c.field !== c.header ? ` → ${c.field}` : ''}</Tag>)}</Space> },
              { key: 'ignored', label: t('adm.imp.ignored'), children: j.columns.ignored.length ? j.columns.ignored.join(', ') : '—' },
            ]} />
          )}
          {j.status === 'validated' && (
            <Space wrap style={{ marginBottom: 16 }}>
              <Button type="primary" disabled={j.progress.rowsInvalid > 0 || commit.isPending} onClick={() => commit.mutate('all')} data-testid="import-commit-all">{t('adm.imp.commitAll')}</Button>
              <Button disabled={j.progress.rowsInvalid === 0 || j.progress.rowsValid === 0 || commit.isPending} onClick={() => commit.mutate('good-rows')} data-testid="import-commit-good">{t('adm.imp.commitGood', { n: j.progress.rowsValid })}</Button>
              {j.progress.rowsInvalid > 0 && <>
                <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/imports/${j.id}/report`, { format: 'xlsx', lang }, 'bad-rows.xlsx').catch((e) => message.error(describeError(e)))}>{t('adm.imp.badRows')} (XLSX)</Button>
                <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/imports/${j.id}/report`, { format: 'csv', lang }, 'bad-rows.csv').catch((e) => message.error(describeError(e)))}>CSV</Button>
              </>}
            </Space>
          )}
          {j.status === 'committed' && (
            <Alert type="success" showIcon role="status" style={{ marginBottom: 16 }} data-testid="import-committed"
              title={t('adm.imp.committed', { n: j.progress.rowsCommitted, skipped: j.progress.rowsSkipped })}
              action={<Link to={LISTS[j.kind]}>{t('adm.imp.openList')}</Link>} />
          )}
          {j.status === 'failed' && !j.running && j.mode && (
            <Button onClick={() => commit.mutate((j.mode as 'all' | 'good-rows') ?? 'all')}>{t('adm.imp.resume')}</Button>
          )}
          {!busy && (j.progress.rowsInvalid > 0 || j.progress.rowsWarned > 0) && <Issues job={j} />}
        </Card>
      )}
    </QueryState>
  );
}

function History({ onOpen }: { onOpen(id: number): void }) {
  const { t } = useI18n();
  const list = useQuery({ queryKey: ['/imports', 'list'], queryFn: () => api.get<{ items: Job[] }>('/imports', { limit: 20 }).then((r) => r.items) });
  return (
    <QueryState isLoading={list.isLoading} error={list.error} isEmpty={(list.data ?? []).length === 0} refetch={() => void list.refetch()}>
      <Table<Job> rowKey="id" size="small" dataSource={list.data ?? []} pagination={false} scroll={{ x: true }}
        columns={[
          { key: 'id', dataIndex: 'id', title: '#', render: (v: number) => <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(v)}>{v}</Button> },
          { key: 'kind', dataIndex: 'kind', title: t('adm.imp.kind'), render: (v: Kind) => t(`adm.imp.kind.${v}`) },
          { key: 'fileName', dataIndex: 'fileName', title: t('adm.imp.file'), render: (v: string | null) => v ?? '—' },
          { key: 'status', dataIndex: 'status', title: t('common.status'), render: (v: string) => <Tag>{t(`adm.imp.status.${v}`)}</Tag> },
          { key: 'rows', title: t('adm.imp.rowsRead'), render: (_: unknown, r) => `${r.progress.rowsRead} (${r.progress.rowsInvalid} ✗)` },
          { key: 'committed', title: t('adm.imp.rowsCommitted'), render: (_: unknown, r) => r.progress.rowsCommitted },
          { key: 'createdAt', dataIndex: 'createdAt', title: t('common.createdAt'), render: (v: string) => renderValue('createdAt', v) },
        ]} />
    </QueryState>
  );
}

function ImportWizard() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('items');
  const [jobId, setJobId] = useState<number>();
  const [file, setFile] = useState<File>();
  const [form] = Form.useForm();
  const input = useRef<HTMLInputElement>(null);
  const lang = locale === 'en' ? 'en' : 'zh';
  const send = useMutation({
    mutationFn: (v: { codeCase: string; units?: string; nearDuplicates: string }) => upload(file!, { kind, fileName: file!.name, codeCase: v.codeCase, units: v.units?.trim() || undefined, nearDuplicates: v.nearDuplicates }),
    onSuccess: (j) => { setJobId(j.id); setFile(undefined); if (input.current) input.current.value = ''; void queryClient.invalidateQueries({ queryKey: ['/imports', 'list'] }); },
  });
  const template = (format: 'csv' | 'xlsx') => void downloadFile(`/imports/templates/${kind}.${format}`, { lang }, `${kind}-template.${format}`).catch((e) => message.error(describeError(e)));
  return (
    <AdminCard title={t('adm.imp.title')} testId="import-page">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Typography.Title level={2} style={{ fontSize: 15 }}>1. {t('adm.imp.chooseKind')}</Typography.Title>
          <Radio.Group optionType="button" value={kind} onChange={(e) => { setKind(e.target.value as Kind); setJobId(undefined); }} data-testid="import-kind"
            options={KINDS.map((k) => ({ value: k, label: t(`adm.imp.kind.${k}`) }))} />
          <Space style={{ marginLeft: 16 }}>
            <Button icon={<DownloadOutlined />} onClick={() => template('xlsx')}>{t('adm.imp.template')} XLSX</Button>
            <Button icon={<DownloadOutlined />} onClick={() => template('csv')}>CSV</Button>
          </Space>
        </div>
        <div>
          <Typography.Title level={2} style={{ fontSize: 15 }}>2. {t('adm.imp.chooseFile')}</Typography.Title>
          {send.error && <Alert type="error" showIcon role="alert" title={describeError(send.error)} style={{ marginBottom: 12 }} />}
          <Form form={form} layout="inline" name="import" initialValues={{ codeCase: 'keep', nearDuplicates: 'error' }} onFinish={(v) => file && send.mutate(v)} style={{ rowGap: 8 }}>
            <Form.Item label={t('adm.imp.file')} required>
              <input ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-label={t('adm.imp.file')} data-testid="import-file"
                onChange={(e) => setFile(e.target.files?.[0] ?? undefined)} />
            </Form.Item>
            <Form.Item name="codeCase" label={t('adm.imp.codeCase')}>
              <Select style={{ width: 130 }} options={['keep', 'upper', 'lower'].map((c) => ({ value: c, label: t(`adm.imp.codeCase.${c}`) }))} />
            </Form.Item>
            <Form.Item name="units" label={t('adm.imp.units')}><Input placeholder="卷, roll" style={{ width: 140 }} /></Form.Item>
            <Form.Item name="nearDuplicates" label={t('adm.imp.nearDuplicates')}>
              <Select style={{ width: 120 }} options={[{ value: 'error', label: t('adm.imp.error') }, { value: 'warning', label: t('adm.imp.warning') }]} />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<UploadOutlined />} disabled={!file} loading={send.isPending} data-testid="import-upload">{t('adm.imp.dryRun')}</Button>
          </Form>
        </div>
        {jobId !== undefined && (
          <div>
            <Typography.Title level={2} style={{ fontSize: 15 }}>3. {t('adm.imp.result')}</Typography.Title>
            <JobView key={jobId} jobId={jobId} />
          </div>
        )}
        <div>
          <Typography.Title level={2} style={{ fontSize: 15 }}>{t('adm.imp.history')}</Typography.Title>
          <History onOpen={setJobId} />
        </div>
      </Space>
    </AdminCard>
  );
}

export default function ImportPage() {
  return <RequireRight right="import.run"><ImportWizard /></RequireRight>;
}
