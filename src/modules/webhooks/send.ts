import { performance } from 'node:perf_hooks';
import { VERSION } from '../../version.js';
import type { FeedEvent } from '../events/model.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

/** What one HTTP attempt came to; recorded in the delivery log as it is. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
}

export interface SendOptions {
  /** Give up on a receiver that has not answered after this long. */
  timeoutMs: number;
  /** Aborts the attempt when the worker stops. */
  signal?: AbortSignal;
}

/** How much of a receiver's answer is kept in the log (enough to see an error message). */
const EXCERPT_CHARS = 500;

/**
 * POST one event to a receiver, signed. Only a 2xx answer counts as delivered; redirects are not
 * followed (a moved endpoint should be updated, not silently chased), and the answer's body is read
 * only up to a small bound so a receiver cannot make the worker buffer megabytes.
 */
export async function sendEvent(url: string, secret: string, event: FeedEvent, attempt: number, options: SendOptions): Promise<AttemptOutcome> {
  const body = JSON.stringify(event);
  // The signature's time is the real clock (receivers compare it with theirs), never a test's "now".
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any(signals),
      headers: {
        'content-type': 'application/json',
        'user-agent': `Cangku-Webhooks/${VERSION}`,
        'cangku-event-id': String(event.id),
        'cangku-event-type': event.type,
        'cangku-event-position': String(event.position),
        'cangku-delivery-attempt': String(attempt),
        [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, body, timestamp),
      },
      body,
    });
    const excerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, responseExcerpt: excerpt, durationMs: elapsed(started) };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeError(error, options), responseExcerpt: null, durationMs: elapsed(started) };
  }
}

const elapsed = (started: number) => Math.max(0, Math.round(performance.now() - started));

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    /* a broken answer body does not change the status we got */
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text === '' ? null : text.slice(0, EXCERPT_CHARS);
}

function describeError(error: unknown, options: SendOptions): string {
  if (options.signal?.aborted) return 'aborted: the worker stopped';
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `timeout after ${options.timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return `${e.message ?? String(error)}${cause ? ` (${cause})` : ''}`.slice(0, EXCERPT_CHARS);
}
