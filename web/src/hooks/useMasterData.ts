import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

export interface Warehouse {
  id: number;
  code: string;
  name: string;
  stockLocation: string;
  createdAt: string;
  updatedAt: string;
}

export interface Item {
  id: number;
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'lot' | 'serial';
  barcode: string | null;
  category: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  /** Reorder settings in the item's unit (null: not set). */
  reorderPoint?: number | null;
  safetyStock?: number | null;
  reorderQuantity?: number | null;
}

export interface Partner {
  id: number;
  code: string;
  name: string;
  kind: 'supplier' | 'customer' | 'both';
  paymentTermsDays: number;
  leadTimeDays: number;
  archived: boolean;
  contacts: Array<{ name: string; phone?: string; email?: string; role?: string }>;
  addresses: Array<{ line1: string; city?: string; country?: string }>;
  createdAt: string;
  updatedAt: string;
}

export function useWarehouses() {
  return useQuery({ queryKey: ['warehouses'], queryFn: () => api.get<{ items: Warehouse[] }>('/warehouses').then((r) => r.items), staleTime: 60_000 });
}

/** Options for an item picker: the first 20 matches of what was typed. */
export function useItemSearch(q: string) {
  return useQuery({
    queryKey: ['items', 'search', q],
    queryFn: () => api.get<{ items: Item[] }>('/items', { q, limit: 20 }).then((r) => r.items),
    staleTime: 30_000,
  });
}

export function usePartnerSearch(q: string, kind?: 'supplier' | 'customer') {
  return useQuery({
    queryKey: ['partners', 'search', q, kind],
    queryFn: () => api.get<{ items: Partner[] }>('/partners', { q, kind, limit: 20 }).then((r) => r.items),
    staleTime: 30_000,
  });
}
