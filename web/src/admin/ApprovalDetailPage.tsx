import { useState } from 'react';
import { Button, Descriptions, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { QueryState } from '../components/QueryState';
import { StatusTag, renderValue } from '../components/values';
import { documentLink } from '../documents/config';
import { AdminCard, money } from './shared';
import { DecideModal, type DecideTarget } from './Decide';
import type { Approval } from './approvalsApi';

const STEP_STATUS: Record<string, 'finish' | 'process' | 'wait' | 'error'> = { approved: 'finish', waiting: 'process', 'not reached': 'wait', skipped: 'wait', rejected: 'error', cancelled: 'error' };

export default function ApprovalDetailPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const [deciding, setDeciding] = useState<DecideTarget>();
  const query = useQuery({ queryKey: ['/approvals', 'one', id], queryFn: () => api.get<Approval>(`/approvals/${id}`) });
  const a = query.data;
  const to = a ? documentLink(a.documentType, a.documentId) : undefined;
  return (
    <AdminCard title={t('adm.appr.detail', { doc: a?.documentNumber ?? '' })} testId="approval-detail"
      extra={<Space>
        <Link to="/admin/approvals">{t('app.back')}</Link>
        {a?.status === 'pending' && <>
          <Button type="primary" onClick={() => setDeciding({ approval: a.id, decision: 'approve', documentNumber: a.documentNumber, asSelf: true, onBehalfOf: [] })}>{t('adm.appr.approve')}</Button>
          <Button danger onClick={() => setDeciding({ approval: a.id, decision: 'reject', documentNumber: a.documentNumber, asSelf: true, onBehalfOf: [] })}>{t('adm.appr.reject')}</Button>
        </>}
      </Space>}>
      <QueryState isLoading={query.isLoading} error={query.error} refetch={() => void query.refetch()}>
        {a && <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 24 }} items={[
            { key: 'doc', label: t('adm.appr.document'), children: <>{t(`adm.docType.${a.documentType}`)} {to ? <Link to={to}>{a.documentNumber}</Link> : a.documentNumber}</> },
            { key: 'status', label: t('common.status'), children: <StatusTag status={a.status} /> },
            { key: 'flow', label: t('adm.flows.flow'), children: a.flowName },
            { key: 'amount', label: t('adm.appr.amount'), children: money(a.fields.amount) },
            { key: 'warehouse', label: t('field.warehouse'), children: a.fields.warehouse },
            { key: 'categories', label: t('adm.flows.categories'), children: a.fields.categories.join(', ') || '—' },
            { key: 'submittedBy', label: t('adm.appr.submittedBy'), children: a.submittedBy },
            { key: 'submittedAt', label: t('adm.appr.submittedAt'), children: renderValue('submittedAt', a.submittedAt) },
            { key: 'completedAt', label: t('adm.appr.completedAt'), children: renderValue('completedAt', a.completedAt) },
            ...(a.rejectionReason ? [{ key: 'reason', label: t('adm.appr.reason'), children: a.rejectionReason }] : []),
          ]} />
          <Typography.Title level={2} style={{ fontSize: 16 }}>{t('adm.flows.steps')}</Typography.Title>
          <Steps orientation="vertical" size="small" style={{ marginBottom: 24 }} items={a.steps.map((s) => ({
            status: STEP_STATUS[s.state] ?? 'wait',
            title: <>{s.name} <Tag>{t(`adm.flows.mode.${s.mode}`)}</Tag> <Tag>{t(`adm.appr.state.${s.state}`)}</Tag></>,
            content: <Space wrap>{s.approvers.map((p, i) => (
              <Tag key={i} color={p.signedBy ? 'green' : undefined}>
                {p.user ?? `${t('adm.flows.role')}: ${p.role}`}{p.signedBy ? ` ✓ ${p.signedBy}${p.onBehalfOf ? ` (${t('adm.appr.onBehalfOf', { name: p.onBehalfOf })})` : ''}` : ''}
              </Tag>
            ))}</Space>,
          }))} />
          <Typography.Title level={2} style={{ fontSize: 16 }}>{t('adm.appr.timeline')}</Typography.Title>
          <Timeline items={[
            { color: 'blue', content: <>{renderValue('at', a.submittedAt)} · {t('adm.appr.submittedTimeline', { name: a.submittedBy })}</> },
            ...a.decisions.map((d) => ({
              color: d.decision === 'approve' ? 'green' : d.decision === 'reject' ? 'red' : 'gray',
              content: <>{renderValue('at', d.at)} · {t(`adm.appr.decision.${d.decision}`, { name: d.by, step: d.step })}{d.onBehalfOf ? ` (${t('adm.appr.onBehalfOf', { name: d.onBehalfOf })})` : ''}{d.reason ? `: ${d.reason}` : ''}</>,
            })),
          ]} />
        </>}
      </QueryState>
      <DecideModal target={deciding} onClose={() => { setDeciding(undefined); void query.refetch(); }} />
    </AdminCard>
  );
}
