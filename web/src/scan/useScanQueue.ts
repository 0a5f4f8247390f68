/**
 * The one scan queue of this browser, wired to the API client and the session, and React hooks
 * over it. Retries on `online`, when the tab comes back, and every 15 s as a safety net.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { ApiError, newIdempotencyKey, request } from '../api/client';
import { getSession } from '../auth/session';
import { ScanQueue, type QueuedCommand, type QueueEvent, type SendResult } from './queue.js';

let queue: ScanQueue | undefined;
let snapshot: QueuedCommand[] = [];

async function send(command: QueuedCommand): Promise<SendResult> {
  try {
    const body = await request(command.method, command.path, { body: command.body, idempotencyKey: command.id });
    return { ok: true, status: 200, body };
  } catch (error) {
    if (error instanceof ApiError) {
      return { ok: false, status: error.status, code: error.code, message: error.message, ...(error.fieldErrors.length ? { fields: error.fieldErrors } : {}) };
    }
    if ((error as Error).name === 'AbortError') return { ok: false, status: 0, code: 'network', message: 'aborted' };
    throw error;
  }
}

export function scanQueue(): ScanQueue {
  if (queue) return queue;
  const q = new ScanQueue({
    storage: localStorage,
    send,
    newId: newIdempotencyKey,
    currentOwner: () => {
      const s = getSession();
      return s ? `${s.company}/${s.username}` : undefined;
    },
  });
  queue = q;
  snapshot = q.list();
  q.subscribe((e) => {
    if (e.type === 'changed') snapshot = q.list();
  });
  const retry = () => void q.flush({ force: true });
  window.addEventListener('online', retry);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && retry());
  setInterval(() => void q.flush(), 15_000);
  void q.flush({ force: true });
  // Tests and support staff can look at the queue from the console.
  (window as unknown as { __cangkuScanQueue?: ScanQueue }).__cangkuScanQueue = q;
  return q;
}

/** The queued commands (oldest first), re-rendering on every change. */
export function useQueuedCommands(): QueuedCommand[] {
  const q = scanQueue();
  return useSyncExternalStore(
    (listener) => q.subscribe((e) => e.type === 'changed' && listener()),
    () => snapshot,
  );
}

/** Calls `listener` for every queue event while mounted (e.g. refresh a count when its entry was sent). */
export function useQueueEvents(listener: (e: QueueEvent) => void): void {
  useEffect(() => scanQueue().subscribe(listener), [listener]);
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('online', listener);
      window.addEventListener('offline', listener);
      return () => {
        window.removeEventListener('online', listener);
        window.removeEventListener('offline', listener);
      };
    },
    () => navigator.onLine,
  );
}
