import { useState } from 'react';
import { Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useParams } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useAuth } from '../auth/AuthContext';
import { useCursorList } from '../hooks/useCursorList';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { fieldLabel, renderValue } from '../components/values';
import { codeLabelKey, documentType, type Doc } from './config';

export default function DocumentListPage() {
  const { type: typeKey } = useParams();
  const type = documentType(typeKey);
  const { t } = useI18n();
  const { warehouse } = useAuth();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>();
  const [q, setQ] = useState('');
  const params: Record<string, string | undefined> = { status, q: q || undefined };
  if (type?.warehouseParam && warehouse) params[type.warehouseParam] = warehouse;
  const list = useCursorList<Doc>(type?.path ?? '/none', params);
  if (!type) return <Navigate to="/" replace />;

  const title = t(`doc.${type.key}`);
  const codeLabel = (name: string, value: unknown) => {
    const key = codeLabelKey(type, name, value);
    return key && t(key) !== key ? t(key) : undefined;
  };
  const columns = type.columns.map((name) => ({
    key: name,
    dataIndex: name,
    title: fieldLabel(name === 'createdAt' ? 'createdAt' : name),
    render: (value: unknown, row: Doc) =>
      name === 'number' ? <Link to={`/documents/${type.key}/${row.id}`}>{String(value ?? row.id)}</Link> : codeLabel(name, value) ?? renderValue(name, value, row),
  }));

  return (
    <Card
      title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{title}</Typography.Title>}
      extra={
        <Space wrap>
          {type.search && <Input.Search allowClear placeholder={t('common.search')} aria-label={t('common.search')} style={{ width: 220 }} onSearch={(v) => setQ(v.trim())} />}
          {type.statuses && (
            <Select allowClear placeholder={t('common.status')} aria-label={t('common.status')} style={{ width: 160 }} value={status} onChange={setStatus}
              options={type.statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.refresh')} />
          {type.create && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/documents/${type.key}/new`)} data-testid="document-new">
              {t('documents.new')}
            </Button>
          )}
        </Space>
      }
    >
      <QueryState isLoading={list.isLoading} error={list.error} refetch={() => void list.refetch()}>
        <Table<Doc>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.isFetching && !list.isLoading}
          pagination={false}
          scroll={{ x: true }}
          onRow={(row) => ({ onDoubleClick: () => navigate(`/documents/${type.key}/${row.id}`) })}
        />
        <Pager page={list.page} hasNext={list.hasNext} hasPrevious={list.hasPrevious} next={list.next} previous={list.previous} />
      </QueryState>
    </Card>
  );
}
