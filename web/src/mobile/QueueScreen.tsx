/** The scans not yet sent (waiting, retrying) and the ones the server refused, with why. */
import { Button, Empty, Tag } from 'antd';
import { Rows } from './Rows';
import { useI18n } from '../i18n';
import { scanQueue, useQueuedCommands } from '../scan/useScanQueue';

export default function QueueScreen() {
  const { t } = useI18n();
  const commands = useQueuedCommands();
  return (
    <div data-testid="queue-screen">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 style={{ fontSize: 18 }}>{t('m.queue')}</h2>
        <Button onClick={() => void scanQueue().flush({ force: true })} disabled={commands.length === 0}>{t('m.retryAll')}</Button>
      </div>
      <Rows
        items={commands}
        rowKey={(c) => c.id}
        empty={<Empty description={t('m.queueEmpty')} />}
        render={(c) => (
          <div data-testid="queued-command" data-state={c.state} style={{ background: '#fff', padding: 12, marginBottom: 8, borderRadius: 8 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <strong>{c.label}</strong>
              <Tag color={c.state === 'failed' ? 'red' : 'gold'}>{c.state === 'failed' ? t('m.refused') : t('m.waiting')}</Tag>
            </div>
            <div style={{ color: '#666', fontSize: 13 }}>{new Date(c.createdAt).toLocaleString()} · {t('m.attempts', { n: c.attempts })}</div>
            {c.lastError && (
              <div style={{ color: c.state === 'failed' ? '#a8071a' : '#ad6800', fontSize: 14 }}>
                {c.lastError.message}
                {c.lastError.fields?.map((f) => <div key={f.field}>{f.field}: {f.message}</div>)}
              </div>
            )}
            <div style={{ marginTop: 8, display: 'flex', gap: 8 }}>
              <Button size="small" onClick={() => (c.state === 'failed' ? scanQueue().requeue(c.id) : void scanQueue().flush({ force: true }))}>{t('m.retry')}</Button>
              <Button size="small" danger onClick={() => scanQueue().discard(c.id)}>{t('m.discard')}</Button>
            </div>
          </div>
        )}
      />
    </div>
  );
}
