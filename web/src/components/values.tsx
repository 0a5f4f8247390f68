import type { ReactNode } from 'react';
import { Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { translate } from '../i18n';
import { documentLink } from '../documents/config';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default', confirmed: 'blue', submitted: 'gold', approved: 'blue', counting: 'processing', in_transit: 'processing',
  partially_shipped: 'cyan', partially_received: 'cyan', shipped: 'green', received: 'green', posted: 'green', delivered: 'green',
  closed: 'default', cancelled: 'red', rejected: 'red', pending: 'gold', inspected: 'green', open: 'processing',
};

export function StatusTag({ status }: { status: string }) {
  const label = translate(`status.${status}`);
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{label.startsWith('status.') ? status : label}</Tag>;
}

/** The label of a field name: `field.<name>` if translated, else the name spelled out. */
export function fieldLabel(name: string): string {
  const text = translate(`field.${name}`);
  if (!text.startsWith('field.')) return text;
  const common = translate(`common.${name}`);
  if (!common.startsWith('common.')) return common;
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function formatNumber(value: number): string {
  return value.toLocaleString(undefined, { maximumFractionDigits: 6 });
}

/** Any JSON value of an API answer, readable. */
export function renderValue(name: string, value: unknown, row?: Record<string, unknown>): ReactNode {
  if (value === null || value === undefined || value === '') return <Typography.Text type="secondary">—</Typography.Text>;
  if (name === 'status' || name === 'inspectionStatus' || name === 'stage') return <StatusTag status={String(value)} />;
  if (name === 'document' && row && typeof row.documentType === 'string' && typeof row.documentId === 'number') {
    const to = documentLink(row.documentType, row.documentId);
    return to ? <Link to={to}>{String(value)}</Link> : String(value);
  }
  if (typeof value === 'boolean') return translate(value ? 'common.yes' : 'common.no');
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string' && ISO_TIME.test(value)) return dayjs(value).format('YYYY-MM-DD HH:mm');
  if (name === 'tracking' || name === 'kind') {
    const key = name === 'tracking' ? `tracking.${value}` : `locationKind.${value}`;
    const text = translate(key);
    if (!text.startsWith(key.split('.')[0] + '.')) return text;
    const partner = translate(`partnerKind.${value}`);
    return partner.startsWith('partnerKind.') ? String(value) : partner;
  }
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.every((v) => typeof v !== 'object') ? value.join(', ') : `${value.length} ×`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.number === 'string') return o.number;
    if (typeof o.code === 'string') return o.code;
    return <Typography.Text code>{JSON.stringify(value).slice(0, 80)}</Typography.Text>;
  }
  return String(value);
}
