import { useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from '../api/client';
import { useI18n } from '../i18n';
import { applyApiError } from '../components/forms';
import type { Item } from '../hooks/useMasterData';

const FIELDS = ['sku', 'name', 'unit', 'unitPrecision', 'tracking', 'barcode', 'category', 'reorderPoint', 'safetyStock', 'reorderQuantity', 'archived'];
const REORDER_FIELDS = ['reorderPoint', 'safetyStock', 'reorderQuantity'] as const;

/** Create (no `item`) or edit an item in a drawer; the API's field errors land on the fields. */
export function ItemFormDrawer({ open, item, onClose, onSaved }: { open: boolean; item?: Item; onClose(): void; onSaved?(item: Item): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined) continue;
        body[k] = typeof v === 'string' ? (v.trim() === '' ? (k === 'barcode' || k === 'category' ? null : v) : v.trim()) : v;
      }
      if (!item) {
        for (const k of ['barcode', 'category', ...REORDER_FIELDS]) if (body[k] === null) delete body[k];
        return api.post<Item>('/items', body, { idempotencyKey: newIdempotencyKey() });
      }
      delete body.sku;
      return api.patch<Item>(`/items/${item.id}`, body);
    },
    onSuccess: (saved) => {
      message.success(item ? t('common.saved') : t('items.created', { sku: saved.sku }));
      void queryClient.invalidateQueries({ queryKey: ['/items'] });
      void queryClient.invalidateQueries({ queryKey: ['items'] });
      onSaved?.(saved);
      onClose();
    },
    onError: (e) => setError(applyApiError(form, e, FIELDS)),
  });

  return (
    <Drawer open={open} onClose={onClose} title={item ? t('items.edit') : t('items.new')} size={440} destroyOnHidden
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="item-save">{t('common.save')}</Button></Space>}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="item" preserve={false}
        initialValues={item ? { ...item, barcode: item.barcode ?? '', category: item.category ?? '' } : { unit: 'pcs', unitPrecision: 0, tracking: 'none' }}
        onFinish={(values) => { setError(undefined); save.mutate(values); }}>
        <Form.Item name="sku" label={t('field.sku')} rules={[{ required: true }]}>
          <Input disabled={Boolean(item)} autoFocus={!item} />
        </Form.Item>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true }]}>
          <Input autoFocus={Boolean(item)} />
        </Form.Item>
        <Space>
          <Form.Item name="unit" label={t('field.unit')} rules={[{ required: true }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="unitPrecision" label={t('field.unitPrecision')}>
            <InputNumber min={0} max={6} style={{ width: 100 }} />
          </Form.Item>
        </Space>
        <Form.Item name="tracking" label={t('field.tracking')}>
          <Select options={(['none', 'lot', 'serial'] as const).map((v) => ({ value: v, label: t(`tracking.${v}`) }))} />
        </Form.Item>
        <Form.Item name="barcode" label={t('field.barcode')}>
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('field.category')}>
          <Input />
        </Form.Item>
        {/* Reorder settings: in the item's unit; empty clears (null); the API checks the decimals. */}
        <Space wrap>
          {REORDER_FIELDS.map((k) => (
            <Form.Item key={k} name={k} label={t(`field.${k}`)}>
              <InputNumber min={0} style={{ width: 120 }} data-testid={`item-${k}`} />
            </Form.Item>
          ))}
        </Space>
        {item && (
          <Form.Item name="archived" label={t('common.archived')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Drawer>
  );
}
