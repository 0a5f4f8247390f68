/** API shapes of the pick wave screens (src/modules/picking/schemas.ts). */
import { useState } from 'react';
import { newIdempotencyKey } from '../../api/client';

export interface WaveSummary { id: number; number: string; warehouse: string; status: string; note: string | null; createdAt: string; tasks: number; openTasks: number }
export interface Task {
  id: number; number: string; seq: number; orderId: number; order: string; customer: string; line: number; bin: string; sku: string; name: string; unit: string;
  tracking: 'none' | 'lot' | 'serial'; lot: string | null; expiresOn: string | null; quantity: number; picked: number; short: number; packed: number;
  remaining: number; status: string;
}
export interface Wave { id: number; number: string; warehouse: string; status: string; note: string | null; createdAt: string; completedAt: string | null; orders: string[];
  progress: { tasks: number; open: number; done: number; closed: number }; tasks: Task[] }
/** GET /pick-waves/candidates: an order waiting for a wave. */
export interface Candidate { id: number; number: string; customer: string; status: string; priority: number; requestedOn: string | null; createdAt: string; lines: number; tasks: number; skus: string[] }

/** One idempotency key per command until it gets an answer (a double click or Enter does it once). */
export function useCommandKey(): [string, () => void] {
  const [key, setKey] = useState(newIdempotencyKey);
  return [key, () => setKey(newIdempotencyKey())];
}
