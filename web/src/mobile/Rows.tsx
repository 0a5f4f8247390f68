/** A plain list of rows (antd's List is deprecated in 6.6): loading, empty text, one row per item. */
import type { ReactNode } from 'react';
import { Spin } from 'antd';

export function Rows<T>({ items, render, empty, loading, rowKey }: { items: T[]; render(item: T): ReactNode; empty?: ReactNode; loading?: boolean; rowKey(item: T, index: number): string | number }) {
  if (loading) return <div style={{ textAlign: 'center', padding: 24 }}><Spin /></div>;
  if (items.length === 0) return <div style={{ color: '#666', padding: '12px 0' }}>{empty}</div>;
  return <div role="list">{items.map((item, i) => <div role="listitem" key={rowKey(item, i)}>{render(item)}</div>)}</div>;
}

/** The card look of a tappable or informative row. */
export const rowStyle = { background: '#fff', padding: '10px 12px', marginBottom: 8, borderRadius: 8, display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 } as const;
