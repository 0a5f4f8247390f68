/**
 * Server-sent events over fetch: EventSource cannot send the Authorization header, and a token
 * must never be put in a URL, so the stream is read with fetch and parsed here.
 */
import { apiUrl, authHeaders } from '../api/client';

export interface LiveEvent {
  id: number;
  type: string;
  at?: string;
  [key: string]: unknown;
}

export interface LiveStreamOptions {
  onEvent(event: LiveEvent): void;
  onStatus?(status: 'connecting' | 'open' | 'closed'): void;
  signal: AbortSignal;
}

/** Parse an SSE byte stream into events; returns when the stream ends. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (type: string, data: string, id?: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let type = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue; // heartbeat comment
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
        else if (field === 'id') id = text;
      }
      if (data.length > 0) onEvent(type, data.join('\n'), id);
    }
  }
}

/** Keep a live stream open (reconnecting with back-off) until `signal` aborts. */
export async function openLiveStream({ onEvent, onStatus, signal }: LiveStreamOptions): Promise<void> {
  let lastId: string | undefined;
  let delay = 1000;
  while (!signal.aborted) {
    onStatus?.('connecting');
    try {
      const response = await fetch(apiUrl('/live', lastId ? { after: lastId } : undefined), {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        onStatus?.('closed');
        return; // logged out: the session handles it
      }
      if (!response.ok || !response.body) throw new Error(`live stream: HTTP ${response.status}`);
      onStatus?.('open');
      delay = 1000;
      await readEvents(response.body, (type, data, id) => {
        if (id) lastId = id;
        if (type === 'ready') return;
        try {
          onEvent({ ...(JSON.parse(data) as LiveEvent), type });
        } catch {
          /* a malformed event is skipped */
        }
      });
    } catch (error) {
      if (signal.aborted) break;
      void error;
    }
    onStatus?.('closed');
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}
