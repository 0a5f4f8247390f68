/**
 * Audible and tactile confirmation of a scan, so a clerk does not have to look at the screen:
 * one short high beep and a short buzz for "taken", a low double buzz for "refused", a soft
 * two-tone for "queued offline". The visual state is the screen's job (ScanStatus).
 * WebAudio needs a user gesture first: the context is created on the first call, which always
 * follows a key press or a tap.
 */
export type Feedback = 'ok' | 'error' | 'queued';

let context: AudioContext | undefined;
let muted = readMuted();

function readMuted(): boolean {
  try {
    return localStorage.getItem('cangku.scan.muted') === '1';
  } catch {
    return false;
  }
}

export function isMuted(): boolean {
  return muted;
}

export function setMuted(value: boolean): void {
  muted = value;
  try {
    localStorage.setItem('cangku.scan.muted', value ? '1' : '0');
  } catch {
    /* not remembered */
  }
}

function tone(ctx: AudioContext, frequency: number, start: number, duration: number, type: OscillatorType = 'square'): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  // A short attack and release: no click at either end.
  gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + duration);
  osc.connect(gain).connect(ctx.destination);
  osc.start(ctx.currentTime + start);
  osc.stop(ctx.currentTime + start + duration + 0.02);
}

const PATTERNS: Record<Feedback, { tones: Array<[number, number, number]>; vibrate: number[] }> = {
  ok: { tones: [[1760, 0, 0.08]], vibrate: [40] },
  error: { tones: [[220, 0, 0.18], [220, 0.25, 0.18]], vibrate: [120, 60, 120] },
  queued: { tones: [[880, 0, 0.07], [1320, 0.09, 0.07]], vibrate: [30, 40, 30] },
};

/** Last feedback given; the e2e tests read it from `window.__cangkuScanFeedback`. */
export function signal(kind: Feedback): void {
  const w = globalThis as unknown as { __cangkuScanFeedback?: Feedback[] };
  (w.__cangkuScanFeedback ??= []).push(kind);
  const pattern = PATTERNS[kind];
  try {
    if (typeof navigator !== 'undefined' && 'vibrate' in navigator) navigator.vibrate(pattern.vibrate);
  } catch {
    /* no vibration motor */
  }
  if (muted) return;
  try {
    const Ctor = (globalThis as unknown as { AudioContext?: typeof AudioContext; webkitAudioContext?: typeof AudioContext }).AudioContext
      ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context ??= new Ctor();
    if (context.state === 'suspended') void context.resume();
    for (const [f, start, duration] of pattern.tones) tone(context, f, start, duration, kind === 'error' ? 'sawtooth' : 'square');
  } catch {
    /* audio blocked: the screen and the vibration still tell */
  }
}
