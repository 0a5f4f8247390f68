/**
 * The offline scan queue: every command a scan screen posts (count entries, receipts, put-away
 * moves, pick confirmations) goes through here, so a flaky warehouse Wi-Fi never loses a scan.
 *
 * - Each command gets its Idempotency-Key when it is queued, and keeps it across retries and page
 *   reloads: a request whose answer was lost is sent again with the same key, and the server
 *   replays the first answer instead of doing it twice.
 * - The queue is persisted (localStorage) before anything is sent; commands go out one at a time
 *   in the order they were scanned (entering the same count line twice: the last one wins).
 * - Network errors, 408/429 and 5xx are retried with exponential backoff and jitter; any other
 *   answer is final: success removes the command, a 4xx (unknown bin, insufficient stock, ...)
 *   keeps it as `failed` for the user to see, fix and discard, and the rest of the queue goes on.
 * - Bounded (TigerBeetle's rule: every queue has a limit): beyond MAX_QUEUE the scan is refused
 *   loudly rather than memory growing without end.
 *
 * Pure logic over injected storage, clock, timers and transport, so Node unit tests drive it.
 */

export interface QueuedCommand {
  /** Also the Idempotency-Key. */
  id: string;
  method: 'POST';
  path: string;
  body: unknown;
  /** What the user sees in the queue list, e.g. "A-01 · BOLT × 3". */
  label: string;
  /** Who queued it: only that user's session sends it. */
  owner: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: 'pending' | 'failed';
  lastError?: { status: number; code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

export type SendResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number; code: string; message: string; fields?: Array<{ field: string; message: string }> };

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface QueueDeps {
  storage: KeyValueStorage;
  send(command: QueuedCommand): Promise<SendResult>;
  /** The user whose commands may be sent now (undefined: logged out, send nothing). */
  currentOwner(): string | undefined;
  newId(): string;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  storageKey?: string;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export type QueueEvent =
  | { type: 'sent'; command: QueuedCommand; status: number; body: unknown }
  | { type: 'failed'; command: QueuedCommand }
  | { type: 'retrying'; command: QueuedCommand; delayMs: number }
  | { type: 'changed' };

export const MAX_QUEUE = 500;
const STORAGE_KEY = 'cangku.scanQueue.v1';

export class QueueFullError extends Error {
  constructor() {
    super(`the scan queue holds ${MAX_QUEUE} unsent scans: reconnect before scanning more`);
    this.name = 'QueueFullError';
  }
}

/** Retryable: the request may not have reached the server, or the server could not answer it now. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status === 401 || status >= 500;
}

export class ScanQueue {
  private items: QueuedCommand[];
  private flushing = false;
  private timer: unknown;
  private readonly listeners = new Set<(e: QueueEvent) => void>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly key: string;

  constructor(private readonly deps: QueueDeps) {
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.key = deps.storageKey ?? STORAGE_KEY;
    this.items = this.load();
  }

  private load(): QueuedCommand[] {
    try {
      const parsed = JSON.parse(this.deps.storage.getItem(this.key) ?? '[]') as QueuedCommand[];
      return Array.isArray(parsed) ? parsed.filter((c) => c && typeof c.id === 'string' && typeof c.path === 'string') : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    this.deps.storage.setItem(this.key, JSON.stringify(this.items));
    this.emit({ type: 'changed' });
  }

  private emit(event: QueueEvent): void {
    for (const l of this.listeners) l(event);
  }

  subscribe(listener: (e: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A copy of the queue, oldest first. */
  list(): QueuedCommand[] {
    return this.items.map((c) => ({ ...c }));
  }

  pendingCount(owner = this.deps.currentOwner()): number {
    return this.items.filter((c) => c.state === 'pending' && c.owner === owner).length;
  }

  /** Persists the command with a fresh idempotency key, then tries to send. Returns the command. */
  enqueue(input: { path: string; body: unknown; label: string }): QueuedCommand {
    const owner = this.deps.currentOwner();
    if (!owner) throw new Error('log in before scanning');
    if (this.items.length >= MAX_QUEUE) throw new QueueFullError();
    const command: QueuedCommand = {
      id: this.deps.newId(), method: 'POST', path: input.path, body: input.body, label: input.label, owner,
      createdAt: this.now(), attempts: 0, nextAttemptAt: 0, state: 'pending',
    };
    this.items.push(command);
    this.save();
    void this.flush();
    return { ...command };
  }

  /** A refused command sent again (the cause was fixed meanwhile, e.g. the count was started). Same key. */
  requeue(id: string): void {
    const command = this.items.find((c) => c.id === id);
    if (!command || command.state !== 'failed') return;
    command.state = 'pending';
    command.nextAttemptAt = 0;
    this.save();
    void this.flush({ force: true });
  }

  discard(id: string): void {
    this.items = this.items.filter((c) => c.id !== id);
    this.save();
  }

  /** Sends everything due now (or everything pending with `force`, e.g. back online / "retry now"). */
  async flush(options: { force?: boolean } = {}): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    this.cancelTimer();
    try {
      for (;;) {
        const owner = this.deps.currentOwner();
        const next = this.items.find((c) => c.state === 'pending' && c.owner === owner);
        if (!next) return;
        if (!options.force && next.nextAttemptAt > this.now()) {
          this.schedule(next.nextAttemptAt - this.now());
          return;
        }
        let result: SendResult;
        try {
          result = await this.deps.send(next);
        } catch (error) {
          result = { ok: false, status: 0, code: 'network', message: (error as Error).message };
        }
        const current = this.items.find((c) => c.id === next.id);
        if (!current) continue; // discarded while in flight
        if (result.ok) {
          this.items = this.items.filter((c) => c.id !== next.id);
          this.save();
          this.emit({ type: 'sent', command: current, status: result.status, body: result.body });
          continue;
        }
        current.attempts += 1;
        current.lastError = { status: result.status, code: result.code, message: result.message, ...(result.fields ? { fields: result.fields } : {}) };
        if (isTransient(result.status)) {
          const delayMs = this.backoff(current.attempts);
          current.nextAttemptAt = this.now() + delayMs;
          this.save();
          this.emit({ type: 'retrying', command: { ...current }, delayMs });
          // Order matters (a recount replaces a count): nothing behind it goes first.
          this.schedule(delayMs);
          return;
        }
        current.state = 'failed';
        this.save();
        this.emit({ type: 'failed', command: { ...current } });
        options = { ...options, force: false };
      }
    } finally {
      this.flushing = false;
    }
  }

  /** 1 s, 2 s, 4 s, ... up to 60 s, with ±25% jitter so many phones do not retry in step. */
  backoff(attempts: number): number {
    const base = this.deps.baseDelayMs ?? 1000;
    const max = this.deps.maxDelayMs ?? 60_000;
    const exp = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
    return Math.round(exp * (0.75 + this.random() * 0.5));
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    const setTimer = this.deps.setTimer ?? ((fn: () => void, delay: number) => setTimeout(fn, delay));
    this.timer = setTimer(() => void this.flush(), Math.max(0, ms));
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    (this.deps.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = undefined;
  }

  /** Stops the retry timer (tests, logout). */
  stop(): void {
    this.cancelTimer();
  }
}
