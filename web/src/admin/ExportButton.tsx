/**
 * "导出 / Export" for a list screen: the screen's current filters go to GET /exports/{resource}
 * as CSV or XLSX; the file is fetched with the session's token and saved. Shown only to users
 * with `export.run`.
 */
import { useState } from 'react';
import { App, Button, Dropdown } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';
import { describeError } from '../components/forms';
import { downloadFile } from './download';
import { useMe } from './me';
import './i18n';

export function ExportButton({ resource, filters = {} }: { resource: string; filters?: Record<string, string | number | boolean | null | undefined> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useMe();
  const [busy, setBusy] = useState(false);
  if (!can('export.run')) return null;
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      await downloadFile(`/exports/${resource}`, { ...filters, format }, `${resource}.${format}`);
    } catch (e) {
      message.error(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown menu={{ items: [{ key: 'xlsx', label: t('adm.export.xlsx') }, { key: 'csv', label: t('adm.export.csv') }], onClick: ({ key }) => void run(key as 'csv' | 'xlsx') }}>
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={`export-${resource}`}>{t('adm.export')}</Button>
    </Dropdown>
  );
}

export default ExportButton;
