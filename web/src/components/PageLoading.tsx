import { Spin } from 'antd';
import { translate } from '../i18n';

export function PageLoading() {
  return (
    <div role="status" aria-live="polite" style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: 240 }}>
      <Spin description={translate('app.loading')}><div style={{ width: 80, height: 40 }} /></Spin>
    </div>
  );
}
