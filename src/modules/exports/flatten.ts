import type { ZodType } from 'zod';
import type { Cell } from './writers.js';

export type LinesMode = 'expand' | 'json';

/** The records of a list response: `items` of a page, an array, or the object itself (a report). */
export function recordsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) return (body as { items: unknown[] }).items;
  return body === null || body === undefined ? [] : [body];
}

const isObjectArray = (value: unknown): value is Array<Record<string, unknown>> =>
  Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));

/** The array of a record that becomes one row per element: `lines`, else the first array of objects. */
function expandedKey(record: Record<string, unknown>, expandable: string | null | undefined): string | null {
  if (expandable !== undefined) return expandable;
  if (isObjectArray(record.lines)) return 'lines';
  return Object.keys(record).find((k) => isObjectArray(record[k])) ?? null;
}

function flattenInto(out: Record<string, Cell>, prefix: string, value: unknown): void {
  if (value === null || value === undefined) {
    out[prefix] = null;
  } else if (Array.isArray(value)) {
    out[prefix] = value.every((v) => v === null || typeof v !== 'object') ? value.join('; ') : JSON.stringify(value);
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flattenInto(out, prefix ? `${prefix}.${k}` : k, v);
  } else if (typeof value === 'bigint') {
    out[prefix] = value.toString();
  } else {
    out[prefix] = value as Cell;
  }
}

/**
 * A record as flat rows of `dotted.path -> cell`. Nested objects become dotted columns
 * (`address.city`); with `expand`, the record's lines (its `lines`, or its first array of objects)
 * become one row each, the document's own columns repeated (`lines.sku`, `lines.quantity`), so the
 * file is one table a spreadsheet can filter and sum. Other arrays are JSON text in one cell.
 * `expandable` names the array to expand (null: none; undefined: found in the record).
 */
export function flattenRecord(record: unknown, mode: LinesMode, expandable?: string | null): Array<Record<string, Cell>> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [{ value: record as Cell }];
  const r = record as Record<string, unknown>;
  const key = mode === 'expand' ? expandedKey(r, expandable) : null;
  const base: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(r)) if (k !== key) flattenInto(base, k, v);
  if (key === null) return [base];
  const lines = Array.isArray(r[key]) ? (r[key] as unknown[]) : [];
  if (lines.length === 0) return [base];
  return lines.map((line) => {
    const row = { ...base };
    flattenInto(row, key, line);
    return row;
  });
}

type Def = { type: string; shape?: Record<string, ZodType>; element?: ZodType; innerType?: ZodType; in?: ZodType; out?: ZodType };
const defOf = (schema: ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: ZodType): ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.out) s = def.out;
    else break;
  }
  return s;
}

/** The item schema of a list response schema (`{items: [X]}` -> X), if it has one. */
export function itemSchema(response: ZodType | undefined): ZodType | undefined {
  if (!response) return undefined;
  const s = unwrap(response);
  const def = defOf(s);
  if (def.type === 'array' && def.element) return def.element;
  if (def.type === 'object' && def.shape?.items) {
    const items = defOf(unwrap(def.shape.items));
    if (items.type === 'array' && items.element) return items.element;
  }
  return def.type === 'object' ? s : undefined;
}

/** The flat columns a schema describes, in its order; `expandable` names the array that becomes rows. */
export function schemaColumns(schema: ZodType | undefined, mode: LinesMode): { columns: string[]; expandable: string | null } {
  if (!schema) return { columns: [], expandable: null };
  const def = defOf(unwrap(schema));
  if (def.type !== 'object' || !def.shape) return { columns: [], expandable: null };
  const shape = def.shape;
  let expandable: string | null = null;
  if (mode === 'expand') {
    const arrayOfObjects = (k: string) => {
      const a = defOf(unwrap(shape[k]!));
      return a.type === 'array' && a.element !== undefined && defOf(unwrap(a.element)).type === 'object';
    };
    expandable = 'lines' in shape && arrayOfObjects('lines') ? 'lines' : Object.keys(shape).find(arrayOfObjects) ?? null;
  }
  const columns: string[] = [];
  const walk = (prefix: string, s: ZodType, expand: boolean) => {
    const d = defOf(unwrap(s));
    if (d.type === 'object' && d.shape) {
      for (const [k, v] of Object.entries(d.shape)) walk(prefix ? `${prefix}.${k}` : k, v, false);
    } else if (expand && d.type === 'array' && d.element) {
      walk(prefix, d.element, false);
    } else {
      columns.push(prefix);
    }
  };
  for (const [k, v] of Object.entries(shape)) walk(k, v, k === expandable);
  return { columns, expandable };
}
