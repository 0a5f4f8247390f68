import { can, type Actor } from './context.js';

/**
 * Keys that carry money: costs, prices, stock values, amounts, totals, margins, discounts.
 * `total`/`totals`/`...Total` count as money too (order totals); quantities use other names.
 */
const MONEY_KEY = /cost|price|value|amount|margin|discount|valuation|^totals?$|^subtotal$|[a-z]Total$/i;
const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;

export const isMoneyKey = (key: string): boolean => MONEY_KEY.test(key);

/** Counts that sit under a money key (a stock count's `totals`, a sales order's `totals`): never money. */
const COUNT_KEYS = new Set(['lines', 'pending', 'excluded', 'accurate', 'gainLines', 'lossLines', 'backordered']);

/**
 * Whether the value at `key` is hidden: below a money key, or a money key itself. Counts are
 * not, nor is a list page's `total` (the number of matches, beside its `items`).
 */
export function hidesCost(key: string, parentHidden: boolean, isListPage: boolean): boolean {
  if (COUNT_KEYS.has(key) || (key === 'total' && isListPage)) return false;
  return parentHidden || moneyKey(key);
}

export function canSeeCosts(actor: Actor): boolean {
  return can(actor, 'report.view_cost');
}

/**
 * Cost and price fields are hidden from roles without the right to see them (`report.view_cost`),
 * everywhere a response leaves the server: API bodies (applied centrally in src/http/route.ts),
 * PDFs (each printer passes its view through here), exports, live events.
 *
 * Hiding keeps the shape: a money key's number (or numeric text) becomes null, so clients and
 * the web app show "—" instead of breaking on a missing field. Everything below a money key
 * (e.g. `totals: {...}`, `valuation: {...}`) is hidden the same way. Non-numeric values under a
 * money key (a cost method name, a price list code) stay. The input is never mutated.
 */
export function hideCosts<T>(value: T, actor: Actor): T {
  if (canSeeCosts(actor)) return value;
  return strip(value, false) as T;
}

/** Keys seen so far and whether they carry money: responses reuse a small set of keys, and the pattern is the costly part. */
const moneyKeys = new Map<string, boolean>();

function moneyKey(key: string): boolean {
  let money = moneyKeys.get(key);
  if (money === undefined) {
    money = isMoneyKey(key);
    // Keys can come from data (e.g. maps by code): keep the memo bounded.
    if (moneyKeys.size >= 10_000) moneyKeys.clear();
    moneyKeys.set(key, money);
  }
  return money;
}

function strip(value: unknown, hidden: boolean): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return hidden ? null : value;
    case 'string':
      return hidden && NUMERIC_TEXT.test(value.trim()) ? null : value;
    case 'object':
      break;
    default:
      return value;
  }
  if (Array.isArray(value)) return value.map((v) => strip(v, hidden));
  if (Buffer.isBuffer(value) || value instanceof Uint8Array || value instanceof Date) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const listPage = Array.isArray(source.items);
  for (const k of Object.keys(source)) out[k] = strip(source[k], hidesCost(k, hidden, listPage));
  return out;
}
