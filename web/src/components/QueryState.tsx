import type { ReactNode } from 'react';
import { Alert, Button, Empty, Skeleton } from 'antd';
import { describeError } from './forms';
import { useI18n } from '../i18n';

/** Loading, error and empty states for a query, the same on every screen. */
export function QueryState({ isLoading, error, isEmpty, refetch, children, emptyText }: {
  isLoading: boolean;
  error: unknown;
  isEmpty?: boolean;
  refetch?: () => void;
  children: ReactNode;
  emptyText?: string;
}) {
  const { t } = useI18n();
  if (isLoading) return <div role="status" aria-busy="true"><Skeleton active /></div>;
  if (error) {
    return (
      <Alert type="error" showIcon role="alert" title={t('app.error')} description={describeError(error)}
        action={refetch ? <Button size="small" onClick={() => refetch()}>{t('app.retry')}</Button> : undefined} />
    );
  }
  if (isEmpty) return <Empty description={emptyText ?? t('app.empty')} />;
  return <>{children}</>;
}
