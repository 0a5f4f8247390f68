/** Small pieces the administration screens share. */
import type { ReactNode } from 'react';
import { Alert, Card, Result, Typography } from 'antd';
import { useI18n } from '../i18n';
import { useMe } from './me';

export function AdminCard({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId} title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{title}</Typography.Title>} extra={extra}>
      {children}
    </Card>
  );
}

/** Renders children only for users with the right; others see why not. */
export function RequireRight({ right, children }: { right: string; children: ReactNode }) {
  const { t } = useI18n();
  const { me, can, isLoading } = useMe();
  if (isLoading || !me) return null;
  if (!can(right)) return <Result status="403" title="403" subTitle={t('adm.noRight', { right })} />;
  return <>{children}</>;
}

/** A secret shown once (token, webhook secret, temporary password), with a copy button. */
export function ShownOnce({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Alert type="warning" showIcon role="status" style={{ marginBottom: 16 }} title={label}
      description={<>
        <Typography.Paragraph copyable={{ text: value, tooltips: [t('adm.copy'), t('adm.copied')] }} code data-testid={testId} style={{ wordBreak: 'break-all', marginBottom: 4 }}>{value}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('adm.shownOnce')}</Typography.Text>
      </>} />
  );
}

/** Money may come back as null for roles without report.view_cost: "—". */
export function money(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString(undefined, { maximumFractionDigits: 6 });
}

export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = new Uint8Array(14);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
