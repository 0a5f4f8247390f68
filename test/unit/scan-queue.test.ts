import { describe, expect, it } from 'vitest';
import { MAX_QUEUE, QueueFullError, ScanQueue, type KeyValueStorage, type QueuedCommand, type SendResult } from '../../web/src/scan/queue.js';

/** The offline scan queue over a fake storage, clock, timer and network. */
function harness(options: { owner?: string } = {}) {
  const store = new Map<string, string>();
  const storage: KeyValueStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) };
  let clock = 1_000_000;
  let owner: string | undefined = options.owner ?? 'cora';
  let seq = 0;
  const sent: Array<{ id: string; path: string }> = [];
  const answers: SendResult[] = [];
  const timers: Array<{ at: number; fn: () => void }> = [];
  const make = () =>
    new ScanQueue({
      storage,
      currentOwner: () => owner,
      newId: () => `key-${++seq}`,
      now: () => clock,
      random: () => 0.5,
      setTimer: (fn, ms) => {
        const t = { at: clock + ms, fn };
        timers.push(t);
        return t;
      },
      clearTimer: (h) => {
        const i = timers.indexOf(h as (typeof timers)[number]);
        if (i >= 0) timers.splice(i, 1);
      },
      send: async (c: QueuedCommand) => {
        sent.push({ id: c.id, path: c.path });
        const answer = answers.shift();
        if (!answer) throw new Error('offline');
        return answer;
      },
    });
  return {
    store, sent, answers, timers, make,
    setOwner: (o: string | undefined) => (owner = o),
    advance: async (ms: number) => {
      clock += ms;
      for (const t of timers.filter((x) => x.at <= clock)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const ok = (status = 200): SendResult => ({ ok: true, status, body: {} });
const fail = (status: number, code = 'x'): SendResult => ({ ok: false, status, code, message: `HTTP ${status}` });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('offline scan queue', () => {
  it('persists a scan before sending it and removes it once the server took it', async () => {
    const h = harness();
    h.answers.push(ok(201));
    const q = h.make();
    const events: string[] = [];
    q.subscribe((e) => events.push(e.type));
    const c = q.enqueue({ path: '/stock-counts/1/entries', body: { entries: [] }, label: 'A-01 · BOLT × 3' });
    expect(JSON.parse(h.store.get('cangku.scanQueue.v1')!)[0]).toMatchObject({ id: c.id, state: 'pending' });
    await settle();
    expect(h.sent).toEqual([{ id: 'key-1', path: '/stock-counts/1/entries' }]);
    expect(q.list()).toEqual([]);
    expect(JSON.parse(h.store.get('cangku.scanQueue.v1')!)).toEqual([]);
    expect(events).toContain('sent');
  });

  it('retries a lost request with the same idempotency key, backing off exponentially, in scan order', async () => {
    const h = harness();
    const q = h.make();
    q.enqueue({ path: '/a', body: 1, label: 'first' });
    await settle();
    q.enqueue({ path: '/b', body: 2, label: 'second' }); // queued behind the first while it waits
    await settle();
    expect(h.sent.map((s) => s.id)).toEqual(['key-1']); // offline: the second waits behind the first
    expect(q.list()[0]).toMatchObject({ attempts: 1, lastError: { status: 0 } });
    expect(h.timers[0]!.at - 1_000_000).toBe(1000);

    h.answers.push(fail(503));
    await h.advance(1000);
    expect(h.sent.map((s) => s.id)).toEqual(['key-1', 'key-1']);
    expect(q.list()[0]!.attempts).toBe(2);
    expect(q.backoff(2)).toBe(2000);
    expect(q.backoff(3)).toBe(4000);
    expect(q.backoff(30)).toBe(60_000);

    h.answers.push(ok(), ok());
    await h.advance(1999);
    expect(h.sent.length).toBe(2); // not yet due
    await h.advance(1);
    expect(h.sent.map((s) => s.id)).toEqual(['key-1', 'key-1', 'key-1', 'key-2']);
    expect(q.list()).toEqual([]);
  });

  it('survives a reload: a new queue on the same storage sends what the old one could not', async () => {
    const h = harness();
    const first = h.make();
    first.enqueue({ path: '/a', body: { n: 1 }, label: 'one' });
    await settle();
    first.stop();
    h.answers.push(ok());
    const second = h.make();
    expect(second.list()).toMatchObject([{ id: 'key-1', body: { n: 1 }, attempts: 1 }]);
    await second.flush({ force: true });
    expect(h.sent.map((s) => s.id)).toEqual(['key-1', 'key-1']);
    expect(second.list()).toEqual([]);
  });

  it('keeps a refused scan as failed with its field errors and goes on with the rest', async () => {
    const h = harness();
    h.answers.push({ ok: false, status: 422, code: 'validation', message: 'unknown location', fields: [{ field: 'entries.0.location', message: 'unknown' }] }, ok());
    const q = h.make();
    const failed: QueuedCommand[] = [];
    q.subscribe((e) => e.type === 'failed' && failed.push(e.command));
    q.enqueue({ path: '/a', body: 1, label: 'bad bin' });
    q.enqueue({ path: '/b', body: 2, label: 'good' });
    await settle();
    await q.flush();
    expect(h.sent.map((s) => s.path)).toEqual(['/a', '/b']);
    expect(failed[0]).toMatchObject({ label: 'bad bin', state: 'failed', lastError: { status: 422, fields: [{ field: 'entries.0.location' }] } });
    expect(q.list().map((c) => c.state)).toEqual(['failed']);
    h.answers.push(ok());
    q.requeue(failed[0]!.id); // fixed meanwhile: sent again under the same key
    await settle();
    expect(h.sent.map((s) => s.id)).toEqual(['key-1', 'key-2', 'key-1']);
    expect(q.list()).toEqual([]);
    h.answers.push(fail(409));
    q.enqueue({ path: '/c', body: 3, label: 'refused for good' });
    await settle();
    expect(q.list()[0]).toMatchObject({ state: 'failed', lastError: { status: 409 } });
    q.discard(q.list()[0]!.id);
    expect(q.list()).toEqual([]);
  });

  it('sends only the logged-in user\'s scans, and nothing when logged out', async () => {
    const h = harness();
    const q = h.make();
    q.enqueue({ path: '/a', body: 1, label: 'cora scan' });
    await settle();
    expect(h.sent.length).toBe(1);
    h.setOwner('max');
    h.answers.push(ok());
    await q.flush({ force: true });
    expect(h.sent.length).toBe(1);
    expect(q.pendingCount()).toBe(0);
    expect(q.pendingCount('cora')).toBe(1);
    h.setOwner(undefined);
    expect(() => q.enqueue({ path: '/b', body: 2, label: 'x' })).toThrow('log in');
    h.setOwner('cora');
    await q.flush({ force: true });
    expect(q.list()).toEqual([]);
  });

  it('refuses scans beyond its bound instead of growing without end', () => {
    const h = harness();
    const q = h.make();
    for (let i = 0; i < MAX_QUEUE; i++) q.enqueue({ path: '/a', body: i, label: String(i) });
    expect(() => q.enqueue({ path: '/a', body: 'one too many', label: 'x' })).toThrow(QueueFullError);
    expect(q.list().length).toBe(MAX_QUEUE);
    q.stop();
  });

  it('reads a corrupt stored queue as empty', () => {
    const h = harness();
    h.store.set('cangku.scanQueue.v1', '{not json');
    expect(h.make().list()).toEqual([]);
  });
});

describe('keyboard-wedge buffer', async () => {
  const { WedgeBuffer } = await import('../../web/src/scan/wedge.js');
  const typeIt = (b: InstanceType<typeof WedgeBuffer>, text: string, start: number, gap: number) => {
    let t = start;
    let out: string | undefined;
    for (const ch of text) {
      out = b.feed(ch === '\u001d' ? { key: ']', ctrlKey: true, time: (t += gap) } : { key: ch, time: (t += gap) }) ?? out;
    }
    return b.feed({ key: 'Enter', time: t + gap }) ?? out;
  };

  it('takes a fast burst ended by Enter as a scan, with Ctrl+] as GS', () => {
    const b = new WedgeBuffer();
    expect(typeIt(b, '0109501101530003\u001d21X9', 0, 5)).toBe('0109501101530003\u001d21X9');
  });

  it('ignores a person typing slowly, and bursts too short to be a code', () => {
    const b = new WedgeBuffer();
    expect(typeIt(b, 'BOLT-M8', 0, 200)).toBeUndefined();
    expect(typeIt(b, 'ab', 10_000, 5)).toBeUndefined();
    expect(typeIt(b, 'BOLT-M8', 20_000, 5)).toBe('BOLT-M8');
  });
});
