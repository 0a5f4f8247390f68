/**
 * The phone screens' last reads, kept in localStorage so a page reloaded with no network shows
 * the count, pick wave or order it was working on, and its bins, and scans can go on into the
 * offline queue (web/src/scan/queue.ts). The service worker caches only the app's files, never
 * the API: this is the one place API answers outlive the page.
 *
 * Only the queries named in PHONE_READS (by the first element of their key) are kept; only for the
 * user who read them (another login, or logout, drops them); at most MAX_ENTRIES, oldest dropped.
 * On load they come back as stale data: online they are fetched again at once, offline they show.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { getSession, subscribeSession, type Session } from '../auth/session';

/** The phone's reads (web/src/mobile/*): keep in step with their query keys. */
const PHONE_READS = new Set(['warehouses', 'stock-counts', 'stock-count', 'storage-locations', 'pick-waves', 'pick-wave', 'purchase-orders', 'purchase-order']);
const STORAGE_KEY = 'cangku.offlineReads.v1';
const MAX_ENTRIES = 40;

interface Stored {
  owner: string;
  entries: Record<string, { key: QueryKey; data: unknown; at: number }>;
}

const ownerOf = (s: Session | null) => (s ? `${s.company}/${s.username}` : undefined);

function read(): Stored | undefined {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Stored | null;
    return parsed && typeof parsed.owner === 'string' && parsed.entries && typeof parsed.entries === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function write(stored: Stored | undefined): void {
  try {
    if (stored) localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage full: this cache is a convenience, the scan queue matters more */
  }
}

export function keepPhoneReadsOffline(queryClient: QueryClient): void {
  let owner = ownerOf(getSession());
  let stored = read();
  if (stored && stored.owner !== owner) {
    stored = undefined;
    write(undefined);
  }
  for (const entry of Object.values(stored?.entries ?? {})) queryClient.setQueryData(entry.key, entry.data, { updatedAt: entry.at });

  subscribeSession((session) => {
    const next = ownerOf(session);
    if (next === owner) return;
    owner = next;
    stored = undefined;
    write(undefined);
  });

  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || !owner) return;
    const { query } = event;
    if (!PHONE_READS.has(String(query.queryKey[0])) || query.state.data === undefined) return;
    const entries = { ...(stored?.owner === owner ? stored.entries : {}) };
    entries[query.queryHash] = { key: query.queryKey, data: query.state.data, at: query.state.dataUpdatedAt };
    const keep = Object.entries(entries).sort(([, a], [, b]) => b.at - a.at).slice(0, MAX_ENTRIES);
    stored = { owner, entries: Object.fromEntries(keep) };
    write(stored);
  });
}
