import { CompiledQuery, type Compilable } from 'kysely';
import type { Tx } from '../../db/store.js';

/** Where a parameter goes in a query compiled once: `params[key]`, `params[key][index]` or `params[key][index][field]`. */
class Slot {
  constructor(
    readonly key: string,
    readonly index = -1,
    readonly field?: string,
  ) {}

  valueIn(params: Record<string, unknown>): unknown {
    const value = params[this.key];
    if (this.index < 0) return value;
    const element = (value as unknown[])[this.index];
    return this.field === undefined ? element : (element as Record<string, unknown>)[this.field];
  }

  toString(): string {
    return `${this.key}${this.index < 0 ? '' : `[${this.index}]`}${this.field === undefined ? '' : `.${this.field}`}`;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** Placeholders for `params`: arrays get one per element, arrays of plain objects one per element and field. */
function placeholders(params: Record<string, unknown>): Record<string, unknown> {
  const slot = (key: string, value: unknown) =>
    Array.isArray(value)
      ? value.map((element, i) => (isRecord(element) ? Object.fromEntries(Object.keys(element).map((field) => [field, new Slot(key, i, field)])) : new Slot(key, i)))
      : new Slot(key);
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, slot(key, value)]));
}

/** Array parameters up to this length get templates of their own (one per length). */
const MAX_PREPARED_LIST = 16;

interface Template {
  sql: string;
  /** Per compiled parameter: the slot it is filled from, or a constant of the query itself. */
  parameters: Array<{ slot: Slot } | { constant: unknown }>;
}

/**
 * A query of a hot path built and compiled by Kysely once per engine (and per length of its array
 * parameters), then run with new parameters. Building and compiling a query costs more CPU than
 * SQLite needs to run it (docs/performance.md), and the same SQL text also makes the statement
 * cache lookup cheap.
 *
 * `build` gets placeholders typed as the parameters (one per element of an array parameter, one per
 * field of an array of plain objects, whose fields must be the same in every call): it
 * must only hand them to Kysely as values, never look at them or branch on them, since everything
 * else it does is fixed in the compiled SQL. (Kysely refuses to inline a placeholder into the SQL
 * text, as `sql.lit` would, so that misuse fails at once.) Templates are shared by every database
 * of an engine: a Kysely plugin that rewrites queries would be baked into the first one.
 */
export function prepared<P extends Record<string, unknown>, O>(build: (db: Tx, p: P) => Compilable<O>) {
  const templates = new Map<string, Template>();
  const compile = (tx: Tx, params: P): Template => {
    const compiled = build(tx, placeholders(params) as P).compile();
    return { sql: compiled.sql, parameters: compiled.parameters.map((value) => (value instanceof Slot ? { slot: value } : { constant: value })) };
  };
  return async (tx: Tx, params: P): Promise<O[]> => {
    for (const key in params) {
      const value = params[key];
      // Long lists would keep a template per length: built as usual instead.
      if (Array.isArray(value) && value.length > MAX_PREPARED_LIST) return (await tx.executeQuery<O>(build(tx, params))).rows;
    }
    // One template per engine (the adapter's class) and per length (and element fields) of each array parameter.
    let shape = tx.getExecutor().adapter.constructor.name;
    for (const key in params) {
      const value = params[key];
      if (Array.isArray(value)) shape += `,${key}:${value.length}${isRecord(value[0]) ? `:${Object.keys(value[0]).join('|')}` : ''}`;
    }
    let template = templates.get(shape);
    if (!template) templates.set(shape, (template = compile(tx, params)));
    const values = template.parameters.map((p) => {
      if ('constant' in p) return p.constant;
      const value = p.slot.valueIn(params);
      // Kysely leaves undefined values out of the SQL; a template cannot: refuse instead of binding a wrong shape.
      if (value === undefined) throw new Error(`prepared query: parameter ${String(p.slot)} is undefined`);
      return value;
    });
    const result = await tx.executeQuery<O>(CompiledQuery.raw(template.sql, values));
    return result.rows;
  };
}
