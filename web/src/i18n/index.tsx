/**
 * Messages in Chinese (default) and English. Pages call `useI18n().t('key', { n: 3 })`; other parts
 * of the app (the mobile screens) add their own keys with `registerMessages({ 'zh-CN': {...}, en: {...} })`.
 * A missing English text falls back to Chinese, a missing key shows the key itself.
 */
import { useSyncExternalStore } from 'react';
import { zhCN } from './zh-CN';
import { en } from './en';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: ReadonlyArray<{ value: Locale; label: string }> = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];
export type Messages = Record<string, string>;

const catalog: Record<Locale, Messages> = { 'zh-CN': { ...zhCN }, en: { ...en } };
const LOCALE_KEY = 'cangku.locale';
let locale: Locale = readLocale();
let version = 0;
const listeners = new Set<() => void>();

function readLocale(): Locale {
  try {
    const stored = localStorage.getItem(LOCALE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage blocked: default */
  }
  return 'zh-CN';
}

function notify(): void {
  version++;
  document.documentElement.lang = locale;
  for (const l of listeners) l();
}

export function registerMessages(messages: Partial<Record<Locale, Messages>>): void {
  for (const [loc, entries] of Object.entries(messages) as Array<[Locale, Messages]>) {
    if (catalog[loc]) Object.assign(catalog[loc], entries);
  }
  notify();
}

export function getLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  if (next === locale) return;
  locale = next;
  try {
    localStorage.setItem(LOCALE_KEY, next);
  } catch {
    /* not remembered */
  }
  notify();
}

/** Translate outside React (message boxes, column factories). `{name}` placeholders take vars. */
export function translate(key: string, vars?: Record<string, string | number>, loc: Locale = locale): string {
  const text = catalog[loc][key] ?? catalog['zh-CN'][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (vars[name] === undefined ? m : String(vars[name]))) : text;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useI18n(): { t: typeof translate; locale: Locale; setLocale: typeof setLocale } {
  useSyncExternalStore(subscribe, () => version);
  const current = useSyncExternalStore(subscribe, () => locale);
  return { t: (key, vars) => translate(key, vars, current), locale: current, setLocale };
}

if (typeof document !== 'undefined') document.documentElement.lang = locale;
