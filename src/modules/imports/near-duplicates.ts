import { comparableForm } from './clean.js';

/** Where a code was seen first: a file row, or 0 for a record that already exists. */
export interface Sighting {
  row: number;
  code: string;
}

export interface CodeMatch {
  /** The very same code. */
  exact?: Sighting;
  /** The same code apart from case, width and separators (AB-01 / ab01 / ＡＢ_01). */
  sameForm?: Sighting;
  /** One character added, removed or changed (edit distance 1), not only in digits. */
  similar?: Sighting;
}

/** Codes shorter than this are not compared by edit distance: "A1" and "A2" are not typos. */
const MIN_SIMILAR_LENGTH = 4;
const MAX_SIMILAR_LENGTH = 40;

/**
 * An index of codes (SKUs, partner codes) that answers, in time linear in the code's length,
 * whether a new code repeats or nearly repeats one seen before.
 *
 * Edit distance 1 uses the deletion neighbourhood ("symmetric delete"): two strings are at most
 * one edit apart only if one equals the other, or one equals the other with one character
 * deleted, or both are equal after deleting one character each. So every code is indexed under
 * itself and its L one-character deletions, and a lookup probes the same L+1 keys: O(n * L) for a
 * file, never O(n^2). Keys are 31-bit hashes in one Map (numbers, not strings); each candidate is confirmed by a real comparison, so a hash
 * collision can only hide a match, never invent one. The keys live in an open-addressing table
 * of typed arrays (8 bytes a slot), which is many times faster and smaller than a Map of a
 * million entries. Each key remembers the first code indexed
 * under it, which is enough to name one earlier code a row is close to.
 *
 * Edits that only change digits are not reported: SKU-0001 and SKU-0002 are a numbering scheme,
 * not a typo. Memory grows with the number of distinct codes, not with the rows' other cells.
 */
export class CodeIndex {
  private readonly exact = new Map<string, number>();
  private readonly forms = new Map<string, Sighting>();
  private readonly variants = new IntTable();
  private readonly entries: Sighting[] = [];
  private readonly entryForms: string[] = [];

  constructor(private readonly similarity = true) {}

  get size(): number {
    return this.exact.size;
  }

  /** Remember a code (the first sighting of a code or form wins). */
  add(code: string, row: number): void {
    this.observe(code, row);
  }

  /** What the code repeats or nearly repeats, then remember it: one pass over its neighbourhood. */
  observe(code: string, row: number): CodeMatch {
    const match: CodeMatch = {};
    const exact = this.exact.get(code);
    if (exact !== undefined) {
      match.exact = { row: exact, code };
      return match;
    }
    this.exact.set(code, row);
    const form = comparableForm(code);
    const same = this.forms.get(form);
    if (same) {
      match.sameForm = same;
      return match;
    }
    const sighting = { row, code };
    this.forms.set(form, sighting);
    if (!this.similarity || form.length < MIN_SIMILAR_LENGTH || form.length > MAX_SIMILAR_LENGTH) return match;
    const entry = this.entries.length;
    this.entries.push(sighting);
    this.entryForms.push(form);
    for (const key of neighbourhood(form)) {
      const other = this.variants.get(key);
      if (other < 0) {
        this.variants.setIfAbsent(key, entry);
      } else if (match.similar === undefined && isTypo(form, this.entryForms[other]!)) {
        match.similar = this.entries[other];
      }
    }
    return match;
  }
}

/** Hashes of the string and of each of its one-character deletions. */
function neighbourhood(form: string): number[] {
  const keys = [hash(form, -1)];
  for (let i = 0; i < form.length; i++) {
    // Deleting either of two equal neighbours gives the same string: index it once.
    if (i > 0 && form[i] === form[i - 1]) continue;
    keys.push(hash(form, i));
  }
  return keys;
}

/** FNV-1a over the string without the character at `skip`, folded to 31 bits (a small integer). */
function hash(text: string, skip: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    if (i === skip) continue;
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x3fffffff;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Exactly one edit apart, and the edit is not only about digits. */
export function isTypo(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  if (a.length === b.length) {
    if (endA !== start) return false; // more than one substitution
    return !(isDigit(a[start]) && isDigit(b[start]));
  }
  const [longer, end] = a.length > b.length ? [a, endA] : [b, endB];
  if (end - start > 0) return false;
  // The inserted character is at `start` (or anywhere in a run of equal characters).
  return !isDigit(longer[start]);
}

/** int -> non-negative int, linear probing; `get` answers -1 for a missing key. */
class IntTable {
  private keys = new Int32Array(1 << 16).fill(-1);
  private values = new Int32Array(1 << 16);
  private count = 0;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === -1) return -1;
      if (k === key) return this.values[i]!;
    }
  }

  setIfAbsent(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === key) return;
      if (k === -1) {
        this.keys[i] = key;
        this.values[i] = value;
        this.count++;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.setIfAbsent(keys[i]!, values[i]!);
  }
}
