import { Select } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { LOCALES, useI18n, type Locale } from '../i18n';

export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <span data-testid="language-switch"><Select<Locale>
      aria-label={t('header.language')}
      value={locale}
      onChange={setLocale}
      options={LOCALES.map((l) => ({ value: l.value, label: l.label }))}
      suffixIcon={<GlobalOutlined />}
      style={{ width: 120 }}
      variant="borderless"
    /></span>
  );
}
