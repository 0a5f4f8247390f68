/** Approve (optional comment) or reject (mandatory reason) the current step, possibly on behalf of a delegator. */
import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useI18n } from '../i18n';
import { applyApiError } from '../components/forms';

export interface DecideTarget { approval: number; decision: 'approve' | 'reject'; documentNumber: string; asSelf: boolean; onBehalfOf: string[] }

export function DecideModal({ target, onClose }: { target?: DecideTarget; onClose(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const reject = target?.decision === 'reject';
  const decide = useMutation({
    mutationFn: (v: { text?: string; onBehalfOf?: string }) => api.post(`/approvals/${target!.approval}/${target!.decision}`, {
      ...(reject ? { reason: v.text ?? '' } : v.text?.trim() ? { comment: v.text.trim() } : {}),
      ...(v.onBehalfOf ? { onBehalfOf: v.onBehalfOf } : {}),
    }),
    onSuccess: () => {
      message.success(t(reject ? 'adm.appr.rejected' : 'adm.appr.approved'));
      void queryClient.invalidateQueries({ queryKey: ['/approvals'] });
      close();
    },
    onError: (e) => {
      const fixed = e as { fieldErrors?: Array<{ field: string }> };
      for (const f of fixed.fieldErrors ?? []) f.field = f.field.replace(/^(reason|comment)$/, 'text');
      setError(applyApiError(form, e, ['text', 'onBehalfOf']));
    },
  });
  const close = () => { setError(undefined); decide.reset(); onClose(); };
  const options = [...(target?.asSelf ? [{ value: '', label: t('adm.appr.asSelf') }] : []), ...(target?.onBehalfOf ?? []).map((u) => ({ value: u, label: t('adm.appr.onBehalfOf', { name: u }) }))];
  return (
    <Modal open={Boolean(target)} destroyOnHidden onCancel={close} onOk={() => form.submit()} confirmLoading={decide.isPending}
      title={t(reject ? 'adm.appr.rejectTitle' : 'adm.appr.approveTitle', { doc: target?.documentNumber ?? '' })}
      okText={t(reject ? 'adm.appr.reject' : 'adm.appr.approve')} okButtonProps={{ danger: reject, 'data-testid': 'decide-ok' } as never}>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" name="decide" preserve={false}
        initialValues={{ onBehalfOf: target?.asSelf ? '' : target?.onBehalfOf[0] }}
        onFinish={(v) => { setError(undefined); decide.mutate({ text: v.text, onBehalfOf: v.onBehalfOf || undefined }); }}>
        {options.length > 1 && <Form.Item name="onBehalfOf" label={t('adm.appr.signAs')}><Select options={options} /></Form.Item>}
        {options.length === 1 && !target?.asSelf && <Form.Item name="onBehalfOf" hidden><Input /></Form.Item>}
        <Form.Item name="text" label={t(reject ? 'adm.appr.reason' : 'adm.appr.comment')} rules={reject ? [{ required: true, whitespace: true, message: t('adm.appr.reasonRequired') }] : []}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
