import { Button, Space } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';

export function Pager({ page, hasNext, hasPrevious, next, previous }: { page: number; hasNext: boolean; hasPrevious: boolean; next(): void; previous(): void }) {
  const { locale } = useI18n();
  return (
    <nav aria-label="pagination" style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 12 }}>
      <Space>
        <Button icon={<LeftOutlined />} disabled={!hasPrevious} onClick={previous} aria-label={locale === 'en' ? 'Previous page' : '上一页'} />
        <span aria-live="polite">{page}</span>
        <Button icon={<RightOutlined />} disabled={!hasNext} onClick={next} aria-label={locale === 'en' ? 'Next page' : '下一页'} />
      </Space>
    </nav>
  );
}
