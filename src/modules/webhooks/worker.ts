import type { Store } from '../../db/store.js';
import { deliverDue, type DeliveryOptions } from './deliver.js';

export interface WebhookWorkerOptions extends Omit<DeliveryOptions, 'signal' | 'stopSignal'> {
  /** How long `stop` lets an attempt in flight finish before aborting it (default: timeoutMs + 1 s). */
  stopGraceMs?: number;
  /** Pause between turns (default 1 s). */
  intervalMs?: number;
  /** Where a failed turn is reported (the server's logger). */
  log?: { error(object: unknown, message: string): void };
}

export interface WebhookWorker {
  /**
   * Stop: no new turn or attempt starts; the attempt in flight may finish and be recorded within
   * the grace period (else it is aborted and sent again later); returns when the turn is over.
   */
  stop(): Promise<void>;
}

/**
 * The background loop of the server: one `deliverDue` turn after another, `intervalMs` apart
 * (never two at once). Its timer does not keep the process alive, and `stop` returns only when
 * the worker no longer touches the store, so the store can be closed right after.
 */
export function startWebhookWorker(store: Store, options: WebhookWorkerOptions = {}): WebhookWorker {
  const { intervalMs = 1000, log, stopGraceMs, ...delivery } = options;
  const abort = new AbortController();
  const stopping = new AbortController();
  let stopped = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(turn, intervalMs);
    timer.unref();
  };
  const turn = () => {
    running = deliverDue(store, new Date(), { ...delivery, signal: abort.signal, stopSignal: stopping.signal })
      .then(() => undefined, (error: unknown) => {
        if (!stopped) log?.error({ err: error }, 'webhook delivery turn failed');
      })
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      stopping.abort();
      if (running) {
        // An aborted attempt the receiver already accepted would be sent twice: let it finish.
        const grace = stopGraceMs ?? (delivery.timeoutMs ?? 10_000) + 1_000;
        let timeout: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise<void>((resolve) => (timeout = setTimeout(resolve, grace)))]);
        clearTimeout(timeout);
      }
      abort.abort();
      await running;
    },
  };
}
