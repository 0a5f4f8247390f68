import { useState } from 'react';
import { AutoComplete, Select } from 'antd';
import { useItemSearch, usePartnerSearch, useWarehouses } from '../hooks/useMasterData';
import { useI18n } from '../i18n';

type Controlled<T> = { value?: T; onChange?: (value: T) => void; id?: string; 'aria-label'?: string; status?: '' | 'error' };

export function WarehouseSelect({ value, onChange, allowAll, ...rest }: Controlled<string | undefined> & { allowAll?: boolean; style?: React.CSSProperties }) {
  const { t } = useI18n();
  const { data = [], isLoading } = useWarehouses();
  return (
    <Select<string | undefined>
      {...rest}
      value={value}
      onChange={(v) => onChange?.(v)}
      loading={isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear={allowAll}
      placeholder={allowAll ? t('header.allWarehouses') : t('field.warehouse')}
      options={data.map((w) => ({ value: w.code, label: `${w.code} · ${w.name}` }))}
    />
  );
}

/** Pick an item by SKU, name or barcode; the value is the SKU. Searches the server as you type. */
export function ItemSelect({ value, onChange, ...rest }: Controlled<string | undefined> & { style?: React.CSSProperties }) {
  const [q, setQ] = useState('');
  const { data = [], isFetching } = useItemSearch(q);
  const options = data.map((i) => ({ value: i.sku, label: `${i.sku} · ${i.name}` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: value });
  return (
    <Select<string | undefined>
      {...rest}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      options={options}
      style={{ minWidth: 200, ...rest.style }}
    />
  );
}

/** A partner code, with suggestions; free text stays allowed (sales orders name any customer). */
export function PartnerInput({ value, onChange, kind, ...rest }: Controlled<string | undefined> & { kind: 'supplier' | 'customer' }) {
  const [q, setQ] = useState('');
  const { data = [] } = usePartnerSearch(q, kind);
  return (
    <AutoComplete
      {...rest}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      onSearch={setQ}
      options={data.map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))}
    />
  );
}
