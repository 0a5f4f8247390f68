/**
 * Keyboard-wedge scanners type the code as keystrokes, much faster than a person, and end with
 * Enter (or Tab). The scan field catches them when focused; this buffer catches a scan when the
 * focus is elsewhere (a button, nothing), by timing: a burst of keys each within `maxGapMs` of the
 * last, ended by Enter/Tab, at least `minLength` long. Ctrl+] is how HID scanners type GS (FNC1).
 */
import { GS } from './gs1.js';

export interface WedgeKey {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** event.timeStamp (ms) */
  time: number;
}

export class WedgeBuffer {
  private chars = '';
  private last = -Infinity;

  constructor(private readonly options: { maxGapMs?: number; minLength?: number } = {}) {}

  /** Feeds one keydown; returns the scanned text when a burst ends, else undefined. */
  feed(k: WedgeKey): string | undefined {
    const gap = this.options.maxGapMs ?? 50;
    const fast = k.time - this.last <= gap;
    this.last = k.time;
    if (k.key === 'Enter' || k.key === 'Tab') {
      const text = fast ? this.chars : '';
      this.chars = '';
      return text.length >= (this.options.minLength ?? 3) ? text : undefined;
    }
    const char = k.ctrlKey && k.key === ']' ? GS : !k.ctrlKey && !k.altKey && !k.metaKey && k.key.length === 1 ? k.key : undefined;
    if (char === undefined) {
      if (k.key !== 'Shift') this.chars = ''; // Shift comes with capitals; anything else is a person
      return undefined;
    }
    this.chars = fast ? this.chars + char : char;
    return undefined;
  }

  reset(): void {
    this.chars = '';
    this.last = -Infinity;
  }
}

/** True when a key event's target takes text itself (then the field handles the scan). */
export function isEditable(target: unknown): boolean {
  // Structural, not HTMLElement: Node unit tests import this file without DOM types.
  const el = target as { tagName?: unknown; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
