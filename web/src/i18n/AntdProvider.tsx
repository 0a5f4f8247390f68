import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCNAntd from 'antd/locale/zh_CN';
import enUSAntd from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useI18n } from './index';

/**
 * Colours with at least 4.5:1 contrast for normal text (WCAG 2.1 AA, checked by
 * test/e2e/accessibility.test.ts): antd's default blue #1677ff is 4.1:1 against white and its
 * red #ff4d4f 3.3:1, so primary, link, info (the "processing" tag) and error colours are one shade
 * darker (blue-7, red-7); secondary text and placeholders (black at 45% and 25%: 3.4:1 and 1.6:1)
 * are darker greys. A coloured tag writes shade 7 of its palette on shade 1: for the light
 * palettes that is 2-4.4:1, so their shade 7 is replaced by shade 8 or 9 (5-6.6:1).
 */
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    colorInfo: '#0958d9',
    colorError: '#cf1322',
    // Both spellings: each becomes the CSS variable --ant-green-7, the later one wins.
    green7: '#237804', 'green-7': '#237804',
    cyan7: '#006d75', 'cyan-7': '#006d75',
    gold7: '#874d00', 'gold-7': '#874d00',
    orange7: '#ad4e00', 'orange-7': '#ad4e00',
    volcano7: '#ad2102', 'volcano-7': '#ad2102',
    yellow7: '#876800', 'yellow-7': '#876800',
    lime7: '#3f6600', 'lime-7': '#3f6600',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
};

/** Ant Design's own texts (pagination, empty states, date pickers) follow the chosen language. */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCNAntd : enUSAntd} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
