import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { translate } from '../i18n';

/**
 * Show an API refusal on the form: each `errors[].field` (`lines.0.quantity`) on its form field
 * (`['lines', 0, 'quantity']`), and return the message for what has no field on the form.
 */
export function applyApiError(form: FormInstance, error: unknown, knownFields?: string[]): string | undefined {
  if (!(error instanceof ApiError)) return (error as Error)?.message ?? String(error);
  const shown = new Set<string>();
  const fields: Array<{ name: Array<string | number>; errors: string[] }> = [];
  for (const e of error.fieldErrors) {
    const path = e.field.replace(/^body\./, '');
    const name = path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const known = knownFields ? knownFields.includes(String(name[0])) : form.getFieldInstance(name as never) !== undefined || name.length > 1;
    if (!known) continue;
    fields.push({ name, errors: [e.message] });
    shown.add(e.field);
  }
  if (fields.length > 0) form.setFields(fields as never);
  const rest = error.fieldErrors.filter((e) => !shown.has(e.field));
  if (fields.length > 0 && rest.length === 0) return translate('error.validation');
  return describeError(error);
}

/** A one-line text for an error (problem detail, or the code's translation). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const title = translate(`error.${error.code}`);
    const detail = error.problem.detail;
    return detail ? (title.startsWith('error.') ? detail : `${title}: ${detail}`) : title.startsWith('error.') ? error.message : title;
  }
  return (error as Error)?.message ?? String(error);
}
